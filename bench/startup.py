"""Startup probe: process start to the first frame, headless, in a process of its own.

    python -m bench.startup bare                  a bare Textual app: Header, Static, Footer
    python -m bench.startup scene STORY SAVES     the game as `play` opens it: straight on the first scene
    python -m bench.startup title STORY SAVES     `play --title`: the title screen
    python -m bench.startup title-n STORY SAVES   `play --title`, then "n": the first scene

The parent notes the wall clock just before starting the process; this probe
prints the wall clock at the moment the awaited screen has been laid out and
rendered (`first_frame=...`), then exits. The game side does what
`million-miles play` does: load the story, open the save store, run the app.

Both sides run at 80x24 from the start, as a terminal reports its size before
the first frame. Left to guess, the headless driver lays the first frame out at
80x25 and then resizes to 80x24, so every app laid out and drew twice.
"""

from __future__ import annotations

import asyncio
import sys
import time

SIZE = (80, 24)


def _drawn(widget) -> bool:
    return widget.region.area > 0


async def _wait_for(pilot, ready) -> None:
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

    async def probe(pilot) -> None:
        await _wait_for(pilot, lambda: _drawn(pilot.app.query_one("#hello")))
        print(f"first_frame={time.time():.6f}", flush=True)
        pilot.app.exit()

    Bare().run(headless=True, size=SIZE, auto_pilot=probe)


class _Terminal:
    """Standard input as the player's terminal: the bench runs the game with pipes, and
    `play` would otherwise (rightly) choose the line-by-line player."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def game(story_path: str, saves: str, until: str) -> None:
    """`million-miles play STORY --save-dir SAVES [--title]` itself, through the real command
    line entry point; only the app's `run` is pointed at the headless driver and the probe."""
    import game.cli
    from game.tui.app import MillionMilesApp

    def scene_drawn(app) -> bool:
        # the scene screen, on top or under the title card a new game opens with
        return any(bool(s.query("#text")) and _drawn(s.query_one("#text")) for s in app.screen_stack)

    measured: list[float] = []

    async def probe(pilot) -> None:
        app = pilot.app
        if until == "scene":
            await _wait_for(pilot, lambda: scene_drawn(app))
        else:
            await _wait_for(pilot, lambda: _drawn(app.screen) and bool(app.screen.query("#title-menu")))
        if until == "title-n":
            # The key as a terminal sends it: `Pilot.press` would also wait for every animation to
            # end, and a new game's chapter card fades in once the scene is drawn.
            from textual import events

            # And waiting between looks for the machine to go idle (`Pilot.pause`) would wait for
            # the fade as well: look every half millisecond instead.
            app.post_message(events.Key("n", "n"))
            for _ in range(60_000):
                if scene_drawn(app):
                    break
                await asyncio.sleep(0.0005)
            else:
                raise RuntimeError("the first scene never appeared")
        measured.append(time.time())
        app.exit()

    run = MillionMilesApp.run
    MillionMilesApp.run = lambda self, **_: run(self, headless=True, size=SIZE, auto_pilot=probe)  # type: ignore[method-assign]
    sys.stdin, sys.stdout = _Terminal(sys.stdin), _Terminal(sys.stdout)  # type: ignore[assignment]
    game.cli.main(["play", story_path, "--save-dir", saves, *(["--title"] if until != "scene" else [])])
    # said last, after what `play` prints once the app has ended ("Your game is saved.")
    print(f"first_frame={measured[0]:.6f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        game(sys.argv[2], sys.argv[3], sys.argv[1])
