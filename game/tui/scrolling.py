"""PgUp, PgDn, Home and End scroll the text of a screen, whatever has the focus.

Every screen with text to read (the scene, an ending, the journal, help, the
endings gallery, about) names the container that holds its text and takes
these bindings: they are priority bindings, so they reach the text before the
focused widget (a list of choices, a menu) takes the keys for itself, and the
player never has to press Tab first.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.dom import DOMNode

#: Bound on each reading screen, priority first: they never move the choice or menu highlight.
SCROLL_BINDINGS = [
    Binding("pageup", "scroll_text('page_up')", "Scroll the text up", show=False, priority=True),
    Binding("pagedown", "scroll_text('page_down')", "Scroll the text down", show=False, priority=True),
    Binding("home", "scroll_text('home')", "The top of the text", show=False, priority=True),
    Binding("end", "scroll_text('end')", "The end of the text", show=False, priority=True),
]

#: On the rule under the text while the text goes on below what is shown.
MORE_TEXT = "▼ more text: PgDn"


class ScrollsText:
    """Mixed into a screen whose text scrolls with PgUp, PgDn, Home and End (see the module's
    docstring); the screen adds `SCROLL_BINDINGS` to its own."""

    #: The selector of the container the keys scroll.
    SCROLLING = "#text-scroll"
    #: The widgets under the text whose border title says when there is more to read (`MORE_TEXT`).
    MORE_ON = ""

    def text_scroll(self) -> ScrollableContainer:
        assert isinstance(self, DOMNode)
        return self.query_one(self.SCROLLING, ScrollableContainer)

    def action_scroll_text(self, where: str) -> None:
        scroll = self.text_scroll()
        if where == "page_up":
            scroll.scroll_page_up(animate=False)
        elif where == "page_down":
            scroll.scroll_page_down(animate=False)
        elif where == "home":
            scroll.scroll_home(animate=False)
        else:
            scroll.scroll_end(animate=False)

    def open_at_the_top(self) -> None:
        """Show the text from its first line, once the screen is laid out (a focused widget lower
        down would otherwise have scrolled it into view)."""
        assert isinstance(self, DOMNode)
        scroll = self.text_scroll()
        scroll.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(scroll.scroll_home, animate=False)

    def follow_the_text(self) -> None:
        """From now on, say on `MORE_ON`'s rule when the text goes on below what is shown, and how
        to read it (at 60×20 a long scene does not fit above its choices). Call from `on_mount`."""
        assert isinstance(self, DOMNode)
        scroll = self.text_scroll()
        self.watch(scroll, "scroll_y", self.more_to_read, init=False)
        self.watch(scroll, "virtual_size", self.more_to_read, init=False)

    def more_to_read(self, *_: object) -> None:
        """Look again once the layout has settled (a new text changes the size of what holds it a
        frame later); the screen calls this on a resize too."""
        assert isinstance(self, DOMNode)
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        assert isinstance(self, DOMNode)
        if not self.is_attached:
            return
        scroll = self.text_scroll()
        more = scroll.max_scroll_y > 0 and scroll.scroll_y < scroll.max_scroll_y
        for widget in self.query(self.MORE_ON):
            widget.border_title = MORE_TEXT if more else None
