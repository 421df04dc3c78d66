"""What `million-miles play` opens on: the game, straight away; the title one Escape away.

The other TUI tests start from the title screen (`play --title`); these cover the
default opening: a first start, a game to resume, nothing to resume.
"""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList

from game.engine.saves import Session
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.key_bar import KeyBar


def test_opening_on_the_game_does_not_build_the_title_screen_under_it(make_app, drive):
    app = make_app(opening="story")

    async def scenario(pilot):
        title = app.screen_stack[0]
        assert isinstance(title, TitleScreen) and not title.built and not title.children
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is title and title.built and title.query("#title-menu")

    drive(app, scenario)


def test_a_first_start_opens_on_the_first_scene_of_a_new_game(make_app, drive, screen_text, store):
    app = make_app(opening="story")

    async def scenario(pilot):
        assert [type(s) for s in app.screen_stack] == [TitleScreen, SceneScreen]
        text = screen_text(app)
        assert "The Fields  ·  First Light" in text and "1. Help papá pull the ropes tight" in text
        assert "esc Menu" in text  # the way to the title screen is on the key bar
        await pilot.press("1")
        assert app.session.game.scene.id == "road"
        assert store.autosave_entry() is not None  # the new game is autosaved like any other

    drive(app, scenario)


def test_escape_opens_the_title_over_the_game_and_escape_goes_back(make_app, drive, screen_text):
    app = make_app(opening="story")

    async def scenario(pilot):
        await pilot.press("2")
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
        await pilot.pause()
        text = screen_text(app)
        assert "Fixture Orbit" in text and "New game" in text and "esc Back to the game" in text
        assert "Continue: The Fields · The Road North" in text
        await pilot.press("escape")
        assert [type(s) for s in app.screen_stack] == [TitleScreen, SceneScreen]
        assert app.session.game.scene.id == "road" and app.session.game.path == [2]
        await pilot.press("escape", "c")  # Continue does the same
        assert [type(s) for s in app.screen_stack] == [TitleScreen, SceneScreen]
        assert app.session.game.path == [2]

    drive(app, scenario)


def test_a_new_game_from_the_title_over_the_game_replaces_it_after_asking(make_app, drive):
    app = make_app(opening="story")

    async def scenario(pilot):
        await pilot.press("2", "escape", "n")
        await pilot.pause()
        assert "Start a new game?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("y")
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [TitleScreen, SceneScreen]  # one game screen
        assert app.session.game.path == [] and app.session.game.scene.id == "dawn"

    drive(app, scenario)


def test_the_game_in_progress_is_resumed_where_the_player_left_it(make_app, drive, store, story):
    session = Session.new(store)
    session.choose(2)
    session.choose(1)  # road -> rows
    state = session.game.state.copy()
    app = make_app(opening="story")

    async def scenario(pilot):
        assert [type(s) for s in app.screen_stack] == [TitleScreen, SceneScreen]
        assert app.session.game.scene.id == "rows"
        assert app.session.game.state == state
        await pilot.press("u")  # its history came with it
        assert app.session.game.scene.id == "road"

    drive(app, scenario)


def test_after_an_ending_the_title_screen_opens(make_app, drive, store, screen_text):
    session = Session.new(store)
    for number in (1, 1, 3):  # dawn -> road -> rows -> "Stay in the valley": an ending
        session.choose(number)
    assert session.game.is_over
    app = make_app(opening="story")

    async def scenario(pilot):
        assert [type(s) for s in app.screen_stack] == [TitleScreen]
        menu = app.screen.query_one("#title-menu", OptionList)
        assert menu.highlighted is not None and menu.get_option_at_index(menu.highlighted).id == "continue"
        assert "esc Back to the game" not in screen_text(app)  # there is no game under it
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)

    drive(app, scenario)


def test_a_damaged_autosave_opens_the_title_which_says_why_and_leaves_the_file_alone(
    make_app, drive, store, screen_text
):
    Session.new(store).choose(1)
    autosave = next(store.folder.glob("autosave*.json"))
    autosave.write_text('{"version": 1, "story": "Fixture Orbit", "path": [1, ', encoding="utf-8")
    before = autosave.read_bytes()
    app = make_app(opening="story")

    async def scenario(pilot):
        assert [type(s) for s in app.screen_stack] == [TitleScreen]
        await pilot.pause()
        assert "The autosave cannot be read" in screen_text(app)

    drive(app, scenario)
    assert autosave.read_bytes() == before


def test_clicking_a_key_on_the_bar_presses_it(make_app, drive):
    from game.tui.screens.journal import JournalScreen

    app = make_app(opening="story")

    async def scenario(pilot):
        bar = app.screen.query_one(KeyBar)
        journal = next(e for e in bar.drawn if e.description == "Journal")
        await pilot.click(KeyBar, offset=(journal.start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)

    drive(app, scenario)


def test_a_narrow_key_bar_keeps_whole_entries_and_gives_up_the_palette_first(make_app, drive, screen_text):
    app = make_app(opening="story")

    async def scenario(pilot):
        wide = screen_text(app).splitlines()[-1]
        assert "^p palette" in wide and " 1-9 Choose  u Undo " in wide
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        narrow = screen_text(app).splitlines()[-1]
        assert "palette" not in narrow
        assert narrow.startswith(" 1-9 Choose u Undo j Journal")  # closer together, all whole
        for entry in app.screen.query_one(KeyBar).drawn:
            assert entry.end <= 60

    drive(app, scenario)


def test_continue_is_dimmed_on_the_title_while_there_is_nothing_to_continue(make_app, drive, notifications, wait_until):
    app = make_app(opening="title")

    async def scenario(pilot):
        bar = app.screen.query_one(KeyBar)
        [entry] = [e for e in bar.entries() if e.description == "Continue"]
        assert not entry.enabled  # drawn dim, as the greyed-out menu entry
        await pilot.press("c")
        # A dimmed key does nothing, not even say so. A notification sent after the key is drawn
        # after anything the key made the app say: once it is on screen, it must be alone.
        app.notify("after the key", markup=False)
        await wait_until(pilot, lambda: "after the key" in notifications(app), "the notification sent after the key")
        assert isinstance(app.screen, TitleScreen) and notifications(app) == ["after the key"]
        app.clear_notifications()
        await pilot.press("n", "1")  # a new game, one move: now there is an autosave
        await pilot.press("escape")
        await pilot.pause()
        [entry] = [e for e in app.screen.query_one(KeyBar).entries() if e.description == "Continue"]
        assert entry.enabled
        await pilot.press("c")
        assert isinstance(app.screen, SceneScreen) and app.session.game.path == [1]

    drive(app, scenario, notifications=True)


def test_each_screen_is_styled_for_the_terminal_width_once_not_twice(make_app, drive):
    """A screen has its width class (-narrow, -medium, -wide) and its height class (-short, -tall)
    before it is first styled: Textual would add them at the first resize and style every widget
    on the screen a second time.

    Seen through run_test's message hook, not by counting style passes: the scene screen's classes
    at every message the app handles while it is on top. Textual styles a screen's widgets as they
    are mounted and again whenever the screen's classes change; so the screen must have its class
    at the first and keep it (a second pass would show as a change of classes)."""
    seen: list[tuple[bool, frozenset[str]]] = []  # (a ScreenResume that styles, the screen's classes)

    def hook(message) -> None:
        stack = app.screen_stack
        if stack and isinstance(stack[-1], SceneScreen):
            styles = isinstance(message, events.ScreenResume) and message.refresh_styles
            seen.append((styles, frozenset(stack[-1].classes)))

    app = make_app(opening="story")

    async def scenario(pilot):
        assert isinstance(app.screen, SceneScreen)
        shown = list(seen)
        assert shown, "the hook saw the scene screen on top"
        # its classes (width and height) from the start, kept
        assert {classes for _, classes in shown} == {frozenset({"-medium", "-tall"})}
        await pilot.resize_terminal(100, 30)  # a new width still moves the screen to its class
        await pilot.pause()
        assert app.screen.has_class("-wide") and not app.screen.has_class("-medium")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.screen.has_class("-wide")

    drive(app, scenario, size=(85, 24), message_hook=hook)


def test_the_first_screens_are_styled_once_and_a_second_pass_would_change_nothing(make_app, drive, styles_of):
    """Textual would style a pushed screen's widgets again when it is first shown; the title and
    the scene skip that pass (`StyledOnceWhenShown`, game/tui/textual_fixes.py). Skipping is only
    right if the pass would change nothing: here it is run by hand after each screen is shown,
    and every widget's styles are compared before and after."""
    app = make_app(opening="title")

    async def scenario(pilot):
        for screen_type, key in ((TitleScreen, None), (SceneScreen, "n")):
            if key:
                await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
            before = styles_of(app.screen)
            assert len(before) > 5
            app.stylesheet.update_nodes(list(app.screen.walk_children(with_self=True)), animate=False)
            assert styles_of(app.screen) == before

    drive(app, scenario, size=(85, 24))


def test_a_first_showing_does_not_style_the_screen_again(make_app, drive):
    """Counted where Textual styles: `Stylesheet.apply` per widget while the scene screen opens."""
    app = make_app(opening="title")
    styled: list[object] = []

    async def scenario(pilot):
        original = app.stylesheet.apply

        def counting(node, *args, **kwargs):
            styled.append(node)
            return original(node, *args, **kwargs)

        app.stylesheet.apply = counting  # type: ignore[method-assign]
        await pilot.press("n")
        await pilot.pause()
        scene = app.screen
        assert isinstance(scene, SceneScreen)
        widgets = list(scene.walk_children(with_self=True))
        again = [node for node in widgets if styled.count(node) > 1]
        # Only the choices, styled again as they take the focus (`SceneScreen.AUTO_FOCUS`).
        assert [type(node).__name__ for node in again] == ["ChoiceList"], again

    drive(app, scenario, size=(85, 24))


def test_no_frame_is_rendered_while_textual_holds_frames_back_and_the_first_after_is_whole(
    make_app, drive, screen_text, monkeypatch
):
    """Textual holds every frame back while the app starts (its update batch) and throws away any
    rendered meanwhile; the game opens its first scene in that time. Rendering the scene's frame
    then was its costliest render spent for nothing, and it left the screen marked clean, so the
    scene reached a real terminal only when a later layout redrew it (`DrawnWhenTheBatchEnds`,
    game/tui/textual_fixes.py). Seen at the compositor: each render, whether the batch was on."""
    from textual._compositor import Compositor

    app = make_app(opening="story")
    renders: list[tuple[int, bool]] = []  # (the batch count, a whole frame) at each render
    original = Compositor.render_update

    def render_update(self, full=False, screen_stack=None, simplify=False):
        whole = full or self.size.region in self._dirty_regions
        renders.append((app._batch_count, whole))
        return original(self, full, screen_stack, simplify)

    monkeypatch.setattr(Compositor, "render_update", render_update)

    async def scenario(pilot):
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and "1. Help papá pull the ropes tight" in screen_text(app)
        assert renders, "the compositor rendered the scene"
        assert [batch for batch, _ in renders if batch] == [], "a frame rendered only to be thrown away"
        assert renders[0][1], "the first frame let out is the whole screen"

    drive(app, scenario)
