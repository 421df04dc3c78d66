"""The later screens' styles are read when they first open (game/tui/stylesheets.py).

That is only sound if a later sheet cannot style anything already on the screen: nothing
restyles the title or the scene when a sheet arrives. These tests hold both halves: no rule of
a later sheet matches a widget of the first screens, and each later screen is styled by its
sheet once it opens.
"""

from __future__ import annotations

from textual.css.match import match
from textual.css.stylesheet import Stylesheet

from game.tui.screens.title import TitleScreen
from game.tui.stylesheets import FIRST, STYLES, later_sheet

LATER = sorted(path for path in STYLES.glob("*.tcss") if path != FIRST)


def later_rules(app) -> list[tuple[str, object]]:
    """(file name, selector set) for every rule of every later sheet, parsed with the app's variables."""
    found = []
    for path in LATER:
        sheet = Stylesheet(variables=app.get_css_variables())
        sheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))
        for rule in sheet.rules:
            found += [(path.name, selector_set) for selector_set in rule.selector_set]
    return found


def test_every_later_sheet_is_named_by_a_screen_and_the_first_sheet_is_the_apps():
    from game.tui.app import MillionMilesApp
    from game.tui.screens import (
        about,
        cards,
        chapters,
        confirm,
        ending,
        error,
        gallery,
        help,
        journal,
        saves,
        too_small,
    )

    screens = [
        about.AboutScreen,
        cards.ChapterCard,
        cards.LaunchSequence,
        chapters.ChapterScreen,
        confirm.ConfirmScreen,
        ending.EndingScreen,
        error.ErrorScreen,
        gallery.GalleryScreen,
        help.HelpScreen,
        journal.JournalScreen,
        saves.SaveDialog,
        too_small.TooSmallScreen,
    ]
    named = {screen.STYLESHEET for screen in screens}
    assert named == {path.name for path in LATER}
    assert all((STYLES / name).is_file() for name in named)
    assert MillionMilesApp.CSS_PATH == FIRST


def test_no_later_rule_matches_the_title_or_the_scene(make_app, drive):
    app = make_app()

    def matching(screen) -> list[str]:
        nodes = [screen, *screen.query("*")]
        return [
            f"{name}: {selector_set.css} matches {node!r}"
            for name, selector_set in later_rules(app)
            for node in nodes
            if match([selector_set], node)
        ]

    async def scenario(pilot):
        assert isinstance(app.screen, TitleScreen)
        assert matching(app.screen) == []
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "SceneScreen"
        assert matching(app.screen) == []

    drive(app, scenario)


def test_a_later_screen_is_styled_by_its_sheet_once_it_opens(make_app, drive):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n")
        await pilot.pause()
        assert not any(app.stylesheet.has_source(str(path), "") for path in LATER)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert later_sheet(app.screen) == STYLES / "dialogs.tcss"
        assert app.stylesheet.has_source(str(STYLES / "dialogs.tcss"), "")
        box = app.screen.query_one("#help")
        assert box.styles.border_top[0] == "round"  # from dialogs.tcss
        assert box.styles.max_width is not None and box.styles.max_width.value == 76
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")  # again: the sheet is not added twice
        await pilot.pause()
        assert sum(1 for location in app.stylesheet.source if location[0] == str(STYLES / "dialogs.tcss")) == 1

    drive(app, scenario)
