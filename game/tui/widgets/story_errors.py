"""The panel of `play --watch` that lists what is wrong with the story on disk.

While an edit has broken the story, the author keeps playing the last version
that loaded, and this panel, docked above the footer, lists every error in
compiler format (`file:line:col: error: message`) so they can go and fix it.
Once the story loads, the same panel lists what `check` would still warn about
(the authoring warnings and the explorer's findings, which arrive a moment
after the reload), in the warning colour. It never takes the focus from the
choices. `x` or its button dismisses it until what it lists changes; it
disappears by itself once there is nothing left to list.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

DISMISS_KEY = "x"


class StoryErrors(Vertical):
    """Located error lines of a story that no longer loads, or warning lines of one that does; hidden while
    there are none."""

    SCOPED_CSS = False  # the rules below name StoryErrors themselves, and one looks at the screen's width class
    DEFAULT_CSS = """
    StoryErrors {
        dock: bottom;
        height: auto;
        margin-bottom: 1;  /* the footer, docked at the very bottom */
        border: heavy $error;
        border-title-color: $error;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
        display: none;
    }
    StoryErrors.-shown {
        display: block;
    }
    StoryErrors.-warnings {
        border: heavy $warning;
        border-title-color: $warning;
    }
    StoryErrors #story-errors-head {
        height: auto;
        align-horizontal: right;
    }
    StoryErrors #story-errors-summary {
        width: 1fr;
        color: $text-muted;
    }
    StoryErrors #story-errors-dismiss {
        min-width: 13;
    }
    StoryErrors #story-errors-list {
        height: auto;
        max-height: 5;  /* more errors scroll: the scene must keep its room on a small terminal */
    }
    StoryErrors .story-error {
        width: 100%;
    }
    /* A small terminal keeps its room for the scene: just the errors and the way to dismiss them. */
    Screen.-narrow StoryErrors #story-errors-summary {
        display: none;
    }
    Screen.-narrow StoryErrors #story-errors-list {
        max-height: 4;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lines: tuple[str, ...] = ()
        self.warnings = False
        self.border_title = "The story on disk has errors"

    def compose(self) -> ComposeResult:
        with Horizontal(id="story-errors-head"):
            yield Static(self._summary(), id="story-errors-summary")
            yield Button(
                f"Dismiss ({DISMISS_KEY})", id="story-errors-dismiss", compact=True, action="app.dismiss_story_errors"
            )
        yield VerticalScroll(id="story-errors-list", can_focus=False)

    def on_mount(self) -> None:
        if self.lines:
            self._fill()

    def _summary(self) -> str:
        if self.warnings:
            return "The story loads and plays, but check reports these. Save a fix and it checks again."
        return "You are playing the last version that loaded. Save a fix and it reloads."

    def show(self, lines: tuple[str, ...], warnings: bool = False) -> None:
        """Show these error lines (or, with `warnings`, warning lines), already located and printable; hide
        the panel if there are none."""
        self.set_class(bool(lines), "-shown")
        if (lines, warnings) == (self.lines, self.warnings):
            return
        self.lines, self.warnings = lines, warnings
        self.set_class(warnings, "-warnings")
        count = len(lines)
        if warnings:
            self.border_title = f"check finds {count} problem{'s' if count != 1 else ''}"
        else:
            self.border_title = f"The story on disk has {count} error{'s' if count != 1 else ''}"
        if self.is_mounted:
            for summary in self.query("#story-errors-summary").results(Static):
                summary.update(self._summary())
            self._fill()

    def _fill(self) -> None:
        # A panel whose screen is being recomposed (a reload that changed the state panels) has lost its
        # children before itself; what it would show is shown again by the panel mounted after it.
        for listing in self.query("#story-errors-list").results(VerticalScroll):
            listing.remove_children()
            listing.mount_all(Static(Content(line), classes="story-error") for line in self.lines)
