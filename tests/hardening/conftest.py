"""Helpers for the hardening tests that drive the player: a headless app and what it draws.

Saves go to the temporary home set by tests/conftest.py, so nothing here ever
touches the real user data folder.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style

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
    cannot be imported under --import-mode=importlib; what the screen shows and how to wait
    for it come from tests/conftest.py (`screen_text`, `wait_until`)."""

    def __init__(
        self,
        screen_text: Callable[[Any], str],
        wait_until: Callable[..., Awaitable[None]],
    ) -> None:
        self.text = screen_text  # what the terminal shows right now, as plain text
        self.wait_until = wait_until

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
    def styles(app) -> Iterator[Style]:
        """The style of every cell of every screen on the stack (so of a dialog's background too),
        as a mouse would find it there (`Screen.get_style_at`): its link and its click action."""
        width, height = app.size
        for screen in app.screen_stack:
            for y in range(height):
                for x in range(width):
                    yield screen.get_style_at(x, y)

    async def wait_for(self, pilot, fragment: str, timeout: float = 5.0) -> None:
        """Pause until `fragment` is on screen (a notification is drawn a few frames after it
        is sent, later still on a busy machine); fail after `timeout` seconds."""
        await self.wait_until(pilot, lambda: fragment in self.text(pilot.app), f"{fragment!r} on screen", timeout)


@pytest.fixture
def tui(monkeypatch: pytest.MonkeyPatch, screen_text, wait_until) -> Tui:
    # Pilot waits for the app to go idle in steps of 20 ms, twice per key: most of a long
    # drive was spent asleep. Steps of 2 ms make the soak and the storms 2-3 times faster;
    # each key is still processed before the next (Pilot also waits for the screen's
    # message queues), and a seeded soak makes exactly the same moves either way.
    # The step is private to Textual (textual/_wait.py's SLEEP_GRANULARITY, read by
    # Pilot.pause and App._press_keys through wait_for_idle): no public setting reaches it.
    # Only the speed depends on it; without it these tests pass too, some 20 s slower.
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.002)
    return Tui(screen_text, wait_until)
