"""Fixtures for the player's tests: a small stable story, saves in a temporary folder.

Every test here runs with MILLION_MILES_HOME pointing into tmp_path, so nothing
can ever reach the real user data folder, and with a fixed clock so save times
in snapshots never change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from game.engine.loader import load_story
from game.engine.model import Story
from game.engine.saves import SaveStore

FIXTURE_STORY = Path(__file__).parent / "story"
FIXED_TIME = datetime(2025, 3, 14, 9, 26, tzinfo=timezone(timedelta(hours=-6)))


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MILLION_MILES_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture(scope="session")
def story() -> Story:
    return load_story(FIXTURE_STORY)


@pytest.fixture
def store(story: Story, private_home: Path) -> SaveStore:
    return SaveStore(private_home, story, clock=lambda: FIXED_TIME)


@pytest.fixture
def make_app(story: Story, store: SaveStore) -> Callable[..., object]:
    """A fresh app on the fixture story and the test's store (call it again to 'restart')."""
    from game.tui.app import MillionMilesApp

    def make(
        the_story: Story | None = None, the_store: SaveStore | None = None, opening: str = "title"
    ) -> MillionMilesApp:
        # Most flows here start from the title screen (play --title); test_opening.py covers
        # what `play` opens on by default.
        app = MillionMilesApp(the_story or story, the_store or store, opening=opening)  # type: ignore[arg-type]
        app.animation_level = "none"
        return app

    return make


# screen_text, notifications and wait_until (what the player sees, and waiting for it) come
# from tests/conftest.py, shared with the hardening tests.


@pytest.fixture
def drive() -> Callable[..., None]:
    """Run `scenario(pilot)` against `app` in a headless terminal of `size` (no async plugin needed).

    `notifications=True` draws the notifications on screen, as toasts (Textual's `run_test`
    leaves them out by default); `message_hook` is `run_test`'s: called with every message
    any part of the app receives."""

    def run(
        app,
        scenario,
        size: tuple[int, int] = (100, 30),
        *,
        notifications: bool = False,
        message_hook: Callable[..., None] | None = None,
    ) -> None:
        async def main() -> None:
            async with app.run_test(size=size, notifications=notifications, message_hook=message_hook) as pilot:
                await pilot.pause()
                await scenario(pilot)

        asyncio.run(main())

    return run


@pytest.fixture
def styles_of() -> Callable[[Any], dict[int, dict[str, object]]]:
    """The styles the stylesheet gave each widget of a screen (the screen too), by widget: compared
    before and after a styling pass, they tell whether the pass changed anything."""

    def read(screen: Any) -> dict[int, dict[str, object]]:
        return {id(node): dict(node.styles.base.get_rules()) for node in screen.walk_children(with_self=True)}

    return read
