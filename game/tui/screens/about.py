"""About: what the story is based on, that its prose is its own, and the engine (`game.present.about`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.engine.model import Story
from game.present.about import about
from game.present.terminal import clean
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText


class AboutScreen(ScrollsText, ModalScreen[None]):
    STYLESHEET = "dialogs.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("a", "dismiss", "Close", show=False),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#about"

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        title, sections = about(self.story)
        with VerticalScroll(id="about") as box:
            box.border_title = "About"
            box.border_subtitle = "Esc to close"
            yield Static(Content(clean(title)), id="about-title")
            for section in sections:
                yield Static(Content.styled(clean(section.heading), "bold"), classes="help-section")
                yield Static(Content("\n\n".join(clean(p) for p in section.paragraphs)), classes="about-text")

    def on_mount(self) -> None:
        self.query_one("#about", VerticalScroll).focus()
