"""Widgets the player will never see again are freed: the two Textual leaks the soak test found.

Counting live widgets (after a collection) is exact where measuring bytes is
noisy, so these run in a second and fail the moment either leak comes back.
See game/tui/textual_fixes.py for the leaks themselves.
"""

from __future__ import annotations

import gc

from textual.dom import DOMNode

from game.engine.saves import SaveStore


def alive(kind: str) -> int:
    gc.collect()
    return sum(type(o).__name__ == kind for o in gc.get_objects() if isinstance(o, DOMNode))


def alive_widgets() -> int:
    gc.collect()
    return sum(isinstance(o, DOMNode) for o in gc.get_objects())


def test_going_round_the_screens_over_and_over_leaves_no_widgets_behind(tui, fixture_story, home):
    from game.tui.screens.scene import SceneScreen

    app = tui.app(fixture_story, SaveStore(home, fixture_story))

    async def scenario(pilot):  # noqa: ANN001
        await pilot.press("n")
        await pilot.press("question_mark", "escape", "j", "escape")  # every screen drawn once
        await pilot.pause()
        before = alive_widgets()
        for _ in range(5):  # dialogs open and close; the title screen comes back, the game goes on
            await pilot.press("question_mark", "escape", "j", "escape", "escape", "c")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        # The same screens are up as before; a few widgets of the last closed dialogs may wait
        # for the next collection of Textual's own, but nothing grows with the number of rounds.
        assert alive_widgets() <= before + 20

    tui.drive(app, scenario)


def test_withdrawn_notifications_leave_no_empty_toast_holders(tui, fixture_story, home):
    """A toast whose notification goes before its own timer fires (withdrawn, or reaped by the
    rack first) is removed by the rack without its holder; the holders must not pile up."""
    app = tui.app(fixture_story, SaveStore(home, fixture_story))

    async def scenario(pilot):  # noqa: ANN001
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
