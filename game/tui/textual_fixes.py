"""A work-around for a memory leak of Textual 8.2 (not yet reported upstream: docs/upstream-textual.md, 1).

It let widgets the player will never see again pile up over a long session, so
memory grew without end. Delete this module when Textual fixes it. (A second
leak, Textual's Footer keeping every key it ever drew, Textualize/textual#6666,
went away with the Footer itself: see game/tui/widgets/key_bar.py.)

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
"""

from __future__ import annotations

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
