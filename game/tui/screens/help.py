"""Help: every key of the game, built from the live key bindings so it can never go stale."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText

EXTRA: dict[str, list[tuple[str, str]]] = {
    "Everywhere": [("ctrl+p", "Command palette: every action, and the theme")],
    "Title screen": [("↑ ↓ Enter", "Pick from the menu (or click it)")],
    "Playing": [("↑ ↓ Enter", "Pick a choice (or click it)"), ("mouse wheel", "Scroll the text")],
    "Dialogs": [
        ("Esc", "Close the journal, the endings, help, or a dialog"),
        ("Enter", "Save under the typed name, or take the highlighted slot"),
        ("Tab", "Move between the name and the list of saves"),
        ("y / n", "Answer a question"),
    ],
}


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, what they do)]) for every screen that has keys."""
    from game.tui.app import MillionMilesApp
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.scene import SceneScreen
    from game.tui.screens.title import TitleScreen

    groups = [
        ("Everywhere", MillionMilesApp.BINDINGS),
        ("Title screen", TitleScreen.BINDINGS),
        ("Playing", SceneScreen.BINDINGS),
        ("At an ending", EndingScreen.BINDINGS),
    ]
    result = [(name, _rows(bindings) + EXTRA.get(name, [])) for name, bindings in groups]
    result.append(("Dialogs", EXTRA["Dialogs"]))
    return result


def _rows(bindings: Sequence[Binding | tuple[str, str] | tuple[str, str, str]]) -> list[tuple[str, str]]:
    """One row per action; its keys joined ('u, backspace'), number keys folded into '1-9'."""
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in bindings:
        assert isinstance(binding, Binding)
        action = binding.action.split("(")[0] if binding.action.startswith("choose(") else binding.action
        shown = binding.key_display or binding.key
        if action == "choose" and binding.key != "1":
            continue
        keys.setdefault(action, []).append(_key_name(shown))
        descriptions.setdefault(action, binding.description)
    return [(", ".join(k), descriptions[a]) for a, k in keys.items()]


def _key_name(key: str) -> str:
    return {
        "question_mark": "?",
        "escape": "Esc",
        "backspace": "Backspace",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "enter": "Enter",
        "f1": "F1",
    }.get(key, key)


class HelpScreen(ScrollsText, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#help"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc to close"
            for name, rows in sections():
                yield Static(Content.styled(name, "bold"), classes="help-section")
                width = max(len(k) for k, _ in rows) + 3
                yield Static(Content("\n".join(f"  {k.ljust(width)}{what}" for k, what in rows)), classes="help-rows")

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()
