"""The ending screen: the last scene's text, the ending reached, and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.saves import Session
from game.present import messages
from game.present.menus import ENDING_MENU
from game.present.terminal import clean
from game.present.words import endings_found
from game.tui.screens.scene import heading, prose
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText
from game.tui.textual_fixes import DrawnWhenTheBatchEnds
from game.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


class EndingScreen(DrawnWhenTheBatchEnds, ScrollsText, Screen[None]):
    """The text and the ending's card scroll; the menu stays in view under them, as the choices do
    on the scene screen, and the screen opens on the first line of the text."""

    STYLESHEET = "ending.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [
        Binding("u", "app.undo", "Undo"),
        Binding("backspace", "app.undo", "Undo", show=False),
        Binding("e", "app.endings", "Endings"),
        Binding("j", "app.journal", "Journal"),
        Binding("t", "app.title", "Title screen"),
        Binding("escape", "app.title", "Title screen", show=False),
        *SCROLL_BINDINGS,
        Binding("space", "scroll_text('page_down')", "Read on (the text scrolls)", show=False),
    ]
    SCROLLING = "#ending-body"
    MORE_ON = "#ending-menu"

    app: MillionMilesApp

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        game = self.session.game
        ending = game.ending
        assert ending is not None
        reached, _ = self.app.store.reached()
        total = len(self.app.story.endings)
        yield Static(heading(game.scene.chapter, game.title or game.scene.id), id="where")
        with VerticalScroll(id="ending-body"):
            with Center():
                yield Static(prose(game.paragraphs), id="ending-text")
            with Center(), Vertical(id="ending-card"):
                yield Static(messages.THE_END, id="ending-mark")
                yield Static(Content(clean(ending.title)), id="ending-title")
                yield Static(Content(clean(ending.description)), id="ending-description")
                yield Static(endings_found(len(reached), total), id="ending-count")
        with Center(id="ending-actions"):
            yield OptionList(
                *(Option(Content.assemble((f" {e.key} ", "bold"), f" {e.label}"), id=e.action) for e in ENDING_MENU),
                id="ending-menu",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#ending-menu", OptionList).focus(scroll_visible=False)
        self.open_at_the_top()
        self.follow_the_text()

    def on_resize(self) -> None:
        self.more_to_read()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.app.run_action(str(event.option.id))
