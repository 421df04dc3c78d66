"""The journal: the whole playthrough so far as one scrollable transcript, choices included."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.engine.runtime import Game
from game.present.terminal import clean
from game.tui.screens.scene import heading, prose
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText
from game.tui.widgets.key_bar import KeyBar


class JournalScreen(ScrollsText, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("j", "dismiss", "Close", show=False),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#journal"

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.entries = list(game.journal())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="journal") as scroll:
            scroll.border_title = "Journal"
            scroll.border_subtitle = "Esc to close"
            chapter: str | None = None
            for entry in self.entries:
                if entry.scene.chapter and entry.scene.chapter != chapter:
                    chapter = entry.scene.chapter
                    yield Static(Content.styled(clean(chapter).upper(), "bold"), classes="journal-chapter")
                yield Static(heading(None, entry.scene.title or entry.scene.id), classes="journal-heading")
                yield Static(prose(entry.paragraphs), classes="journal-text")
                if entry.chosen is None:
                    yield Static("You are here.", classes="journal-here")
                else:
                    yield Static(Content.assemble(("→ ", "bold"), clean(entry.chosen)), classes="journal-choice")
        yield KeyBar()

    def on_mount(self) -> None:
        journal = self.query_one("#journal", VerticalScroll)
        journal.focus()
        self.call_after_refresh(journal.scroll_end, animate=False)
