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


# --------------------------------------------------------------------------- the second edition's screens


def test_scene_60x20_with_more_text_below(make_app, snap_compare):
    # the desk: a long scene whose text goes on under its three choices at the smallest size
    assert snap_compare(make_app(), press=["n", "1", "1", "1"], terminal_size=(60, 20), run_before=_still)


def test_about(make_app, snap_compare, story, store):
    from msgspec.structs import replace

    from game.engine.saves import SaveStore

    bundled_title = replace(story, title="A Million Miles Away")
    app = make_app(the_story=bundled_title, the_store=SaveStore(store.root, bundled_title, clock=store.clock))
    assert snap_compare(app, press=["a"], terminal_size=(80, 24), run_before=_still)


def test_chapters(make_app, snap_compare, store):
    from game.engine.saves import Session

    session = Session.new(store)
    for move in (1, 1, 1):
        session.choose(move)
    assert snap_compare(make_app(), press=["h"], terminal_size=(80, 24), run_before=_still)


def test_gallery_with_hints(make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", "1", "1", "3", "e", "h"], terminal_size=(80, 24), run_before=_still)


def test_journal_going_back(make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", "1", "1", "j", "up"], terminal_size=(80, 24), run_before=_still)


def test_help(make_app, snap_compare):
    assert snap_compare(make_app(), press=["n", "question_mark"], terminal_size=(80, 24), run_before=_still)


def test_chapter_card(make_app, snap_compare, monkeypatch):
    import game.tui.screens.cards as cards

    monkeypatch.setattr(cards, "CARD_SECONDS", 3600)  # held still for the picture
    app = make_app()
    app.animation_level = "full"

    async def drawn(pilot) -> None:
        await pilot.press("n")
        rule = pilot.app.screen.query_one("#card-rule")
        while "─" * 12 not in str(rule.render()):  # the rule drawn out in full (six steps of 50 ms)
            await pilot.pause(0.05)
        await _still(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=drawn)


def test_launch_countdown(make_story, private_home, snap_compare, monkeypatch):
    import game.tui.screens.cards as cards
    from game.engine.loader import load_story
    from game.engine.saves import SaveStore
    from game.tui.app import MillionMilesApp

    monkeypatch.setattr(cards, "COUNT_STEP", 3600)  # T-minus 10, held still for the picture
    scenes = """\
    scenes:
      boarding:
        text: The hatch closes.
        goto: launch_liftoff
      launch_liftoff:
        tags: [launch-sequence]
        text: The engines light.
        ending: flown
    """
    story = load_story(
        make_story(
            {"scenes.yaml": scenes},
            story="format: 2\ntitle: Launch\nstart: boarding\nendings:\n  flown: {title: Flown}\n",
        )
    )
    app = MillionMilesApp(story, SaveStore(private_home, story), opening="story")
    app.animation_level = "full"
    assert snap_compare(app, press=["1"], terminal_size=(80, 24), run_before=_still)
