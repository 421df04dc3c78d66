"""Chapter select: every chapter of the story, those reached open to play again from their start.

A game started from a chapter starts from the state the player had when they first entered it
(`Session.from_chapter` says why); chapters not reached yet are listed locked, without their names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.saves import LoadError, SaveStore, Session
from game.present import messages
from game.present.chapters import ChapterEntry, chapter_list
from game.present.terminal import clean

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


class ChapterScreen(ModalScreen[None]):
    STYLESHEET = "dialogs.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("h", "dismiss", "Close", show=False),
    ]

    app: MillionMilesApp

    def __init__(self, store: SaveStore) -> None:
        super().__init__()
        self.store = store
        progress, self.problem = store.progress()
        self.entries: list[ChapterEntry] = chapter_list(store.story, progress)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Chapters"
            dialog.border_subtitle = "Esc to close"
            reached = [e for e in self.entries if e.reached]
            yield Static(
                "Play again from the start of a chapter you have reached, as you first came to it."
                if reached
                else messages.NO_CHAPTERS_YET,
                classes="hint",
            )
            options = []
            for number, entry in enumerate(self.entries, 1):
                if entry.reached:
                    prompt = Content.assemble((f"{number}. ", "bold"), clean(entry.name))
                else:
                    prompt = Content.assemble((f"{number}. ", "bold"), ("☆ " + messages.LOCKED_CHAPTER, "dim"))
                options.append(Option(prompt, id=f"chapter-{number - 1}", disabled=not entry.reached))
            yield OptionList(*options, id="chapter-list")
            if self.problem:
                yield Static(Content(clean(self.problem)), classes="hint")

    def on_mount(self) -> None:
        chapters = self.query_one("#chapter-list", OptionList)
        chapters.focus()
        first = next((i for i, e in enumerate(self.entries) if e.reached), None)
        if first is not None:
            chapters.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries[int(str(event.option.id).removeprefix("chapter-"))]
        if not entry.reached:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.start(entry.name)

        if self.store.game_in_progress():
            from game.tui.screens.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen(messages.CHAPTER_QUESTION, yes="Play from here"), answer)
        else:
            self.start(entry.name)

    def start(self, name: str) -> None:
        try:
            session = Session.from_chapter(self.store, name)
        except LoadError as exc:
            self.notify(clean(messages.cannot_start_chapter(name, exc)), severity="error", timeout=8, markup=False)
            return
        self.app.start(session, moment=True)  # closes this dialog and shows the game, after its card
        self.notify(clean(messages.chapter_started(name)), markup=False)
