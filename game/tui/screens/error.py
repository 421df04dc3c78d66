"""The error screen: what went wrong and in which scene, after the game was autosaved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.engine.saves import PlayError
from game.present import messages
from game.present.terminal import clean
from game.tui.textual_fixes import DrawnWhenTheBatchEnds
from game.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


class ErrorScreen(DrawnWhenTheBatchEnds, Screen[None]):
    STYLESHEET = "errors.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [
        Binding("enter", "app.title", "Title screen"),
        Binding("escape", "app.title", "Title screen", show=False),
    ]

    app: MillionMilesApp

    def __init__(self, error: PlayError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        error = self.error
        with Vertical(id="error-box") as box:
            box.border_title = "Something went wrong"
            yield Static(Content(clean(messages.unexpected_error(error.where))))
            yield Static(Content(clean(error)), id="error-message")
            yield Static(
                "Your game was autosaved just before it happened, so nothing is lost: "
                "choose Continue on the title screen to pick up where you were.\n\n"
                "If it happens again, please report the message above and the scene it names.",
            )
        yield KeyBar()
