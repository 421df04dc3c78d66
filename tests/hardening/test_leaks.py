"""Widgets the player will never see again are freed: the two Textual leaks the soak test found.

Counting live widgets (after a collection) is exact where measuring bytes is
noisy, so these run in a second and fail the moment either leak comes back.
See game/tui/textual_fixes.py for the leaks themselves.
"""

from __future__ import annotations

import gc
import time

from textual.dom import DOMNode

from game.engine.saves import SaveStore


def alive(kind: str) -> int:
    gc.collect()
    return sum(type(o).__name__ == kind for o in gc.get_objects() if isinstance(o, DOMNode))


def alive_widgets() -> int:
    gc.collect()
    return sum(isinstance(o, DOMNode) for o in gc.get_objects())


async def settled_widgets(pilot) -> int:
    """Live widgets once the count holds still across a turn of the app going idle (waited for
    up to a second): a dialog just closed is freed by Textual's own messages a moment later."""
    deadline = time.monotonic() + 1
    count, last = alive_widgets(), None
    while count != last and time.monotonic() < deadline:
        await pilot.pause()
        count, last = alive_widgets(), count
    return count


def test_going_round_the_screens_over_and_over_leaves_no_widgets_behind(tui, fixture_story, home):
    from game.tui.screens.scene import SceneScreen

    app = tui.app(fixture_story, SaveStore(home, fixture_story))
    one_round = ("question_mark", "escape", "j", "escape", "escape", "c")  # dialogs, the title, the game again

    async def scenario(pilot):
        await pilot.press("n", *one_round)  # every screen drawn once
        before = await settled_widgets(pilot)
        for _ in range(10):
            await pilot.press(*one_round)
        assert isinstance(app.screen, SceneScreen)
        # Each round replaces the scene screen. The one replaced last (24 widgets with its journal)
        # may still be held by its own update timer when counted, or not; a screen kept by every
        # round, as the two leaks of game/tui/textual_fixes.py did, would add ten times that.
        assert await settled_widgets(pilot) <= before + 30

    tui.drive(app, scenario)


def test_withdrawn_notifications_leave_no_empty_toast_holders(tui, fixture_story, home):
    """A toast whose notification goes before its own timer fires (withdrawn, or reaped by the
    rack first) is removed by the rack without its holder; the holders must not pile up."""
    app = tui.app(fixture_story, SaveStore(home, fixture_story))

    async def scenario(pilot):
        await pilot.press("n")
        for round_ in range(5):
            app.notify(f"note {round_}", timeout=30)
            await tui.wait_for(pilot, f"note {round_}")
            await pilot.press("j")  # the journal shows it too
            app.clear_notifications()
            await pilot.pause()
            await pilot.press("escape")  # and the scene withdraws its own when it comes back
            await pilot.pause()
        await pilot.pause()
        assert list(app.screen.query("ToastHolder")) == []
        assert alive("ToastHolder") <= 1  # at most the one on the journal just closed, freed later

    tui.drive(app, scenario)
