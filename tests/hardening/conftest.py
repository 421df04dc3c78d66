"""Helpers for the hardening tests that drive the player: a headless app and what it draws.

Saves go to the temporary home set by tests/conftest.py, so nothing here ever
touches the real user data folder.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from rich.segment import Segment

from game.engine.loader import load_story
from game.engine.model import Story
from game.engine.saves import SaveStore

HOSTILE_STORY = Path(__file__).parent / "hostile_story"
FIXTURE_STORY = Path(__file__).parent.parent / "tui" / "story"
#: What a terminal could obey: C0 controls but newline, DEL and the C1 controls (CSI is \x9b).
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: long endurance run, skipped unless MILLION_MILES_SOAK=1")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("MILLION_MILES_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="soak test: set MILLION_MILES_SOAK=1 to run it")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fixture_story() -> Story:
    return load_story(FIXTURE_STORY)


@pytest.fixture
def hostile_story() -> Story:
    return load_story(HOSTILE_STORY)


@pytest.fixture
def home() -> Path:
    return Path(os.environ["MILLION_MILES_HOME"])


class Tui:
    """Helpers to drive the player and read its screen. A fixture, since conftest modules
    cannot be imported under --import-mode=importlib."""

    @staticmethod
    def app(story: Story, store: SaveStore):
        from game.tui.app import MillionMilesApp

        app = MillionMilesApp(story, store, opening="title")
        app.animation_level = "none"
        return app

    @staticmethod
    def drive(app, scenario: Callable, size: tuple[int, int] = (100, 30)) -> None:
        """Run `scenario(pilot)` against `app` in a headless terminal of `size`, with the
        notifications shown (run_test hides them by default) since they carry text too."""

        async def main() -> None:
            async with app.run_test(size=size, notifications=True) as pilot:
                await pilot.pause()
                await scenario(pilot)

        asyncio.run(main())

    @staticmethod
    def segments(app) -> Iterator[Segment]:
        """Every piece of text the terminal is sent for the whole screen (modal backgrounds included)."""
        update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
        for line in update.strips:
            for strip in line:
                yield from strip

    @staticmethod
    async def wait_for(pilot, fragment: str, timeout: float = 5.0) -> None:
        """Pause until `fragment` is on screen (a notification is drawn a few frames after it
        is sent, later still on a busy machine); fail after `timeout` seconds."""
        import time

        deadline = time.monotonic() + timeout
        while fragment not in Tui.text(pilot.app):
            assert time.monotonic() < deadline, (
                f"{fragment!r} never appeared on screen:\n{Tui.text(pilot.app)}\n{[n.message for n in pilot.app._notifications]}"
            )
            await pilot.pause(0.02)

    @staticmethod
    def text(app) -> str:
        """What the terminal shows right now, as plain text."""
        width, height = app.size
        console = Console(
            width=width, height=height, file=io.StringIO(), force_terminal=True, record=True, legacy_windows=False
        )
        console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
        return console.export_text()


@pytest.fixture
def tui(monkeypatch: pytest.MonkeyPatch) -> type[Tui]:
    # Pilot waits for the app to go idle in steps of 20 ms, twice per key: most of a long
    # drive was spent asleep. Steps of 2 ms make the soak and the storms 2-3 times faster;
    # each key is still processed before the next (Pilot also waits for the screen's
    # message queues), and a seeded soak makes exactly the same moves either way.
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002)
    return Tui
