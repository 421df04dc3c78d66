"""Tags on scenes and choices; a scene that asks the player to type a name."""

from __future__ import annotations

import pytest

from game.engine.explore import explore_exhaustive
from game.engine.runtime import Game
from game.engine.saves import SaveStore, restore

STORY = """\
scenes:
  a:
    title: "Welcome"
    tags: [music-calm, chapter-card]
    input:
      variable: name
      prompt: What is your name?
      max: 8
      default: Ana
    text: Hello.
    goto: b
  b:
    title: "{name}'s room"
    text: "Hi, {name}."
    tags: quiet
    choices:
      - text: Leave
        tags: [exit, door]
        goto:
          - {if: "name == 'Ana'", scene: c}
          - {scene: d}
  c:
    text: The usual way.
    ending: done
  d:
    text: Another way.
    ending: other
"""


def test_tags_are_kept_on_scenes_and_choices(story2):
    story = story2(STORY)
    assert story.scenes["a"].tags == ("music-calm", "chapter-card")
    assert story.scenes["b"].tags == ("quiet",)
    assert story.scenes["b"].choices[0].tags == ("exit", "door")


def test_tags_are_in_the_explorers_json(story2):
    data = explore_exhaustive(story2(STORY)).as_json()
    assert data["tags"]["music-calm"] == {"scenes": ["a"], "choices": []}
    assert data["tags"]["door"] == {"scenes": [], "choices": ["b#0"]}
    assert data["endings"]["done"]["shortest"]["tags"] == [["music-calm", "chapter-card"], ["quiet"], []]


def test_the_player_types_a_name_kept_cleaned_and_cut_to_its_length(story2):
    game = Game(story2(STORY))
    assert game.asks and game.scene.input.prompt == "What is your name?"
    game.answer("  Mar\x1bía\tJosé Hernández ")
    assert game.variables["name"] == "Mar ía J"
    assert game.title == "Mar ía J's room"
    game.choose(1)
    assert game.scene.id == "d"
    entries = list(game.journal())
    assert entries[0].chosen == "“Mar ía J”"


def test_an_empty_answer_or_continue_takes_the_default(story2):
    story = story2(STORY)
    game = Game(story)
    game.answer("   ")
    assert game.variables["name"] == "Ana"
    game = Game(story)
    game.choose(1)
    assert game.variables["name"] == "Ana"


def test_a_typed_answer_is_saved_in_the_path_and_replayed(story2, tmp_path):
    story = story2(STORY)
    game = Game(story)
    game.answer("Rosa")
    data = SaveStore(tmp_path, story).snapshot(game, "x")
    assert data["path"] == ["Rosa"]
    resumed = restore(story, data).game
    assert resumed.variables["name"] == "Rosa" and resumed.path == ["Rosa"]
    resumed.undo()
    assert resumed.scene.id == "a"


def test_the_explorer_answers_with_the_default(story2):
    result = explore_exhaustive(story2(STORY))
    assert set(result.endings) == {"done"} and result.unreached_endings == ["other"]


def test_input_needs_a_string_variable_a_goto_and_sane_lengths(messages2):
    found = messages2(
        """\
        scenes:
          a:
            input: {variable: n, max: 500}
            text: Hi.
            choices:
              - {text: Go, goto: a}
          b:
            input: {variable: nam, default: "far too long a name for this", max: 5}
            text: Hi.
            goto: a
        """
    )
    assert [f.rsplit("(", 1)[1] for f in found] == ["input-exit)", "type)", "number-range)", "unknown-variable)"]
    assert "must name a string variable; 'n' is an integer" in found[1]
    assert "'max' must be from 1 to 200 characters, found 500" in found[2]


@pytest.mark.parametrize("answer", ["", "x" * 500, "\u202eevil\u202c", "line\nbreak"])
def test_any_answer_is_kept_safe(story2, answer):
    game = Game(story2(STORY))
    game.answer(answer)
    name = game.variables["name"]
    assert isinstance(name, str) and 1 <= len(name) <= 8 and name.isprintable()
