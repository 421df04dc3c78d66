"""Where the full-screen player's styles live, and when each is read.

`styles/million_miles.tcss` holds what the first screens need (the title, the scene, the side
panel) and is the app's `CSS_PATH`. The screens a player opens later (the ending, the dialogs,
the chapter cards and the launch, the error screens) name their own sheet in `STYLESHEET`; it is
read when the first screen naming it is pushed (`read_for`, from `MillionMilesApp.push_screen`).

Why not all at once: Textual parses every rule of `CSS_PATH` before it draws anything, and the
later screens' rules were a third of the time the game spent on stylesheets before its first
scene (some 44 million instructions, 3% of the whole start; docs/performance.md). Why not
Textual's own `Screen.CSS_PATH`: a screen's sheet makes Textual parse every source again from
scratch and restyle every widget of every screen, each time such a screen is first shown.
`Stylesheet.add_source` parses only the new sheet (the others come from its cache) and, since
nothing styled yet can match a later screen's rules, nothing needs restyling. So each later
sheet must only match its own screens' widgets (`tests/tui/test_stylesheets.py` checks that
every screen looks the same either way).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.screen import Screen

STYLES = Path(__file__).parent / "styles"
#: The sheet read before the first frame (the app's `CSS_PATH`).
FIRST = STYLES / "million_miles.tcss"


def later_sheet(screen: Screen) -> Path | None:
    """The sheet `screen` needs beyond the first one, if it names one (`STYLESHEET`)."""
    name: str | None = getattr(screen, "STYLESHEET", None)
    return STYLES / name if name else None


def read_for(app: App, screen: Screen) -> None:
    """Add the sheet `screen` needs to the app's stylesheet, once, before the screen is styled."""
    path = later_sheet(screen)
    if path is None or app.stylesheet.has_source(str(path), ""):
        return
    app.stylesheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))
