"""The endings gallery: every ending of the story, the ones not reached yet locked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from game.engine.saves import SaveStore
from game.present import messages
from game.present.terminal import clean
from game.tui.scrolling import SCROLL_BINDINGS, ScrollsText


class GalleryScreen(ScrollsText, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("e", "dismiss", "Close", show=False),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#gallery"

    def __init__(self, store: SaveStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        reached, problem = self.store.reached()
        endings = list(self.store.story.endings.values())
        found = sum(e.id in reached for e in endings)
        with VerticalScroll(id="gallery") as gallery:
            gallery.border_title = "Endings"
            gallery.border_subtitle = "Esc to close"
            yield Static(f"{found} of {len(endings)} endings found", id="gallery-count")
            for ending in endings:
                when = reached.get(ending.id)
                if when is None:
                    yield Static(
                        Content.assemble(("☆ Locked", "bold"), "\n", messages.LOCKED_ENDING), classes="ending locked"
                    )
                else:
                    yield Static(
                        Content.assemble(
                            ("★ ", "bold"),
                            (clean(ending.title), "bold"),
                            "\n",
                            clean(ending.description),
                            "\n",
                            (f"First reached {when:%Y-%m-%d}", "dim"),
                        ),
                        classes="ending reached",
                    )
            if problem:
                yield Static(Content(clean(problem)), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#gallery", VerticalScroll).focus()
