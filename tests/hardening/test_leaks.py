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


def test_closing_dialogs_over_and_over_leaves_no_footer_keys_behind(tui, fixture_story, home):
    from game.tui.screens.scene import SceneScreen

    app = tui.app(fixture_story, SaveStore(home, fixture_story))

    async def scenario(pilot):  # noqa: ANN001
        await pilot.press("n")
        await pilot.press("question_mark", "escape", "j", "escape")  # every footer drawn once
        before = alive("FooterKey")
        for _ in range(3):  # each close recomposes the footer below, and so does the title's return
            await pilot.press("question_mark", "escape", "j", "escape", "escape", "c")
        assert isinstance(app.screen, SceneScreen)
        assert alive("FooterKey") <= before  # (fewer if an earlier test's app was freed meanwhile)

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
