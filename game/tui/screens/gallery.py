"""The endings gallery: every ending of the story, the ones not reached yet locked.

A locked ending keeps its secret: its title and description stay hidden. Its hint (the
story's `hint`: what kind of choices lead there) shows only when the player asks, with `h`.
"""

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
    STYLESHEET = "dialogs.tcss"  # read when first shown: game/tui/stylesheets.py

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("e", "dismiss", "Close", show=False),
        Binding("h", "hints", "Hints for the endings not reached yet (h again hides them)"),
        *SCROLL_BINDINGS,
    ]
    SCROLLING = "#gallery"

    def __init__(self, store: SaveStore) -> None:
        super().__init__()
        self.store = store
        self.hints = False

    async def action_hints(self) -> None:
        self.hints = not self.hints
        await self.recompose()
        self.query_one("#gallery", VerticalScroll).focus()

    def compose(self) -> ComposeResult:
        reached, problem = self.store.reached()
        endings = list(self.store.story.endings.values())
        found = sum(e.id in reached for e in endings)
        with VerticalScroll(id="gallery") as gallery:
            gallery.border_title = "Endings"
            locked = found < len(endings)
            hide_or_show = "h hides the hints" if self.hints else "h for hints"
            gallery.border_subtitle = f"{hide_or_show} · Esc to close" if locked else "Esc to close"
            yield Static(f"{found} of {len(endings)} endings found", id="gallery-count")
            for ending in endings:
                when = reached.get(ending.id)
                if when is None:
                    if self.hints:
                        hint = Content.assemble(("Hint: ", "italic"), clean(ending.hint) or messages.NO_HINT)
                    else:
                        hint = Content(messages.LOCKED_ENDING)
                    yield Static(
                        Content.assemble(("☆ Locked", "bold"), "\n", hint),
                        classes="ending locked hinted" if self.hints else "ending locked",
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
