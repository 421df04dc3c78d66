"""`play --watch` in the full-screen player: the author edits the story while playing it.

Each test plays a copy of the fixture story, edits the copy on disk mid-game,
then makes the app look at the files (`app.check_story()`, what its timer does
twice a second) and checks what the player sees.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.saves import SaveStore
from game.engine.watch import StoryWatcher
from game.tui.app import MillionMilesApp
from game.tui.screens.ending import EndingScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.story_errors import StoryErrors

FIXTURE = Path(__file__).parent / "story"
GRAPES = "The grapes hang heavy in the heat."


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "live-story"
    shutil.copytree(FIXTURE, copy)
    return copy


def edit(root: Path, name: str, old: str, new: str) -> None:
    """Replace `old` by `new` in a story file, as an editor's save would (a later modification time)."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def make(root: Path, home: Path, *, watch: bool = True) -> MillionMilesApp:
    story = load_story(root)
    app = MillionMilesApp(story, SaveStore(home, story), watch=StoryWatcher(root) if watch else None, opening="title")
    app.animation_level = "none"
    return app


async def said(pilot, message: str, wait_until, notifications) -> None:
    """Wait for `message` to be drawn on screen, as a notification of its own."""
    await wait_until(pilot, lambda: message in notifications(pilot.app), f"the notification {message!r}")


async def notified(pilot, starting: str, wait_until, notifications) -> str:
    """The notification drawn on screen whose text starts with `starting`, once it is drawn."""

    found: list[str] = []

    def drawn() -> bool:
        found[:] = [n for n in notifications(pilot.app) if n.startswith(starting)]
        return bool(found)

    await wait_until(pilot, drawn, f"a notification starting {starting!r}")
    return found[0]


def panel_of(screen) -> StoryErrors | None:
    panels = screen.query_children(StoryErrors)
    return panels.first() if panels else None


def panel_shown(app: MillionMilesApp) -> bool:
    """Whether the panel shows the errors of a story that does not load (not what `check` finds in one that does)."""
    panel = panel_of(app.screen)
    return panel is not None and bool(panel.display) and not panel.warnings


def findings_shown(app: MillionMilesApp) -> tuple[str, ...]:
    """The lines of what `check` finds in the version being played, as the panel shows them (none if hidden)."""
    panel = panel_of(app.screen)
    return panel.lines if panel is not None and panel.display and panel.warnings else ()


def finds(app: MillionMilesApp, *starts: str) -> bool:
    """Whether the panel shows exactly as many findings as `starts`, in order, each starting so."""
    lines = findings_shown(app)
    return len(lines) == len(starts) and all(line.startswith(s) for line, s in zip(lines, starts, strict=True))


async def check(app: MillionMilesApp, pilot) -> None:
    await app.check_story()
    await pilot.pause()


# --------------------------------------------------------------------------- a good edit


def test_an_edit_redraws_the_same_scene_with_the_new_text_and_the_same_state(
    root, private_home, drive, screen_text, notifications, wait_until
):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")  # help with the ropes (grit 2), continue: the rows
        game = app.session.game
        assert game.scene.id == "rows" and GRAPES in screen_text(app)
        path, state = list(game.path), game.state.copy()
        await check(app, pilot)
        assert app.session.game is game, "nothing changed on disk: nothing is reloaded"

        edit(root, "1_fields.yaml", GRAPES, "The grapes hang heavy, and the heat hangs heavier.")
        await check(app, pilot)
        game = app.session.game
        assert game.scene.id == "rows" and game.path == path and game.state == state
        text = screen_text(app)
        assert "The grapes hang heavy, and the heat hangs heavier." in text and GRAPES not in text
        assert "Grit" in text and "2" in text
        await said(pilot, "Reloaded: 1 file changed.", wait_until, notifications)
        assert not panel_shown(app)
        assert app.story.scenes["rows"].paragraphs is not None and app.store.story is app.story
        autosave = json.loads((app.store.folder / "autosave.json").read_text())
        assert autosave["path"] == path and autosave["state"]["scene"] == "rows"
        await pilot.press("1")  # play goes on, on the new story
        assert app.session.game.scene.id == "desk"
        assert app.session.game.state.variables["applications"] == 1

    drive(app, scenario, notifications=True)


def test_undo_after_a_reload_walks_back_through_the_new_text(root, private_home, drive, screen_text):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "2", "1")  # watch the star, continue
        edit(root, "1_fields.yaml", "Every dawn you look for the star.", "Every dawn the star is there.")
        await check(app, pilot)
        await pilot.press("u")
        assert app.session.game.scene.id == "road"
        assert "Every dawn the star is there." in screen_text(app)

    drive(app, scenario)


def test_the_timer_notices_an_edit_by_itself(root, private_home, drive, screen_text, monkeypatch, wait_until):
    import game.tui.watching as watching

    monkeypatch.setattr(watching, "POLL_SECONDS", 0.05)
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        edit(root, "1_fields.yaml", GRAPES, "Ripe grapes, heavy heat.")
        await wait_until(pilot, lambda: "Ripe grapes, heavy heat." in screen_text(app), "the edit on screen")
        assert app.session.game.scene.id == "rows"

    drive(app, scenario)


def test_without_watch_there_is_no_timer_and_no_reload(root, private_home, drive, screen_text, monkeypatch):
    import game.tui.watching as watching

    monkeypatch.setattr(watching, "POLL_SECONDS", 0.05)  # as in the test above, where this edit shows in time
    app = make(root, private_home, watch=False)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        assert app.live is None
        edit(root, "1_fields.yaml", GRAPES, "Changed on disk.")
        # Nothing looks at the files by itself: twenty poll intervals go by and the scene is as it
        # was. This pause is the thing under test (nothing can be awaited for what does not happen).
        await pilot.pause(20 * watching.POLL_SECONDS)
        assert GRAPES in screen_text(app) and "Changed on disk." not in screen_text(app)
        await check(app, pilot)  # nor when asked: there is nothing to watch with
        assert GRAPES in screen_text(app)

    drive(app, scenario)


# --------------------------------------------------------------------------- a new file, new values, other scenes


def test_a_new_labelled_variable_appears_in_the_state_panel(root, private_home, drive, screen_text):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1")
        edit(root, "story.yaml", "  saw_star: false\n", "  saw_star: false\n  hope: {default: 4, label: Hope}\n")
        await check(app, pilot)
        assert app.session.game.state.variables["hope"] == 4
        assert app.session.game.state.variables["grit"] == 2
        assert "Hope" in screen_text(app) and "4" in screen_text(app)
        await pilot.press("1")  # the rebuilt panels still follow the game
        assert app.session.game.scene.id == "rows"

    drive(app, scenario, size=(120, 36))


def test_a_scene_in_a_new_subfolder_file_can_be_reached(
    root, private_home, drive, screen_text, notifications, wait_until
):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        (root / "extra").mkdir()
        (root / "extra" / "barn.yaml").write_text(
            "scenes:\n  barn:\n    title: The Barn\n    text: Hay to the rafters.\n    ending: home\n"
        )
        edit(
            root,
            "1_fields.yaml",
            "      - text: Stay in the valley\n        goto: home_end",
            "      - text: Stay in the valley\n        goto: barn",
        )
        await check(app, pilot)
        await said(pilot, "Reloaded: 2 files changed.", wait_until, notifications)
        await pilot.press("3")
        assert isinstance(app.screen, EndingScreen)
        assert "Hay to the rafters." in screen_text(app)

    drive(app, scenario, notifications=True)


def test_a_choice_that_is_gone_stops_the_replay_and_says_where(
    root, private_home, drive, screen_text, notifications, wait_until
):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "2", "1", "3")  # watch the star, continue, stay in the valley: an ending
        assert isinstance(app.screen, EndingScreen)
        edit(root, "1_fields.yaml", "      - text: Stay in the valley\n        goto: home_end\n", "")
        await check(app, pilot)
        assert isinstance(app.screen, SceneScreen), "the stale ending screen is closed"
        game = app.session.game
        assert game.scene.id == "rows" and game.path == [2, 1]
        assert game.state.variables["saw_star"] is True
        warning = await notified(pilot, "Reloaded", wait_until, notifications)
        assert (
            "replayed 2 of 3 choices, stopped in scene 'rows': the choice 'Stay in the valley' is no longer offered"
        ) in warning
        app.clear_notifications()  # the warning names the choice: let it go, then look at the scene
        await wait_until(pilot, lambda: "no longer offered" not in screen_text(app), "the warning to leave the screen")
        assert "Stay in the valley" not in screen_text(app)

    drive(app, scenario, notifications=True)


def test_an_ending_screen_is_drawn_again_with_the_new_text(root, private_home, drive, screen_text):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1", "1", "3")
        assert isinstance(app.screen, EndingScreen)
        edit(root, "2_applications.yaml", "The valley is green to the edge of the sky.", "The valley glows.")
        await check(app, pilot)
        assert isinstance(app.screen, EndingScreen)
        assert "The valley glows." in screen_text(app)

    drive(app, scenario)


# --------------------------------------------------------------------------- what check finds, after


ATTIC = """
  attic:
    title: The Attic
    text: Dust.
    goto: dawn
"""


def test_what_check_finds_follows_each_reload_without_holding_it_up(
    root, private_home, drive, screen_text, notifications, wait_until
):
    """The reload is applied at once; the warnings and the explorer's findings of the new version come
    from a child process a moment later, in the same panel, and go when they are fixed."""
    app = make(root, private_home)
    desk = f"{root}/2_applications.yaml:3:3: warning: scene 'desk' needs 20 lines at its longest"
    attic = f"{root}/1_fields.yaml:42:3: warning: scene 'attic' is never reached: no path from the start leads here"

    async def scenario(pilot):
        await pilot.press("n")
        await wait_until(pilot, lambda: finds(app, desk), "the fixture's one warning, found at the start")
        assert "check finds 1 problem" in screen_text(app) and not panel_shown(app)

        (root / "1_fields.yaml").write_text((root / "1_fields.yaml").read_text() + ATTIC, encoding="utf-8")
        await check(app, pilot)
        assert "attic" in app.story.scenes, "the reload does not wait for the findings"
        await said(pilot, "Reloaded: 1 file changed.", wait_until, notifications)
        await wait_until(pilot, lambda: finds(app, attic, desk), "the new unreachable scene, found after the reload")
        assert "check finds 2 problems" in screen_text(app) and "scene 'attic' is never reached" in screen_text(app)

        await pilot.press("x")  # dismissed until what it lists changes
        assert not findings_shown(app)
        edit(root, "1_fields.yaml", ATTIC, "")
        await check(app, pilot)
        await wait_until(pilot, lambda: finds(app, desk), "the fixed warning gone, the other back")
        assert app.session.game.path == []  # none of this was a move

    drive(app, scenario, size=(200, 32), notifications=True)


def test_what_check_found_stays_on_screen_when_a_reload_rebuilds_the_state_panels(
    root, private_home, drive, screen_text, wait_until
):
    """A new labelled variable rebuilds the scene screen, and the findings panel with it: the last
    findings stay shown until the new version's arrive (a CI run once had them arrive mid-rebuild, into a
    panel that had lost its children, and the app failed)."""
    app = make(root, private_home)
    desk = f"{root}/2_applications.yaml:3:3: warning: scene 'desk' needs 20 lines at its longest"
    hope = f"{root}/story.yaml:9:3: warning: variable 'hope' is never changed"

    async def scenario(pilot):
        await pilot.press("n", "1")
        await wait_until(pilot, lambda: finds(app, desk), "the fixture's one warning")
        edit(root, "story.yaml", "  saw_star: false\n", "  saw_star: false\n  hope: {default: 4, label: Hope}\n")
        await check(app, pilot)
        assert "Hope" in screen_text(app)
        assert findings_shown(app), "the panel went with the rebuilt screen"
        await wait_until(pilot, lambda: finds(app, desk, hope), "the new version's findings")

    drive(app, scenario, size=(200, 36))


def test_a_panel_losing_its_children_to_a_rebuild_can_still_be_given_lines(drive):
    """What a findings worker may do while the screen recomposes: the panel's children go first."""
    from textual.app import App

    class Host(App[None]):
        def compose(self):
            yield StoryErrors()

    app = Host()

    async def scenario(pilot):
        panel = app.query_one(StoryErrors)
        panel.show(("a.yaml:1:1: warning: one",), warnings=True)
        await pilot.pause()
        await panel.query_children("*").remove()
        panel.show(("a.yaml:1:1: warning: one", "a.yaml:2:1: warning: two"), warnings=True)
        assert panel.border_title == "check finds 2 problems"

    drive(app, scenario)


# --------------------------------------------------------------------------- a broken edit


def test_a_broken_edit_shows_the_located_errors_and_play_goes_on_then_a_fix_hides_them(
    root, private_home, drive, screen_text, notifications, wait_until
):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")
        good = app.story
        edit(root, "1_fields.yaml", "        goto: desk", "        goto: dek")
        edit(root, "1_fields.yaml", GRAPES, "Broken grapes.")
        await check(app, pilot)
        assert panel_shown(app)
        text = screen_text(app)
        line = f"{root}/1_fields.yaml:34:15: error: unknown scene 'dek' (did you mean 'desk'?)"
        assert panel_of(app.screen).lines == (line,)
        assert line in text
        assert "The story on disk has 1 error" in text
        assert app.story is good and GRAPES in text  # the last good version stays
        assert app.screen.focused is not None and app.screen.focused.id == "choices"

        await pilot.press("1")  # play goes on with the last good version
        assert app.session.game.scene.id == "desk"
        assert panel_shown(app), "the errors stay while the story on disk is broken"
        await check(app, pilot)
        assert panel_shown(app)

        edit(root, "1_fields.yaml", "        goto: dek", "        goto: desk")
        await check(app, pilot)
        assert not panel_shown(app)
        assert app.session.game.scene.id == "desk" and app.session.game.path == [1, 1, 1]
        await said(pilot, "Reloaded: 1 file changed.", wait_until, notifications)
        await pilot.press("u")
        assert "Broken grapes." in screen_text(app)

    drive(
        app, scenario, size=(180, 32), notifications=True
    )  # the whole located line of a long temporary path on one row


def test_the_error_panel_can_be_dismissed_until_the_errors_change(root, private_home, drive, screen_text):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n")
        edit(root, "1_fields.yaml", "goto: road\n      - text: Watch", "goto: rode\n      - text: Watch")
        await check(app, pilot)
        assert panel_shown(app)
        await pilot.press("x")
        assert not panel_shown(app)
        assert app.session.game.path == []  # x is not a move
        edit(root, "story.yaml", "start: dawn", "start: dusk")
        await check(app, pilot)
        assert panel_shown(app), "new errors show again"
        assert "The story on disk has 2 errors" in screen_text(app)
        await pilot.click("#story-errors-dismiss")
        assert not panel_shown(app)

    drive(app, scenario)


def test_errors_found_on_the_title_screen_follow_the_player_into_the_game(root, private_home, drive, screen_text):
    app = make(root, private_home)

    async def scenario(pilot):
        edit(root, "story.yaml", "title: Fixture Orbit", "title: [Fixture Orbit")
        await check(app, pilot)
        assert isinstance(app.screen, TitleScreen) and panel_shown(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and panel_shown(app)
        assert panel_of(app.screen).lines[0].startswith(f"{root}/story.yaml:2:8: error: YAML syntax error")
        assert "YAML syntax error" in screen_text(app)
        edit(root, "story.yaml", "title: [Fixture Orbit", "title: Fixture Orbit Two")
        await check(app, pilot)
        assert not panel_shown(app) and app.title == "Fixture Orbit Two"
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
        assert "Fixture Orbit Two" in screen_text(app)
        assert not panel_shown(app)

    drive(app, scenario)


def test_on_the_smallest_terminal_the_panel_leaves_the_choices_in_view(root, private_home, drive, screen_text):
    app = make(root, private_home)

    async def scenario(pilot):
        await pilot.press("n", "1", "1")  # the rows: three choices under a long text
        edit(root, "1_fields.yaml", "        goto: desk", "        goto: dek")
        edit(root, "story.yaml", "start: dawn", "start: dusk")
        await check(app, pilot)
        await pilot.pause()
        text = screen_text(app)
        assert panel_shown(app) and "The story on disk has 2 errors" in text
        assert "1. Mail your first application to NASA" in text and "3. Stay in the valley" in text
        assert "Dismiss (x)" in text
        edit(root, "1_fields.yaml", "        goto: dek", "        goto: desk")
        edit(root, "story.yaml", "start: dusk", "start: dawn")
        await check(app, pilot)
        await pilot.pause()
        assert not panel_shown(app) and "3. Stay in the valley" in screen_text(app)

    drive(app, scenario, size=(60, 20))
