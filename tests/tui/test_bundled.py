"""The player on the bundled story (issue 2): robust facts only, the writers are still at work."""

from __future__ import annotations

import pytest
from textual.widgets import Digits

from game.bundled import bundled_story_path
from game.engine.errors import StoryError
from game.engine.loader import load_story
from game.engine.saves import SaveStore


@pytest.fixture
def bundled(private_home):
    try:
        story = load_story(bundled_story_path())
    except StoryError as exc:  # a writer's half-finished edit must not fail the player's tests
        pytest.skip(f"the bundled story does not load right now: {exc.diagnostics[0]}")
    return story, SaveStore(private_home, story)


def test_playing_the_fields_chapter_by_keys_shows_the_application_count(bundled, drive, screen_text):
    from game.tui.app import MillionMilesApp

    story, store = bundled
    app = MillionMilesApp(story, store, opening="title")
    app.animation_level = "none"  # no chapter cards (tests/tui/test_moments.py has them)

    async def scenario(pilot):
        await pilot.press("n")
        game = app.session.game
        assert game.scene.id == "fields_dawn"
        text = screen_text(app)
        assert "The Fields" in text and "NASA applications" in text
        for _ in range(60):  # the first option each time, until the chapter changes
            if game.scene.chapter != "The Fields" or game.is_over:
                break
            await pilot.press("1")
            game = app.session.game
        assert game.scene.chapter != "The Fields", "the fields chapter never ended"
        count = game.state.variables["applications"]
        assert app.screen.query_one("#var-applications", Digits).value == str(count)
        await pilot.resize_terminal(80, 24)  # narrow: the count is written out in the compact line
        await pilot.pause()
        assert f"NASA applications {count}" in screen_text(app)

    drive(app, scenario, size=(120, 40))
