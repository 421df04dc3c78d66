"""Help: what the values mean (the story's descriptions), then every key of the game, built from
the live key bindings so it can never go stale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.present.terminal import clean
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText

if TYPE_CHECKING:
    from game.engine.model import Story
    from game.tui.app import MillionMilesApp

EXTRA: dict[str, list[tuple[str, str]]] = {
    "Everywhere": [
        ("ctrl+p", "Command palette: every action, the theme, and reduced motion"),
        ("mouse wheel", "Scroll the text"),
    ],
    "Title screen": [("↑ ↓ Enter", "Pick from the menu (or click it)")],
    "Playing": [("↑ ↓ Enter", "Pick a choice (or click it)")],
    "Dialogs": [
        ("Esc", "Close the journal, the endings, help, about, chapters, or a dialog"),
        ("Enter", "Save under the typed name, or take the highlighted slot or chapter"),
        ("Tab", "Move between the name and the list of saves"),
        ("y / n", "Answer a question"),
    ],
}

#: What the keys do that a row alone cannot say.
NOTES = {
    "Playing": (
        "Skipping (f) passes the scenes you have already read, in this game or an earlier one, "
        "that only continue: it stops at a choice, at a scene you have not read, and at an ending."
    ),
    "Everywhere": (
        "Chapter cards and the launch sequence are short, and any key skips them. They are off "
        "with reduced motion (command palette), under NO_COLOR and when TEXTUAL_ANIMATIONS=none."
    ),
}


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, what they do)]) for every screen that has keys."""
    from game.tui.app import MillionMilesApp
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.gallery import GalleryScreen
    from game.tui.screens.journal import JournalScreen
    from game.tui.screens.scene import SceneScreen
    from game.tui.screens.title import TitleScreen

    groups = [
        ("Everywhere", MillionMilesApp.BINDINGS),
        ("Title screen", TitleScreen.BINDINGS),
        ("Playing", SceneScreen.BINDINGS),
        ("At an ending", EndingScreen.BINDINGS),
        ("Journal", JournalScreen.BINDINGS),
        ("Endings", GalleryScreen.BINDINGS),
    ]
    result = [(name, _rows(bindings) + EXTRA.get(name, [])) for name, bindings in groups]
    result.append(("Dialogs", EXTRA["Dialogs"]))
    return result


#: Actions whose keys share one row (the number keys, the keys that scroll the text).
_FOLDED = {"choose": "Choose", "scroll_text": "Scroll the text: a page, to the top, to the end"}


def _rows(bindings: Sequence[Binding | tuple[str, str] | tuple[str, str, str]]) -> list[tuple[str, str]]:
    """One row per action; its keys joined ('u, Backspace'), number keys folded into '1-9' and the
    keys that scroll the text into one row."""
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in bindings:
        assert isinstance(binding, Binding)
        action = binding.action.split("(")[0]
        if action not in _FOLDED:
            action = binding.action
        shown = binding.key_display or binding.key
        if action == "choose" and binding.key != "1":
            continue
        keys.setdefault(action, []).append(_key_name(shown))
        descriptions.setdefault(action, _FOLDED["scroll_text"] if action == "scroll_text" else binding.description)
    return [(", ".join(k), descriptions[a]) for a, k in keys.items()]


def _key_name(key: str) -> str:
    return {
        "question_mark": "?",
        "escape": "Esc",
        "backspace": "Backspace",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "home": "Home",
        "end": "End",
        "space": "Space",
        "enter": "Enter",
        "f1": "F1",
    }.get(key, key)


class HelpScreen(ScrollsText, ModalScreen[None]):
    STYLESHEET = "dialogs.tcss"  # read when first shown: game/tui/stylesheets.py

    app: MillionMilesApp
    _story: Story | None = None  # the story the help was built for

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#help"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as box:
            box.border_title = "Help"
            box.border_subtitle = "Esc to close"
            self._story = self.app.story
            values = [v for v in self.app.story.labelled if v.description]
            if values:
                yield Static(Content.styled("Your story so far", "bold"), classes="help-section")
                with Grid(classes="help-grid"):
                    for v in values:
                        yield Static(Content.styled(clean(v.label or v.name), "bold"), classes="help-keys")
                        yield Static(Content(clean(v.description)), classes="help-what")
            for name, rows in sections():
                yield Static(Content.styled(name, "bold"), classes="help-section")
                with Grid(classes="help-grid"):
                    for keys, what in rows:
                        yield Static(Content(keys), classes="help-keys")
                        yield Static(Content(what), classes="help-what")
                if name in NOTES:
                    yield Static(Content(NOTES[name]), classes="help-note")

    async def on_screen_resume(self) -> None:
        """Kept between showings (`App.SCREENS`): built again only for a story reloaded since
        (`play --watch`), whose values may mean something else now."""
        if self._story is not None and self._story is not self.app.story:
            await self.recompose()
            self.query_one("#help", VerticalScroll).focus()

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()
