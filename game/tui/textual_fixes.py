"""Work-arounds for Textual 8.2, each with its cause in docs/upstream-textual.md.

1. A memory leak (not yet reported upstream: docs/upstream-textual.md, 1). It let widgets the
   player will never see again pile up over a long session, so memory grew without end. (A
   second leak, Textual's Footer keeping every key it ever drew, Textualize/textual#6666, went
   away with the Footer itself: see game/tui/widgets/key_bar.py.)

   A toast removes itself, holder and all, when its own timer fires. But when its
   notification goes first (withdrawn with `clear_notifications`, or found expired
   by `ToastRack.show` before the toast's timer fires, as a screen comes back from
   under a dialog), the rack removes the toast and not the holder around it, and the
   empty holder keeps the toast alive, on screens that live all session long (the
   title, the scene). `drop_stale_toast_holders` removes such holders.

   It reads Textual's private toast module and widget state (`_pruning`, `_closing`,
   `_closed`, `_pending_children`): there is no public way to see a holder's state, which
   is why Textual is pinned to the minor version this was tested on (`textual>=8.2.8,<8.3`).
   `tests/hardening/test_leaks.py` fails without it, and tells when Textual no longer needs it.

2. A screen styled a second time as it is first shown (docs/upstream-textual.md, 4): see
   `StyledOnceWhenShown`. Delete the class when Textual no longer does it.

3. The first frame rendered and thrown away while the app starts (docs/upstream-textual.md, 5):
   see `DrawnWhenTheBatchEnds` and `draw_withheld_frame`.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widgets._toast import ToastHolder


def _gone(node: object) -> bool:
    return bool(getattr(node, "_pruning", False) or getattr(node, "_closing", False) or getattr(node, "_closed", False))


def drop_stale_toast_holders(app: App[object]) -> None:
    """Remove the toast holders, on every screen, whose toasts are gone or going (and only
    those: a holder just mounted has its toast still pending, and must be left alone)."""
    for screen in app.screen_stack:
        for holder in screen.query(ToastHolder):
            if (
                holder.is_mounted
                and not _gone(holder)
                and not holder._pending_children
                and all(_gone(toast) for toast in holder.children)
            ):
                holder.remove()


class StyledOnceWhenShown:
    """Mixed into a screen (before `Screen`): its first showing does not style it all again.

    Textual styles each widget as it is mounted, then, when a pushed screen is first shown
    (`ScreenResume` with `refresh_styles`), styles every widget of it once more. For a screen
    that was just composed nothing has changed in between: the second pass is a tenth of the
    game's own work before the first scene (about 30 million instructions for the scene
    screen; docs/performance.md). Later showings (a screen pushed again, such as after a
    theme change) are styled as Textual does. Textual calls every class's
    `_on_screen_resume` in the screen's MRO, this one first, so it only has to turn the flag
    off. `tests/tui/test_opening.py` styles the screens again after they are shown and finds
    nothing different.
    """

    _shown_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown_before:
            self._shown_before = True
            event.refresh_styles = False


class DrawnWhenTheBatchEnds:
    """Mixed into a screen (before `Screen`) that can be showing while the app starts: its first
    frame is rendered once, when Textual lets frames out, not also once before, for nothing.

    Textual batches updates for the whole of the app's start (composing, mounting, all that
    `on_mount` opens), and `App._display` drops every frame rendered meanwhile. Yet a screen laid
    out in that time defers its paint with `call_later`, which still runs inside the batch: the
    frame is rendered, dropped, and the screen's dirty regions cleared, so the screen was drawn
    whole only when a later layout happened to repaint it. For the scene screen that was its
    costliest render (about 10 ms) spent for nothing, and the first scene reached the terminal
    25-35 ms later than it could. Here the paint is withheld and `draw_withheld_frame` (called by
    the app as the batch ends) asks for it again. `tests/tui/test_opening.py` counts the frames.
    """

    _frame_withheld = False

    def _compositor_refresh(self) -> None:
        app = self.app  # type: ignore[attr-defined]
        if app._batch_count and self is app.screen and not app.is_inline:
            self._frame_withheld = True
            return
        super()._compositor_refresh()  # type: ignore[misc]


def draw_withheld_frame(app: App[Any]) -> None:
    """Called as the app's batch of updates ends: the screen paints the frame it withheld."""
    screen = app.screen
    if isinstance(screen, DrawnWhenTheBatchEnds) and screen._frame_withheld:
        screen._frame_withheld = False
        screen.refresh()
