"""SVG snapshots of the player's main screens, on the fixture story with a fixed clock.

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from textual.widgets import Input


async def _still(pilot) -> None:
    """Freeze what moves: the cursor blink of any input (animations are off in `make_app`)."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_title(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_still)


def test_scene_80x24(make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", "1", "1"], terminal_size=(80, 24), run_before=_still)


def test_scene_120x40(make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", "1", "1"], terminal_size=(120, 40), run_before=_still)


def test_save_dialog(make_app, snap_compare, store):
    from game.engine.runtime import Game

    earlier = Game(store.story)
    earlier.choose(2)
    store.save(earlier, "By the roadside")
    app = make_app()

    async def open_dialog(pilot) -> None:
        await pilot.press("n", "1", "1", "s")
        await _still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_dialog)


def test_ending(make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", "1", "1", "3"], terminal_size=(80, 24), run_before=_still)
