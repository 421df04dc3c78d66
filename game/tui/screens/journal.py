"""The journal: the whole playthrough so far as one scrollable transcript, choices included.

Each scene of it is an entry the player can move to (↑ ↓, Tab, a click) and go back to
(Enter): the game returns to that scene as it stood then, the choices made since undone,
after the player confirms it (`Session.back_to`, which autosaves like any move).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.engine.runtime import JournalEntry
from game.engine.saves import Session
from game.present import messages
from game.present.terminal import clean
from game.tui.screens.scene import heading, prose
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText
from game.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from game.tui.app import MillionMilesApp


class Entry(Vertical, can_focus=True):
    """One scene of the journal; `moves` is how many choices had been made when it was read."""

    def __init__(self, entry: JournalEntry, moves: int) -> None:
        super().__init__(classes="journal-entry")
        self.entry, self.moves = entry, moves

    def compose(self) -> ComposeResult:
        entry = self.entry
        yield Static(heading(None, entry.title or entry.scene.id), classes="journal-heading")
        yield Static(prose(entry.paragraphs), classes="journal-text")
        if entry.chosen is None:
            yield Static("You are here.", classes="journal-here")
        else:
            yield Static(Content.assemble(("→ ", "bold"), clean(entry.chosen)), classes="journal-choice")
            yield Static("Enter: go back to this scene", classes="journal-back")


class JournalScreen(ScrollsText, ModalScreen[None]):
    STYLESHEET = "dialogs.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("j", "dismiss", "Close", show=False),
        Binding("up", "move(-1)", "Earlier", key_display="↑", priority=True),
        Binding("down", "move(1)", "Later", key_display="↓", priority=True),
        Binding("enter", "back_to", "Go back to this scene"),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#journal"

    app: MillionMilesApp

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.entries = list(session.game.journal())

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="journal", can_focus=False) as scroll:
            scroll.border_title = "Journal"
            scroll.border_subtitle = "Esc to close"
            chapter: str | None = None
            for moves, entry in enumerate(self.entries):
                if entry.scene.chapter and entry.scene.chapter != chapter:
                    chapter = entry.scene.chapter
                    yield Static(Content.styled(clean(chapter).upper(), "bold"), classes="journal-chapter")
                yield Entry(entry, moves)
        yield KeyBar()

    def on_mount(self) -> None:
        here = list(self.query(Entry))[-1]
        here.focus(scroll_visible=False)
        self.call_after_refresh(self.text_scroll().scroll_end, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Going back is offered on a scene already left, not on the one the player is in."""
        if action == "back_to":
            focused = self.focused
            return True if isinstance(focused, Entry) and focused.entry.chosen is not None else None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_move(self, step: int) -> None:
        entries = list(self.query(Entry))
        focused = self.focused
        at = entries.index(focused) if isinstance(focused, Entry) else len(entries) - 1
        target = entries[max(0, min(len(entries) - 1, at + step))]
        target.focus(scroll_visible=False)
        target.scroll_visible(animate=False, top=step < 0 or target.outer_size.height > self.text_scroll().size.height)

    def action_back_to(self) -> None:
        focused = self.focused
        if not isinstance(focused, Entry) or focused.entry.chosen is None:
            return
        moves = focused.moves
        title = focused.entry.title or focused.entry.scene.id
        undone = len(self.session.game.path) - moves

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.back_to(moves, title)

        from game.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(clean(messages.back_to_question(title, undone)), yes="Go back"), answer)
