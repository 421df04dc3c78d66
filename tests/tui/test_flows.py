"""Pilot tests: every flow of the player, driven by keys and the mouse as a player would."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.widgets import Digits, Input, OptionList

from game.engine.runtime import Game
from game.engine.saves import SaveStore, Session, story_folder
from game.tui.screens.ending import EndingScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen


def scene_of(app) -> SceneScreen:
    return next(s for s in app.screen_stack if isinstance(s, SceneScreen))


# --------------------------------------------------------------------------- new game, choosing


def test_new_game_shows_the_first_scene_with_its_choices(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        assert isinstance(app.screen, TitleScreen)
        title = screen_text(app)
        assert "Fixture Orbit" in title and "New game" in title and "Endings" in title
        await pilot.press("n")
        text = screen_text(app)
        assert "The Fields  ·  First Light" in text
        assert "Papá ties the mattress" in text
        assert "1. Help papá pull the ropes tight" in text
        assert "2. Watch the star until the sky takes it" in text
        assert "NASA applications" in text

    drive(app, scenario)


def test_choices_by_number_key_arrows_and_enter_and_mouse(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "2")  # number key: watch the star
        assert app.session.game.state.variables["saw_star"] is True
        assert "Every dawn you look for the star." in screen_text(app)
        await pilot.press("enter")  # the single "Continue" of a goto scene
        assert app.session.game.scene.id == "rows"
        await pilot.press("down", "enter")  # arrows and Enter: write a letter home
        assert app.session.game.state.variables["letters"] == 1
        assert "Write a letter home" not in screen_text(app)  # a `once` choice is gone
        await pilot.click("#choices", offset=(6, 1))  # the mouse: the first choice line under the rule
        await pilot.pause()
        assert app.session.game.scene.id == "desk"
        assert app.session.game.path == [2, 1, 2, 1]

    drive(app, scenario)


def test_a_number_with_no_choice_says_so_and_changes_nothing(make_app, drive, notifications, wait_until):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "7")
        await wait_until(pilot, lambda: any("no choice 7" in n for n in notifications(app)), "'no choice 7' shown")
        assert app.session.game.path == []

    drive(app, scenario, notifications=True)


def test_playing_the_first_chapter_by_keys_shows_the_application_count(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "1")  # ropes, continue, mail the first application
        game = app.session.game
        assert game.scene.chapter == "The Applications"
        assert game.state.variables["applications"] == 1
        assert app.screen.query_one("#var-applications", Digits).value == "1"
        assert "+1 this choice" in screen_text(app)
        await pilot.resize_terminal(80, 24)  # narrow: the count moves into the compact line
        await pilot.pause()
        assert "NASA applications 1" in screen_text(app)

    drive(app, scenario, size=(120, 40))


def test_a_game_begun_narrow_shows_the_side_panel_with_its_values_when_widened(make_app, drive, screen_text):
    """At 80 columns the side panel is not drawn, and not built (the compact line has the values);
    widened, it is built and shows the values as they are now, after the moves made narrow."""
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "1")  # ropes (grit + 1), continue, mail the first application
        panel = app.screen.query_one("#panel")
        assert not panel.display and not panel.children
        assert "NASA applications 1" in screen_text(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert panel.display
        assert app.screen.query_one("#var-applications", Digits).value == "1"
        text = screen_text(app)
        assert "Your story so far" in text and "Grit" in text and "2" in text
        await pilot.press("u")  # the panel, built, follows the game from then on
        assert app.screen.query_one("#var-applications", Digits).value == "0"

    drive(app, scenario, size=(80, 24))


def test_a_changed_value_is_highlighted_briefly(make_app, drive, monkeypatch, wait_until):
    import game.tui.widgets.state as state

    monkeypatch.setattr(state, "HIGHLIGHT_SECONDS", 0.2)
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1")
        grit = app.screen.query_one("#var-grit")
        applications = app.screen.query_one("#var-applications")
        assert grit.has_class("-changed")
        assert not applications.has_class("-changed")
        # It goes by itself: waited for, up to ten times the highlight (a busy machine is late).
        await wait_until(pilot, lambda: not grit.has_class("-changed"), "the highlight to go", timeout=2.0)

    drive(app, scenario)


# --------------------------------------------------------------------------- undo


def test_undo_goes_back_one_choice_at_a_time_to_the_start_restoring_state_exactly(
    make_app, drive, notifications, wait_until
):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n")
        game = app.session.game
        states = [game.state.copy()]
        for key in ("1", "1", "2", "1", "1"):
            await pilot.press(key)
            states.append(app.session.game.state.copy())
        for expected in reversed(states[:-1]):
            await pilot.press("u" if len(expected.visits) % 2 else "backspace")
            assert app.session.game.state == expected
        assert app.session.game.path == []
        await pilot.press("u")
        await wait_until(pilot, lambda: any("Nothing to undo" in n for n in notifications(app)), "'Nothing to undo'")
        assert app.session.game.state == states[0]

    drive(app, scenario, notifications=True)


def test_undo_from_an_ending_returns_to_the_last_choice(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "3")  # stay in the valley: the Home ending
        assert isinstance(app.screen, EndingScreen)
        assert "THE END" in screen_text(app) and "Home" in screen_text(app)
        await pilot.press("u")
        assert isinstance(app.screen, SceneScreen)
        assert app.session.game.scene.id == "rows"

    drive(app, scenario)


# --------------------------------------------------------------------------- save, load, continue


def test_save_in_a_named_slot_then_load_it_with_its_history(make_app, drive, store, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        saved_state = app.session.game.state.copy()
        await pilot.press("s")
        dialog_input = app.screen.query_one("#save-name", Input)
        assert dialog_input.value == "The Rows"  # the scene as a suggestion
        dialog_input.value = ""
        await pilot.press(*"Before Houston", "enter")
        await pilot.pause()
        saved = store.find("Before Houston")
        assert saved is not None and saved.scene == "rows"
        await pilot.press("1", "1")  # move on
        assert app.session.game.scene.id == "desk"
        await pilot.press("l")
        listing = screen_text(app)
        assert "Before Houston" in listing and "Autosave" in listing
        assert "The Fields · The Rows · NASA applications 0" in listing
        assert "2025-03-14 09:26" in listing
        slots = app.screen.query_one("#slots", OptionList)
        slots.highlighted = slots.get_option_index("slot-1")  # slot 0 is the autosave
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        assert app.session.game.state == saved_state
        await pilot.press("u")  # the history came back with the save
        assert app.session.game.scene.id == "road"
        assert app.session.game.path == [1]

    drive(app, scenario)


def test_saving_over_an_existing_slot_asks_first(make_app, drive, store):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n")
        await pilot.press("s", "enter")  # saves as "First Light"
        await pilot.pause()
        await pilot.press("1", "s")
        app.screen.query_one("#save-name", Input).value = "First Light"
        await pilot.press("enter")
        await pilot.pause()
        assert "Replace the save 'First Light'?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")  # no: the old save stays
        await pilot.pause()
        assert store.find("First Light").scene == "dawn"
        await pilot.press("enter")
        await pilot.press("y")
        await pilot.pause()
        assert store.find("First Light").scene == "road"
        assert len([e for e in store.slots()]) == 1

    drive(app, scenario)


def test_quit_then_continue_resumes_exactly_where_the_player_was(make_app, drive, store):
    first = make_app()
    played: dict[str, object] = {}

    async def play_and_quit(pilot):
        await pilot.press("n", "2", "1", "2")
        played["state"] = first.session.game.state.copy()
        played["path"] = list(first.session.game.path)
        await pilot.press("q")

    drive(first, play_and_quit)
    assert first.return_code == 0 or first.return_code is None

    second = make_app()

    async def resume(pilot):
        menu = second.screen.query_one("#title-menu", OptionList)
        assert not menu.get_option("continue").disabled
        await pilot.press("c")
        game = second.session.game
        assert game.state == played["state"]
        assert game.path == played["path"]
        await pilot.press("u")  # undo works across sessions
        assert second.session.game.path == played["path"][:-1]

    drive(second, resume)


def test_continue_is_unavailable_before_the_first_game(make_app, drive):
    app = make_app()

    async def scenario(pilot):
        menu = app.screen.query_one("#title-menu", OptionList)
        assert menu.get_option("continue").disabled
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)

    drive(app, scenario)


def test_damaged_saves_are_listed_with_a_reason_and_never_touched(make_app, drive, store, story, screen_text):
    good = Session.new(store)
    good.save("Good one")
    folder = store.folder
    damaged = {
        "save-truncated.json": json.dumps(store.snapshot(Game(story), "Cut"))[:120],
        "save-garbage.json": "\x00\x01 not json at all",
        "save-future.json": json.dumps({**store.snapshot(Game(story), "Future"), "version": 99}),
        "save-other.json": json.dumps({**store.snapshot(Game(story), "Other"), "story": "Another Tale"}),
    }
    for name, text in damaged.items():
        (folder / name).write_text(text, encoding="utf-8")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    app = make_app()

    async def scenario(pilot):
        await pilot.press("l")
        text = screen_text(app)
        assert "Damaged: save-truncated.json" in text and "truncated" in text
        assert "Damaged: save-garbage.json" in text
        assert "another version" in text
        assert "another story ('Another Tale')" in text
        assert "Good one" in text
        slots = app.screen.query_one("#slots", OptionList)
        slots.highlighted = slots.get_option_index("slot-1")
        await pilot.press("enter")  # the good save still loads
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)

    drive(app, scenario, size=(100, 40))
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    for name in damaged:
        assert after[name] == before[name], f"{name} was modified"


# --------------------------------------------------------------------------- journal, endings, help


def test_journal_shows_the_playthrough_with_the_choices(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "j")
        text = screen_text(app)
        assert "Journal" in text
        assert "→ Help papá pull the ropes tight" in text
        assert "→ Continue" in text
        assert "You are here." in text
        await pilot.press("escape")
        assert isinstance(app.screen, SceneScreen)

    drive(app, scenario, size=(100, 40))


def test_endings_gallery_shows_reached_endings_and_locks_the_rest(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("e")
        assert "0 of 3 endings found" in screen_text(app)
        await pilot.press("escape", "n", "1", "1", "3")
        assert isinstance(app.screen, EndingScreen)
        assert "Endings found: 1 of 3" in screen_text(app)
        await pilot.press("e")
        text = screen_text(app)
        assert "1 of 3 endings found" in text
        assert "★ Home" in text and "You stay in the valley" in text
        assert text.count("☆ Locked") == 2
        assert "Orbit" not in text  # locked endings keep their secret

    drive(app, scenario, size=(100, 40))


def test_endings_are_remembered_across_games(make_app, drive, screen_text):
    async def reach(pilot):
        await pilot.press("n", "1", "1", "3")

    drive(make_app(), reach)
    app = make_app()

    async def look(pilot):
        await pilot.press("e")
        assert "1 of 3 endings found" in screen_text(app)

    drive(app, look, size=(100, 40))


def test_help_lists_every_key_and_opens_with_question_mark_and_f1(make_app, drive, screen_text):
    from game.tui.screens.help import HelpScreen

    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.text_scroll()
        text = screen_text(app)
        while scroll.scroll_y < scroll.max_scroll_y:  # read it all, a page at a time
            await pilot.press("pagedown")
            await pilot.pause()
            text += "\n" + screen_text(app)
        for keys, what in [
            ("1-9", "Choose"),
            ("u, Backspace", "Undo"),
            ("j", "Journal"),
            ("s", "Save"),
            ("l", "Load"),
            ("?, F1", "Help"),
            ("q", "Quit"),
            ("ctrl+p", "Command palette"),
            ("n", "New game"),
            ("c", "Continue"),
            ("e", "Endings"),
            ("Esc", "Title screen"),
            ("f", "Skip scenes you have read"),
            ("h", "Chapters"),
            ("a", "About"),
            ("PgUp, PgDn, Home, End", "Scroll the text"),
            ("Enter", "Go back to this scene"),
            ("h", "Hints for the endings"),
        ]:
            assert any(keys in line and what in line for line in text.splitlines()), (keys, what)
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, SceneScreen)

    drive(app, scenario, size=(100, 50))


def test_every_action_is_in_the_command_palette(make_app, drive, wait_until):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in (
            "New game",
            "Continue",
            "Load game",
            "Save game",
            "Undo",
            "Journal",
            "Endings",
            "Help",
            "Title screen",
            "Quit",
            "Theme",
        ):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Journal")
        results = app.screen.query_one(OptionList)  # the palette's list of matching commands

        def journal_first() -> bool:  # the palette searches in the background, then highlights its best match
            return results.highlighted == 0 and str(results.get_option_at_index(0).prompt).startswith("Journal")

        await wait_until(pilot, journal_first, "the palette to offer Journal first")
        await pilot.press("enter")
        await pilot.pause()
        from game.tui.screens.journal import JournalScreen

        assert isinstance(app.screen, JournalScreen)

    drive(app, scenario)


# --------------------------------------------------------------------------- terminal sizes, themes, colour


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40), (250, 80)])
def test_every_size_from_60x20_to_250x80_shows_scene_choices_and_count(make_app, drive, screen_text, size):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        text = screen_text(app)
        assert "The Rows" in text
        assert "1. Mail your first application to NASA" in text
        assert "3. Stay in the valley" in text
        assert "NASA applications" in text
        panel = app.screen.query_one("#panel")
        assert panel.display == (size[0] >= 90)
        assert app.screen.query_one("#compact").display == (size[0] < 90)
        assert app.screen.query_one("#text").content_size.width <= 76  # a readable measure

    drive(app, scenario, size=size)


def test_below_the_minimum_size_asks_to_enlarge_then_recovers(make_app, drive, screen_text):
    from game.tui.screens.too_small import TooSmallScreen

    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1")
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = screen_text(app)
        assert "Please enlarge the terminal" in text and "50×15" in text
        await pilot.press("1")  # no blind play behind the message
        assert app.session.game.path == [1]
        await pilot.resize_terminal(90, 20)
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        assert "The Road North" in screen_text(app)

    drive(app, scenario)


def test_starting_in_a_tiny_terminal_shows_the_message(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        assert "Please enlarge the terminal" in screen_text(app)

    drive(app, scenario, size=(40, 10))


def test_the_theme_chosen_is_remembered(make_app, drive, store):
    app = make_app()

    async def choose(pilot):
        app.theme = "nord"
        await pilot.pause()

    drive(app, choose)
    assert json.loads(store.settings_path.read_text())["theme"] == "nord"
    again = make_app()

    async def check(pilot):
        assert again.theme == "nord"

    drive(again, check)


def test_no_color_draws_in_greys_only(make_app, drive, monkeypatch):
    import re

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n")
        svg = app.export_screenshot()
        window_buttons = {"ff5f57", "febc2e", "28c840"}  # the SVG's window frame, not the app
        colours = set(re.findall(r"#([0-9a-f]{6})\b", svg)) - window_buttons
        assert colours
        for colour in colours:
            r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
            assert max(r, g, b) - min(r, g, b) <= 8, colour

    drive(app, scenario)


# --------------------------------------------------------------------------- safety


def test_story_text_is_never_markup_and_never_an_escape_sequence(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1")
        text = screen_text(app)
        assert "The radio crackles and hums." in text
        assert "pwned" not in text and "\x1b" not in str(app.screen.query_one("#text").render())
        await pilot.press("1")
        text = screen_text(app)
        assert 'A crate sign reads "[bold red]FRAGILE[/]"' in text
        assert "{curly}" in text

    drive(app, scenario)


def test_an_unexpected_error_shows_where_it_happened_after_autosaving(make_app, drive, store, screen_text, monkeypatch):
    from game.tui.screens.error import ErrorScreen

    app = make_app()
    real_choose = Game.choose

    def broken(self, number, *rest):
        if self.scene.id == "rows":
            raise RuntimeError("the press broke")
        real_choose(self, number, *rest)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        monkeypatch.setattr(Game, "choose", broken)
        await pilot.press("1")
        assert isinstance(app.screen, ErrorScreen)
        text = screen_text(app)
        assert "RuntimeError: the press broke" in text
        assert "scene 'rows' (1_fields.yaml:" in text
        assert "autosaved" in text
        auto = store.autosave_entry()
        assert auto.scene == "rows"
        monkeypatch.setattr(Game, "choose", real_choose)
        await pilot.press("enter")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        assert app.session.game.scene.id == "rows" and app.session.game.path == [1, 1]

    drive(app, scenario)


def test_tests_never_touch_the_real_user_folder(private_home, store):
    assert store.root == private_home
    assert os.environ["MILLION_MILES_HOME"] == str(private_home)
    assert Path(private_home).is_relative_to(Path(private_home).parents[1])


def test_the_title_screen_does_not_import_the_other_screens():
    import subprocess
    import sys

    code = (
        "import sys\nimport game.tui.app\nprint(sorted(m for m in sys.modules if m.startswith('game.tui.screens.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['game.tui.screens.title']"


def test_the_default_store_follows_million_miles_home(story, private_home):
    from game.tui.app import MillionMilesApp

    assert MillionMilesApp(story).store.root == private_home
    assert SaveStore(private_home, story).folder == private_home / story_folder(story.identity)


def test_a_new_game_over_a_game_in_progress_asks_first(make_app, drive):
    from game.tui.screens.confirm import ConfirmScreen

    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "escape", "n")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: keep playing the old game
        await pilot.press("c")
        assert app.session.game.path == [1, 1]
        await pilot.press("escape", "n", "y")
        assert app.session.game.path == []
        assert app.store.autosave_entry().scene == "dawn"

    drive(app, scenario)
