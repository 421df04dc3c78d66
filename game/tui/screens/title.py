"""The title screen: New game, Continue (the autosave), Chapters, Load, Endings, About, Quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.saves import DamagedSave
from game.present.menus import TITLE_MENU
from game.present.terminal import clean
from game.present.words import save_summary, save_time
from game.tui.textual_fixes import DrawnWhenTheBatchEnds, StyledOnceWhenShown
from game.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


class TitleScreen(DrawnWhenTheBatchEnds, StyledOnceWhenShown, Screen[None]):
    BINDINGS = [
        Binding("n", "app.new_game", "New game"),
        Binding("c", "app.continue", "Continue"),
        Binding("h", "app.chapters", "Chapters", show=False),  # on the menu, with its key: the bar keeps Help and Quit
        Binding("l", "app.load", "Load"),
        Binding("e", "app.endings", "Endings"),
        Binding("a", "app.about", "About", show=False),
        Binding("escape", "back_to_game", "Back to the game", key_display="esc"),
    ]

    app: MillionMilesApp

    def __init__(self, *, build_later: bool = False) -> None:
        super().__init__()
        self.built = not build_later
        # Both read with the menu, not at every check of the keys (each render of the key bar):
        self.resumable = False  # a game in progress to go back to (Escape)
        self.can_continue = False  # an autosave to load (c), ended or not
        self._menu_fresh = False

    def compose(self) -> ComposeResult:
        if not self.built:
            return  # the app opened on the game above: built when first shown (on_screen_resume)
        with Vertical(id="title-box"):
            yield Static(Content(clean(self.app.story.title)), id="title-name")
            yield Static("a text adventure", id="title-tagline")
            with Center():
                yield OptionList(id="title-menu", markup=False)
            yield Static("", id="title-resume")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_menu()
        self._menu_fresh = self.built  # the first showing, just after, need not build it again

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape leads back to the game only when there is one in progress."""
        if action == "back_to_game":
            return self.resumable
        return True

    def action_back_to_game(self) -> None:
        self.app.action_continue()

    async def on_screen_resume(self) -> None:
        if not self.built and self.app.screen is self:
            self.built = True
            await self.recompose()
        elif self._menu_fresh:  # built a moment ago by on_mount: building it again redraws the screen
            self._menu_fresh = False
            return
        self.refresh_menu()

    def refresh_menu(self) -> None:
        """Rebuild the menu: Continue is offered only when there is an autosave to resume."""
        if not self.built:
            return
        menu = self.query_one("#title-menu", OptionList)
        auto = self.app.store.autosave_entry()
        keep = menu.highlighted
        menu.clear_options()
        can_continue = self.can_continue = auto is not None and not isinstance(auto, DamagedSave)
        self.resumable = self.app.store.game_in_progress(auto)
        self.refresh_bindings()
        for entry in TITLE_MENU:
            disabled = entry.action == "continue" and not can_continue
            prompt = Content.assemble((f" {entry.key} ", "bold"), f" {entry.label}")
            menu.add_option(Option(prompt, id=entry.action, disabled=disabled))
        if auto is None:
            resume = ""
        elif isinstance(auto, DamagedSave):
            resume = f"The autosave cannot be read: {auto.reason}."
        else:
            resume = f"Continue: {save_summary(auto)}  ({save_time(auto)})"
        self.query_one("#title-resume", Static).update(Content(clean(resume)))
        if keep is None or menu.get_option_at_index(keep).disabled:
            keep = 1 if can_continue else 0
        menu.highlighted = keep
        menu.focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.app.run_action(str(event.option.id))
