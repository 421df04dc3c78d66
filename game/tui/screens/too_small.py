"""Shown instead of a broken layout when the terminal is below the minimum size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from game.tui.textual_fixes import DrawnWhenTheBatchEnds


class TooSmallScreen(DrawnWhenTheBatchEnds, Screen[None]):
    STYLESHEET = "errors.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [Binding("q", "app.quit_game", "Quit")]

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__()
        self.min_width, self.min_height = min_width, min_height

    def compose(self) -> ComposeResult:
        yield Static(self.message(*self.app.size), id="too-small")

    def message(self, width: int, height: int) -> str:
        return (
            f"Please enlarge the terminal.\n\nThe game needs at least {self.min_width}×{self.min_height};\n"
            f"this one is {width}×{height}.\n\n(q quits; your game is saved.)"
        )

    def on_resize(self, event: Resize) -> None:
        self.query_one("#too-small", Static).update(self.message(*event.size))

    def on_screen_resume(self) -> None:
        """Shown again (the app keeps this screen): say the terminal's size now."""
        self.query_one("#too-small", Static).update(self.message(*self.app.size))
