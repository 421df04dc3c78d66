"""The save and load dialog: named slots with their scene, chapter, count and time.

A file that cannot be read is listed as damaged, with the reason, and can be
neither loaded nor overwritten: the dialog never breaks and never touches it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.saves import DamagedSave, SaveEntry, SaveInfo, SaveStore
from game.present import messages
from game.present.terminal import clean
from game.present.words import save_summary, save_time

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp

Mode = Literal["save", "load"]


def slot_prompt(entry: SaveEntry) -> Content:
    if isinstance(entry, DamagedSave):
        return Content.assemble(("Damaged: ", "bold"), clean(entry.name), "\n", clean(entry.reason))
    return Content.assemble((clean(entry.name), "bold"), "   ", save_time(entry), "\n", clean(save_summary(entry)))


class SaveDialog(ModalScreen[None]):
    STYLESHEET = "dialogs.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [Binding("escape", "dismiss", "Cancel")]

    app: MillionMilesApp

    def __init__(self, store: SaveStore, mode: Mode) -> None:
        super().__init__()
        self.store, self.mode = store, mode
        self.entries: list[SaveEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Save the game" if self.mode == "save" else "Load a game"
            dialog.border_subtitle = "Esc to cancel"
            if self.mode == "save":
                yield Input(placeholder="Name of the new save", id="save-name", select_on_focus=True)
                yield Static("Enter saves under this name. To replace a save, choose it below.", classes="hint")
            yield OptionList(id="slots", markup=False)
            yield Static("", id="slots-empty", classes="hint")

    def on_mount(self) -> None:
        self.fill()
        if self.mode == "save":
            game = self.app.session.game if self.app.session else None
            name_input = self.query_one("#save-name", Input)
            if game is not None:  # a suggestion, selected so that typing replaces it
                name_input.value = clean(game.title or game.scene.id)
                name_input.select_all()  # the focus came first (select_on_focus selected nothing yet)

    def fill(self) -> None:
        slots = self.query_one("#slots", OptionList)
        empty = self.query_one("#slots-empty", Static)
        try:
            entries = self.store.slots()
            if self.mode == "load":
                auto = self.store.autosave_entry()
                entries = [auto, *entries] if auto is not None else entries
        except OSError as exc:
            entries = []
            empty.update(Content(f"The saves folder cannot be read: {clean(exc.strerror or exc)}"))
        else:
            empty.update("" if entries else "There are no saves yet.")
        self.entries = entries
        slots.clear_options()
        for i, entry in enumerate(entries):
            if i:
                slots.add_option(None)  # a separator line between slots
            slots.add_option(Option(slot_prompt(entry), id=f"slot-{i}", disabled=isinstance(entry, DamagedSave)))
        slots.display = bool(entries)
        empty.display = not entries
        first = next((i for i, e in enumerate(entries) if isinstance(e, SaveInfo)), None)
        if first is not None:
            slots.highlighted = slots.get_option_index(f"slot-{first}")

    # ------------------------------------------------------------------ choosing

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if not name:
            self.notify("Give the save a name first.", markup=False)
            return
        existing = self.store.find(name)
        self.save(existing.name if existing else name, replace=existing is not None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries[int(str(event.option.id).removeprefix("slot-"))]
        if not isinstance(entry, SaveInfo):
            return
        if self.mode == "save":
            self.save(entry.name, replace=True)
        else:
            self.app.load(entry)  # on success the app closes this dialog and shows the game

    def save(self, name: str, replace: bool) -> None:
        def done(confirmed: bool | None) -> None:
            if confirmed and self.app.save(name):
                self.dismiss()

        if replace:
            from game.tui.screens.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen(clean(messages.replace_save(name)), yes="Replace"), done)
        else:
            done(True)
