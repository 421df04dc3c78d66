"""Work-arounds for two memory leaks of Textual 8.2.8, found by the soak test.

Both let widgets the player will never see again pile up over a long session, so
memory grew without end. Delete this module when Textual fixes them.

1. The Footer binds every key it composes to its own `compact` reactive. The
   binding is stored on the Footer and only dropped when `compact` changes, which
   here is never (Textualize/textual#6666); and the Footer composes its keys anew
   whenever the screen's bindings change: each time a dialog closes, each time the
   title screen comes back. So every key ever drawn stayed alive. `Footer` below
   forgets the bindings of the keys it removed after each recompose.

2. A toast removes itself, holder and all, when its own timer fires. But when its
   notification goes first (withdrawn with `clear_notifications`, or found expired
   by `ToastRack.show` before the toast's timer fires, as a screen comes back from
   under a dialog), the rack removes the toast and not the holder around it, and the
   empty holder keeps the toast alive, on screens that live all session long (the
   title, the scene). `drop_stale_toast_holders` removes such holders.
"""

from __future__ import annotations

from textual.app import App
from textual.dom import DOMNode
from textual.widgets import Footer as TextualFooter
from textual.widgets._toast import ToastHolder


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        forget_closed_watchers(self)


def _gone(node: object) -> bool:
    return bool(getattr(node, "_pruning", False) or getattr(node, "_closing", False)
                or getattr(node, "_closed", False))


def forget_closed_watchers(node: DOMNode) -> None:
    """Drop the watchers that widgets since removed left on `node`'s reactives."""
    watchers: dict[str, list[tuple[DOMNode, object]]] = getattr(node, "__watchers", {})
    for entries in watchers.values():
        entries[:] = [(owner, callback) for owner, callback in entries if not _gone(owner)]


def drop_stale_toast_holders(app: App[object]) -> None:
    """Remove the toast holders, on every screen, whose toasts are gone or going (and only
    those: a holder just mounted has its toast still pending, and must be left alone)."""
    for screen in app.screen_stack:
        for holder in screen.query(ToastHolder):
            if (holder.is_mounted and not _gone(holder) and not holder._pending_children
                    and all(_gone(toast) for toast in holder.children)):
                holder.remove()
