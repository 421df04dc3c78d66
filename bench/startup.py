"""Startup probe: process start to the first frame, headless, in a process of its own.

    python -m bench.startup bare                  a bare Textual app: Header, Static, Footer
    python -m bench.startup title STORY SAVES     the game, up to its first screen (the title)
    python -m bench.startup scene STORY SAVES     the game, up to the first scene (title, then "n")

The parent notes the wall clock just before starting the process; this probe
prints the wall clock at the moment the awaited screen has been laid out and
rendered (`first_frame=...`), then exits. The game side does what
`million-miles play` does: load the story, open the save store, run the app.
"""

from __future__ import annotations

import sys
import time


def _drawn(widget) -> bool:  # noqa: ANN001 - any Textual widget
    return widget.region.area > 0


async def _wait_for(pilot, ready) -> None:  # noqa: ANN001 - Textual's Pilot and a predicate
    for _ in range(500):
        await pilot.pause()
        if ready():
            return
    raise RuntimeError("the awaited screen never appeared")


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello", id="hello")
            yield Footer()

    async def probe(pilot) -> None:  # noqa: ANN001
        await _wait_for(pilot, lambda: _drawn(pilot.app.query_one("#hello")))
        print(f"first_frame={time.time():.6f}", flush=True)
        pilot.app.exit()

    Bare().run(headless=True, auto_pilot=probe)


def game(story_path: str, saves: str, until: str) -> None:
    from pathlib import Path

    from game.engine.loader import load_story
    from game.engine.saves import SaveStore
    from game.tui.app import MillionMilesApp

    story = load_story(story_path)
    store = SaveStore(Path(saves), story)

    async def probe(pilot) -> None:  # noqa: ANN001
        app = pilot.app
        await _wait_for(pilot, lambda: _drawn(app.screen) and bool(app.screen.query("#title-menu")))
        if until == "scene":
            await pilot.press("n")
            await _wait_for(pilot, lambda: bool(app.screen.query("#text")) and _drawn(app.screen.query_one("#text")))
        print(f"first_frame={time.time():.6f}", flush=True)
        app.exit()

    MillionMilesApp(story, store).run(headless=True, auto_pilot=probe)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        game(sys.argv[2], sys.argv[3], sys.argv[1])
