"""Resize storms and tiny terminals never crash the player, on any screen.

A storm is a burst of resize events queued faster than the app can lay out
(as when a window is dragged), mixed with resizes it does lay out, from 1×1 to
300×100. After each storm the screen must be right for the final size: below
the minimum the "please enlarge" message naming that size, above it the screen
that was showing, with its text.
"""

from __future__ import annotations

import random

import pytest
from textual.events import Resize
from textual.geometry import Size

from game.engine.saves import SaveStore
from game.tui.app import MIN_HEIGHT, MIN_WIDTH

PLAY_STEPS = 12
EXTREMES = [(1, 1), (10, 5), (59, 19), (60, 19), (59, 20), (60, 20), (300, 100), (2, 80), (250, 3)]


def storm_sizes(rng: random.Random, count: int) -> list[tuple[int, int]]:
    sizes = EXTREMES + [(rng.randint(1, 300), rng.randint(1, 100)) for _ in range(count - len(EXTREMES))]
    rng.shuffle(sizes)
    return sizes


async def storm(pilot, rng: random.Random, final: tuple[int, int], count: int = 40) -> None:
    """Resize through `count` sizes, most without waiting for a layout, and end at `final`.

    A terminal's driver tells the app of a new size by posting it a Resize event, and the app
    takes its size from those events: posted one after the other, they queue behind each other
    as in a real drag. Every fourth one is `Pilot.resize_terminal`, which also waits for it."""
    app = pilot.app
    for i, (width, height) in enumerate(storm_sizes(rng, count)):
        if i % 4 == 3:
            await pilot.resize_terminal(width, height)  # this one is laid out and drawn
        else:
            app.post_message(Resize(Size(width, height), Size(width, height)))  # queued behind the others
    await pilot.resize_terminal(*final)
    await pilot.pause()
    await pilot.pause()


async def assert_right_for(tui, pilot, size: tuple[int, int], expected: type, *shown: str) -> None:
    """The layout fits `size`: the enlarge message below the minimum, else `expected` with `shown`.

    After a long storm the last layout can lag a few frames behind the last resize
    (Textual debounces resizes, and a screen pushed mid-storm lays out late), so the
    text is waited for, up to a few seconds, rather than read at once."""
    from game.tui.screens.too_small import TooSmallScreen

    app = pilot.app
    assert app.return_code is None, "the app stopped"
    assert tuple(app.size) == size
    if size[0] < MIN_WIDTH or size[1] < MIN_HEIGHT:
        assert isinstance(app.screen, TooSmallScreen)
        assert sum(isinstance(s, TooSmallScreen) for s in app.screen_stack) == 1
        if size[0] >= 40 and size[1] >= 8:  # big enough to read the whole message
            await tui.wait_for(pilot, "Please enlarge the terminal")
            await tui.wait_for(pilot, f"this one is {size[0]}×{size[1]}.")
    else:
        assert isinstance(app.screen, expected), app.screen_stack
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        for fragment in shown:
            await tui.wait_for(pilot, fragment)


def weather_every_screen(tui, story, home, finals: list[tuple[int, int]], count: int) -> None:
    """A storm of `count` sizes on each screen in turn, each ending at the next size of `finals`."""
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.help import HelpScreen
    from game.tui.screens.journal import JournalScreen
    from game.tui.screens.saves import SaveDialog
    from game.tui.screens.scene import SceneScreen
    from game.tui.screens.title import TitleScreen

    app = tui.app(story, SaveStore(home, story))
    rng = random.Random(count)
    endings = iter(finals * 7)

    async def scenario(pilot):
        async def weather(expected: type, *shown: str) -> None:
            final = next(endings)
            await storm(pilot, rng, final, count)
            await assert_right_for(tui, pilot, final, expected, *shown)
            await pilot.resize_terminal(100, 30)  # back to a playable size for the next step
            assert isinstance(app.screen, expected)

        await weather(TitleScreen, "New game")
        await pilot.press("n")
        await weather(SceneScreen, "First Light", "1. Help papá pull the ropes tight")
        await pilot.press("1", "1")
        await weather(SceneScreen, "The Rows", "3. Stay in the valley")
        await pilot.press("s")
        await weather(SaveDialog, "Save the game")
        await pilot.press("escape", "j")
        await weather(JournalScreen, "Journal", "→ Help papá pull the ropes tight")
        await pilot.press("escape", "question_mark")
        await weather(HelpScreen, "Your story so far")
        await pilot.press("escape", "3")
        await weather(EndingScreen, "THE END", "Home")
        await pilot.press("u")  # the game still plays after all that
        assert isinstance(app.screen, SceneScreen) and app.session.game.scene.id == "rows"

    tui.drive(app, scenario, size=(100, 30))


FINALS = [(80, 24), (1, 1), (45, 12), (60, 20), (59, 19), (300, 100), (10, 5)]


def test_resize_storms_on_every_screen_end_in_the_right_layout(tui, fixture_story, home):
    weather_every_screen(tui, fixture_story, home, FINALS, count=len(EXTREMES) + 3)


@pytest.mark.soak
@pytest.mark.parametrize("shift", range(len(FINALS)))
def test_long_resize_storms(tui, fixture_story, home, shift):
    """The soak version: longer storms, and every screen ends at every final size once."""
    weather_every_screen(tui, fixture_story, home, FINALS[shift:] + FINALS[:shift], count=80)


def test_playing_in_a_storm_keeps_the_game_consistent(tui, fixture_story, home):
    """Keys pressed while the size jumps around: the game only moves when the scene is visible."""
    store = SaveStore(home, fixture_story)
    app = tui.app(fixture_story, store)
    rng = random.Random(5)

    async def scenario(pilot):
        await pilot.press("n")
        for _ in range(PLAY_STEPS):
            width, height = rng.choice(EXTREMES + [(80, 24), (120, 40)])
            await pilot.resize_terminal(width, height)
            await pilot.press(rng.choice(["1", "2", "u", "enter"]))
            if app.session.game.is_over:
                await pilot.press("u")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.return_code is None
        auto = store.autosave_entry()
        assert auto is not None and auto.scene == app.session.game.scene.id  # every move was saved

    tui.drive(app, scenario, size=(100, 30))
