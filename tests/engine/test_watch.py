"""`play --watch` in the engine: noticing edits to a story folder and carrying a game across them."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game, GameState
from game.engine.saves import SaveStore, Session
from game.engine.watch import FileChanges, StoryWatcher, adopt, carry_over, replay, scan

SCENES = """\
chapter: One
scenes:
  a:
    title: Start
    text: Count {n}.
    choices:
      - text: Count up
        set: {n: n + 1}
        goto: a
      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a
      - text: Go on
        goto: b
  b:
    text: The hall.
    choices:
      - text: Left
        goto: c
      - text: Right
        goto: c
  c:
    text: The end, {name}.
    ending: done
"""


def write(path: Path, text: str) -> None:
    """Write `text` and move the file's time forward, as a later save in an editor would
    (a test writes faster than the file system's clock ticks)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists()
    before = path.stat().st_mtime_ns if existed else 0
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    if existed:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


@pytest.fixture
def root(make_story) -> Path:
    return make_story({"s.yaml": SCENES})


# --------------------------------------------------------------------------- noticing changes


def test_nothing_changed_means_no_reload(root):
    watcher = StoryWatcher(root)
    assert watcher.poll() is None
    assert watcher.poll() is None


def test_an_edit_to_a_scene_file_is_noticed_once(root):
    watcher = StoryWatcher(root)
    write(root / "s.yaml", SCENES.replace("Count {n}.", "Counting: {n}."))
    changes = watcher.poll()
    assert changes == FileChanges(modified=("s.yaml",))
    assert changes.summary() == "1 file changed"
    assert watcher.poll() is None  # the next look sees the new version as the baseline


def test_an_edit_of_the_same_size_is_noticed(root):
    watcher = StoryWatcher(root)
    write(root / "s.yaml", SCENES.replace("Count {n}.", "Tally {n}."))
    assert watcher.poll() == FileChanges(modified=("s.yaml",))


def test_an_edit_to_story_yaml_is_noticed(root):
    watcher = StoryWatcher(root)
    write(root / "story.yaml", (root / "story.yaml").read_text() + "# a comment\n")
    assert watcher.poll() == FileChanges(modified=("story.yaml",))


def test_a_new_file_a_deleted_file_and_a_file_in_a_subfolder_are_noticed(root):
    watcher = StoryWatcher(root)
    write(root / "part2" / "more.yaml", "scenes: {}\n")
    assert watcher.poll() == FileChanges(added=("part2/more.yaml",))
    write(root / "part2" / "more.yaml", "scenes: {}\n# edited\n")
    assert watcher.poll() == FileChanges(modified=("part2/more.yaml",))
    (root / "part2" / "more.yaml").unlink()
    write(root / "other.yml", "scenes: {}\n")
    changes = watcher.poll()
    assert changes == FileChanges(added=("other.yml",), removed=("part2/more.yaml",))
    assert changes.summary() == "2 files changed"


def test_files_the_loader_does_not_read_are_not_watched(root):
    watcher = StoryWatcher(root)
    write(root / "playthroughs" / "win.playthrough.yaml", "steps: []\n")
    write(root / ".s.yaml.swp", "editor junk")
    write(root / ".git" / "config.yaml", "x: 1\n")
    write(root / "notes.txt", "ideas")
    assert watcher.poll() is None
    assert set(scan(root)) == {"story.yaml", "s.yaml"}


def test_a_vanished_story_folder_is_a_change_not_a_crash(root):
    watcher = StoryWatcher(root)
    for file in root.iterdir():
        file.unlink()
    root.rmdir()
    assert watcher.poll() == FileChanges(removed=("s.yaml", "story.yaml"))
    result = watcher.reload()
    assert not result.ok and "does not exist" in result.errors[0].message


# --------------------------------------------------------------------------- reloading


def test_reload_returns_the_new_story_or_its_located_errors(root):
    watcher = StoryWatcher(root)
    assert watcher.reload().ok
    write(root / "s.yaml", SCENES.replace("goto: b", "goto: nowhere"))
    result = watcher.reload()
    assert not result.ok and result.story is None
    assert [str(d.loc) for d in result.errors] == ["s.yaml:15:15"]
    assert "nowhere" in result.errors[0].message
    assert watcher.loader.sources == {"story.yaml": "kept", "s.yaml": "compiled"}, "only the edited file compiles"


# --------------------------------------------------------------------------- replaying a game


def play(root: Path, *numbers: int) -> Game:
    game = Game(load_story(root))
    for n in numbers:
        game.choose(n)
    return game


def test_a_game_replays_to_the_same_point_with_the_new_text(root):
    old = play(root, 1, 2, 1, 2)  # count up, ring the bell (gone now), count up, go on: in b with n=2
    write(root / "s.yaml", SCENES.replace("The hall.", "The long hall, lit by torches."))
    story = load_story(root)
    result = carry_over(old.story, old, story)
    assert result.diverged is None
    game = result.game
    assert game.path == [1, 2, 1, 2] and game.state == old.state
    assert game.paragraphs == ("The long hall, lit by torches.",)
    assert game.story is story
    game.undo()  # the history is the new story's too
    assert game.scene.id == "a" and game.state.variables["n"] == 2


def test_a_choice_no_longer_offered_stops_the_replay_where_it_can_and_says_so(root):
    old = play(root, 1, 3, 2)  # count up, go on, right: the ending
    removed_right = SCENES.replace("      - text: Right\n        goto: c\n", "")
    write(root / "s.yaml", removed_right)
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is not None
    assert (result.diverged.replayed, result.diverged.total, result.diverged.scene) == (2, 3, "b")
    assert str(result.diverged) == (
        "replayed 2 of 3 choices, stopped in scene 'b': the choice 'Right' is no longer offered"
    )
    game = result.game
    assert game.scene.id == "b" and game.path == [1, 3] and game.state.variables["n"] == 1


def test_bare_choice_numbers_replay_as_far_as_they_are_offered(root):
    result = replay(load_story(root), Game(load_story(root)).initial, [3, 5])
    assert result.game.scene.id == "b" and result.game.path == [3]
    assert (
        str(result.diverged)
        == "replayed 1 of 2 choices, stopped in scene 'b': choice 5 is no longer offered (only 2 are)"
    )


def test_reordered_choices_are_found_by_their_text_not_their_number(root):
    old = play(root, 1, 3, 1)  # count up, go on, left
    swapped = SCENES.replace(
        """      - text: Count up
        set: {n: n + 1}
        goto: a
      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a
      - text: Go on
        goto: b""",
        """      - text: Go on
        goto: b
      - text: Count up
        set: {n: n + 1}
        goto: a
      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a""",
    )
    write(root / "s.yaml", swapped)
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is None
    assert result.game.path == [2, 1, 1] and result.game.state == old.state


def test_a_choice_removed_before_the_one_taken_does_not_shift_the_replay(root):
    old = play(root, 1, 3)  # count up, go on
    write(
        root / "s.yaml",
        SCENES.replace(
            """      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a
""",
            "",
        ),
    )
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is None and result.game.path == [1, 2] and result.game.scene.id == "b"


def test_a_choice_reworded_in_place_is_still_taken(root):
    old = play(root, 1, 3)
    write(root / "s.yaml", SCENES.replace("text: Go on", "text: Walk on into the hall"))
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is None and result.game.path == [1, 3] and result.game.scene.id == "b"


def test_a_removed_choice_is_reported_not_swapped_for_its_neighbour(root):
    old = play(root, 3, 1)  # go on, left
    write(root / "s.yaml", SCENES.replace("      - text: Left\n        goto: c\n", ""))
    result = carry_over(old.story, old, load_story(root))
    assert result.game.scene.id == "b" and result.game.path == [3]
    assert (
        str(result.diverged) == "replayed 1 of 2 choices, stopped in scene 'b': the choice 'Left' is no longer offered"
    )


def test_a_continue_that_became_a_choice_is_reported(make_story):
    root = make_story(
        {
            "s.yaml": """\
        scenes:
          a:
            text: One.
            goto: b
          b:
            text: Two.
            ending: done
        """
        }
    )
    old = Game(load_story(root))
    old.choose(1)
    write(
        root / "s.yaml",
        """\
        scenes:
          a:
            text: One.
            choices:
              - {text: Onward, goto: b}
          b:
            text: Two.
            ending: done
        """,
    )
    result = carry_over(old.story, old, load_story(root))
    assert result.game.scene.id == "a"
    assert "this scene now asks for a choice instead of Continue" in str(result.diverged)


def test_a_scene_that_became_an_ending_stops_the_replay_there(root):
    old = play(root, 3, 1)
    write(
        root / "s.yaml",
        SCENES.replace(
            """    text: The hall.
    choices:
      - text: Left
        goto: c
      - text: Right
        goto: c
""",
            """    text: The hall.
    ending: done
""",
        ),
    )
    result = carry_over(old.story, old, load_story(root))
    assert result.game.scene.id == "b" and result.game.is_over
    assert result.diverged is not None and "now an ending" in str(result.diverged)


def test_a_changed_goto_is_followed_not_reported(root):
    old = play(root, 3)
    write(
        root / "s.yaml", SCENES.replace("      - text: Go on\n        goto: b", "      - text: Go on\n        goto: c")
    )
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is None and result.game.scene.id == "c"


def test_a_new_game_picks_up_changed_defaults_and_new_variables(make_story, root):
    old = play(root, 1)
    story_yaml = (root / "story.yaml").read_text().replace("n: {default: 0,", "n: {default: 2,")
    write(root / "story.yaml", story_yaml.replace("flag: false", "flag: false\n  luck: 7"))
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is None
    assert result.game.state.variables == {"n": 3, "name": "Ana", "flag": False, "luck": 7}


def test_a_game_that_began_mid_story_keeps_the_values_that_still_exist(root):
    story = load_story(root)
    initial = GameState("b", {"n": 3, "name": "Zoe", "flag": True}, {"a": 2, "b": 1, "gone": 4}, {"a#1", "gone#0"})
    old = Game(story, initial)
    story_yaml = (root / "story.yaml").read_text().replace('name: "Ana"', "name: 5\n  brave: true")
    write(root / "story.yaml", story_yaml.replace("max: 3", "max: 2"))
    result = replay(load_story(root), old.initial, [1])
    assert result.diverged is None and result.game.scene.id == "c"
    # n kept (clamped to the new max), flag kept, name now a number (its default), brave new (its default)
    assert result.game.initial.variables == {"n": 2, "name": 5, "flag": True, "brave": True}
    assert result.game.initial.taken == {"a#1"} and result.game.initial.visits == {"a": 2, "b": 1}
    assert result.game.paragraphs == ("The end, 5.",)


def test_a_game_whose_first_scene_is_gone_starts_again_and_says_why(root):
    story = load_story(root)
    initial = GameState("b", story.defaults(), {"b": 1})
    edited = SCENES.replace("      - text: Go on\n        goto: b", "      - text: Go on\n        goto: c")
    edited = edited[: edited.index("  b:\n")] + edited[edited.index("  c:\n") :]
    write(root / "s.yaml", edited)
    result = replay(load_story(root), initial, [1])
    assert result.game.scene.id == "a" and result.game.path == []
    assert result.diverged is not None and result.diverged.restarted
    assert str(result.diverged) == "the game started in scene 'b', which is gone: it starts again from the beginning"


def test_an_empty_path_replays_trivially(root):
    old = Game(load_story(root))
    result = carry_over(old.story, old, load_story(root))
    assert result.diverged is None and result.game.path == [] and result.game.scene.id == "a"


# --------------------------------------------------------------------------- the session and its saves


def test_adopting_a_reload_moves_the_game_and_its_autosave_to_the_new_story(root, tmp_path):
    story = load_story(root)
    session = Session.new(SaveStore(tmp_path / "saves", story))
    session.choose(1)
    session.choose(3)
    write(root / "story.yaml", (root / "story.yaml").read_text().replace("title: Test", "title: Test Two"))
    new = load_story(root)
    adopted = adopt(new, story, session.store, session, FileChanges(modified=("story.yaml",)))
    assert adopted.message == "Reloaded: 1 file changed." and adopted.diverged is None
    assert session.store is adopted.store and adopted.store.story is new
    assert session.game.story is new and session.game.path == [1, 3]
    auto = adopted.store.autosave_entry()  # Continue, in the renamed story's saves, resumes the reloaded game
    assert auto is not None and auto.data["path"] == [1, 3] and auto.data["story"] == "Test Two"


def test_adopting_a_reload_that_lands_on_an_ending_records_it(root, tmp_path):
    story = load_story(root)
    session = Session.new(SaveStore(tmp_path / "saves", story))
    session.choose(3)  # the hall
    assert session.store.reached()[0] == {}
    write(
        root / "s.yaml",
        SCENES.replace(
            """    text: The hall.
    choices:
      - text: Left
        goto: c
      - text: Right
        goto: c
""",
            """    text: The hall.
    ending: done
""",
        ),
    )
    adopted = adopt(load_story(root), story, session.store, session, FileChanges(modified=("s.yaml",)))
    assert adopted.diverged is None and session.game.is_over
    assert set(adopted.store.reached()[0]) == {"done"}


def test_a_divergence_is_in_the_message(root, tmp_path):
    story = load_story(root)
    session = Session.new(SaveStore(tmp_path / "saves", story))
    session.choose(3)
    session.choose(2)
    write(root / "s.yaml", SCENES.replace("      - text: Right\n        goto: c\n", ""))
    adopted = adopt(load_story(root), story, session.store, session, FileChanges(modified=("s.yaml",)))
    assert adopted.diverged is not None
    assert adopted.message == (
        "Reloaded: 1 file changed. The game could not be replayed to the same point: "
        "replayed 1 of 2 choices, stopped in scene 'b': the choice 'Right' is no longer offered."
    )
    assert session.store.autosave_entry().data["path"] == [3]
