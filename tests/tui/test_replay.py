"""Replay worth it, in the full-screen player: chapter select, skipping what was read, hints for
the endings not found, going back from the journal; and the values explained, and about."""

from __future__ import annotations

from msgspec.structs import replace

from game.engine.saves import SaveStore, Session
from game.tui.screens.chapters import ChapterScreen
from game.tui.screens.confirm import ConfirmScreen
from game.tui.screens.gallery import GalleryScreen
from game.tui.screens.journal import JournalScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen

# --------------------------------------------------------------------------- chapter select


def test_a_chapter_reached_plays_again_from_its_start_as_it_was_then(make_app, drive, screen_text, store):
    first = Session.new(store)
    for move in (1, 1, 2, 1):  # ropes (grit 2), continue, a letter home, mail the first application
        first.choose(move)
    first.choose(1)  # on into the next desk scene: the chapter's start is kept as it was entered
    app = make_app()

    async def scenario(pilot):
        await pilot.press("h")
        assert isinstance(app.screen, ChapterScreen)
        text = screen_text(app)
        assert "1. The Fields" in text and "2. The Applications" in text
        assert "3. ☆ Not reached yet." in text and "Launch" not in text  # locked, and nameless
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ConfirmScreen)  # it replaces the game in progress: asked first
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        game = app.session.game
        assert game.scene.id == "desk" and game.path == []
        assert (game.state.variables["applications"], game.state.variables["grit"]) == (1, 2)
        assert game.state.variables["letters"] == 1
        assert game.state.taken == {"rows#1"}  # the letter home, a once-only choice, taken before
        assert store.autosave_entry().scene == "desk"

    drive(app, scenario)


def test_a_locked_chapter_cannot_be_started(make_app, drive, store):
    Session.new(store).choose(1)  # the first chapter is reached (recorded with the first move)
    app = make_app()

    async def scenario(pilot):
        await pilot.press("h")
        chapters = app.screen.query_one("#chapter-list")
        assert chapters.get_option_at_index(1).disabled and chapters.get_option_at_index(2).disabled
        await pilot.press("down")  # the highlight does not stop on a locked chapter
        assert chapters.highlighted == 0

    drive(app, scenario)


def test_chapters_before_any_game_say_how_they_open(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("h")
        assert "No chapter reached yet" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)

    drive(app, scenario)


# --------------------------------------------------------------------------- skipping what was read


def test_f_skips_the_scenes_read_in_an_earlier_game_up_to_a_choice(
    make_app, drive, screen_text, store, story, notifications, wait_until
):
    earlier = Session.new(SaveStore(store.root, story))
    earlier.choose(2)
    earlier.choose(1)  # the road was read
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "y", "2")
        assert app.session.game.scene.id == "road"
        assert "1. Continue   f skips what you have read" in screen_text(app)
        await pilot.press("f")
        assert app.session.game.scene.id == "rows" and app.session.game.path == [2, 1]
        await wait_until(pilot, lambda: "Skipped 1 scene you had already read." in notifications(app), "said")
        await pilot.press("f")  # a choice: nothing to skip
        await wait_until(pilot, lambda: any("Nothing to skip here" in n for n in notifications(app)), "said")
        assert app.session.game.scene.id == "rows"

    drive(app, scenario, notifications=True)


def test_a_scene_read_for_the_first_time_offers_no_skip(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "2")
        assert "skips what you have read" not in screen_text(app)
        await pilot.press("f")
        assert app.session.game.scene.id == "road"

    drive(app, scenario)


# --------------------------------------------------------------------------- the journal goes back


def test_the_journal_goes_back_to_an_earlier_scene_after_asking(make_app, drive, screen_text, store):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "2", "j")
        assert isinstance(app.screen, JournalScreen)
        assert "You are here." in screen_text(app)
        await pilot.press("up", "up")  # the road
        assert "Enter: go back to this scene" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmScreen)
        asked = str(app.screen.query_one("#confirm-question").render())
        assert asked == "Go back to 'The Road North'? The 2 choices made since will be undone."
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        assert app.session.game.path == [1] and app.session.game.scene.id == "road"
        assert store.autosave_entry().scene == "road"
        assert "The Road North" in screen_text(app)

    drive(app, scenario, size=(100, 40))


def test_no_in_the_journal_keeps_the_game_and_the_current_scene_offers_no_going_back(make_app, drive):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "j")
        await pilot.press("enter")  # on "You are here": nothing to go back to
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("up", "enter", "n")
        assert isinstance(app.screen, JournalScreen) and app.session.game.path == [1, 1]

    drive(app, scenario)


def test_the_journal_goes_back_from_an_ending_too(make_app, drive):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "3", "j", "up", "enter", "y")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.session.game.scene.id == "rows"

    drive(app, scenario)


# --------------------------------------------------------------------------- hints, values, about


def test_the_gallery_shows_hints_for_locked_endings_only_when_asked(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("e")
        assert isinstance(app.screen, GalleryScreen)
        text = screen_text(app)
        assert "h for hints" in text and "Keep applying" not in text and "Hint:" not in text
        await pilot.press("h")
        text = screen_text(app)
        assert "Hint: Keep applying, and hold on." in text
        assert "Hint: No hint for this one: keep exploring." in text
        assert "Orbit" not in text  # the ending's name stays a secret
        await pilot.press("h")
        assert "Hint:" not in screen_text(app)

    drive(app, scenario, size=(100, 40))


def test_a_value_is_explained_under_the_text_the_first_time_a_choice_changes_it(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("n", "1")
        assert "◆ Grit: How hard you hold on when the work is hard." in screen_text(app)
        await pilot.press("1")
        assert "How hard you hold on" not in screen_text(app)  # once, on the scene after the change
        await pilot.press("u", "u", "1")
        assert "How hard you hold on" not in screen_text(app)  # and never again

    drive(app, scenario)


def test_help_says_what_the_values_mean(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("question_mark")
        text = screen_text(app)
        assert "Your story so far" in text
        assert "Grit" in text and "How hard you hold on when the work is hard." in text

    drive(app, scenario)


def test_about_credits_the_film_and_the_memoir_and_says_the_prose_is_our_own(make_app, drive, screen_text, story):
    bundled_title = replace(story, title="A Million Miles Away")
    app = make_app(the_story=bundled_title, the_store=SaveStore(SaveStore(story.root, story).root, bundled_title))

    async def scenario(pilot):
        await pilot.press("a")
        scroll = app.screen.text_scroll()
        text = screen_text(app)
        while scroll.scroll_y < scroll.max_scroll_y:
            await pilot.press("pagedown")
            await pilot.pause()
            text += screen_text(app)
        flat = " ".join(text.replace("│", " ").split())
        assert "A Million Miles Away (2023), directed by Alejandra Márquez Abella" in flat
        assert "Reaching for the Stars" in flat and "José M. Hernández" in flat
        assert "The prose of this game is our own." in flat
        assert "million-miles" in flat and "Textual" in flat

    drive(app, scenario, size=(80, 24))


def test_about_for_another_story_names_only_the_story_and_the_engine(make_app, drive, screen_text):
    app = make_app()

    async def scenario(pilot):
        await pilot.press("a")
        text = screen_text(app)
        assert "Fixture Orbit is its author's own" in " ".join(text.replace("│", " ").split())
        assert "Reaching for the Stars" not in text

    drive(app, scenario, size=(100, 40))


def test_chapters_and_about_are_in_the_command_palette(make_app, drive):
    app = make_app()

    async def scenario(pilot):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Chapters", "About", "Endings", "Help"} <= titles

    drive(app, scenario)
