"""The TUI under Pilot, in a process of its own.

    python -m bench.tui latency STORY SAVES CHOICES    key press to the next scene drawn, per choice
    python -m bench.tui memory STORY SAVES CHOICES     resident memory after 1,000 and after CHOICES choices

Choices are picked with the peers' generator among the options on screen and
made with their number key, as a player would. `latency` restarts with a new
game at each ending (not timed); `memory` is meant for a story without
endings (`synthetic.write_loop_story`), so one game grows to CHOICES moves.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import time
from pathlib import Path

SIZE = (100, 32)


def _rss_mb() -> float:
    """Current resident memory (not the peak), from /proc where there is one."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover - not Linux: fall back to the peak
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(story_path: str, saves: str):
    from game.engine.loader import load_story
    from game.engine.saves import SaveStore
    from game.tui.app import MillionMilesApp

    story = load_story(story_path)
    app = MillionMilesApp(story, SaveStore(Path(saves), story), opening="title")
    app.animation_level = "none"  # no chapter cards: the bench times moves, a card would take the next key
    return app


async def _drive(story_path: str, saves: str, choices: int, on_choice) -> None:
    """Make `choices` choices; report each one's time from the key press to the first
    frame the app composed after the scene screen had drawn the new scene.

    Pilot's own waits (it sleeps until the process looks idle) are not counted:
    the frame time is taken where Textual hands the frame to the (headless) driver.
    """
    from textual import events

    from bench.probes import _lcg
    from game.tui.screens.scene import SceneScreen

    frames: list[float] = []
    views: list[float] = []
    refresh_view = SceneScreen.refresh_view

    def noted_refresh_view(self, *args, **kwargs):
        refresh_view(self, *args, **kwargs)
        views.append(time.perf_counter())

    SceneScreen.refresh_view = noted_refresh_view  # type: ignore[method-assign]
    pick = _lcg()
    app = _app(story_path, saves)
    display = app._display

    def noted_display(screen, renderable) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = noted_display  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_new_game()
        await pilot.pause()
        for n in range(1, choices + 1):
            game = app.session.game
            if game.is_over:
                app.action_new_game()
                await pilot.pause()
                game = app.session.game
            key = str(pick(len(game.options)) + 1)
            t0 = time.perf_counter()
            # What Pilot's `press` does, without its waits for the process to look idle
            # (each is a sleep of its own that would swamp the app's time).
            event = events.Key(key, key)
            event.set_sender(app)
            app._driver.send_message(event)  # type: ignore[union-attr]
            for _ in range(10_000):
                viewed = next((v for v in views if v > t0), None)
                frame = None if viewed is None else next((f for f in frames if f > viewed), None)
                if frame is not None:
                    break
                await asyncio.sleep(0.0005)
            else:
                raise RuntimeError(f"choice {n}: the next scene was never drawn")
            on_choice(n, frame - t0)
            del views[:], frames[:]


def latency(story_path: str, saves: str, choices: int) -> str:
    times: list[float] = []
    asyncio.run(_drive(story_path, saves, choices, lambda n, dt: times.append(dt)))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return f"choices={len(times)} median_ms={1000 * statistics.median(times):.1f} p95_ms={1000 * p95:.1f} max_ms={1000 * times[-1]:.1f}"


def memory(story_path: str, saves: str, choices: int) -> str:
    marks: dict[int, float] = {}
    recent: list[float] = []
    first = min(1000, choices)

    def on_choice(n: int, dt: float) -> None:
        recent.append(dt)
        if n in (first, choices):
            gc.collect()
            marks[n] = _rss_mb()
            marks[-n] = statistics.median(recent[-100:])

    asyncio.run(_drive(story_path, saves, choices, on_choice))
    return (
        f"choices={choices} rss_at_{first}_mb={marks[first]:.1f} rss_at_{choices}_mb={marks[choices]:.1f} "
        f"median_ms_near_{first}={1000 * marks[-first]:.1f} median_ms_near_{choices}={1000 * marks[-choices]:.1f}"
    )


if __name__ == "__main__":
    what, story, saves, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    print(latency(story, saves, count) if what == "latency" else memory(story, saves, count))
