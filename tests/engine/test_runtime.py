"""Playing a story through the engine's Python API."""

from __future__ import annotations

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game, GameOver, GameState

SCENES = """\
chapter: One
scenes:
  a:
    title: Start
    text: |
      You are {name}. Count: {n}.

      A second paragraph.
    choices:
      - text: Count up ({n})
        set: {n: n + 1}
        goto: a
      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a
      - text: Leave
        if: n >= 2
        goto:
          - {if: flag, scene: b}
          - {scene: c}
      - text: Swap
        set: {n: 0, name: name + "!", flag: n == 0}
        goto: a
  b:
    chapter: Two
    text:
      - Belled.
      - if: visits(a) > 3
        text: You lingered.
    goto: c
  c:
    text: The end, {name}.
    ending: done
"""


@pytest.fixture
def story(make_story):
    return load_story(make_story({"s.yaml": SCENES}))


def texts(game: Game) -> list[str]:
    return [o.text for o in game.options]


def test_text_is_interpolated_and_split_into_paragraphs(story):
    game = Game(story)
    assert game.paragraphs == ("You are Ana. Count: 0.", "A second paragraph.")
    assert game.scene.chapter == "One" and game.scene.title == "Start"


def test_conditions_and_once(story):
    game = Game(story)
    assert texts(game) == ["Count up (0)", "Ring the bell", "Swap"]
    game.choose(2)
    assert game.variables["flag"] is True
    assert texts(game) == ["Count up (0)", "Swap"]  # once: gone after it was taken
    game.choose(1)
    game.choose(1)
    assert texts(game) == ["Count up (2)", "Leave", "Swap"]


def test_clamping_to_max(story):
    game = Game(story)
    for _ in range(6):
        game.choose(1)
    assert game.variables["n"] == 3  # max: 3


def test_set_reads_the_state_before_the_choice(story):
    game = Game(story)
    game.choose(1)  # n = 1
    game.choose(3)  # Swap: n = 0, flag = (n == 0) evaluated before: False
    assert game.variables == {"n": 0, "name": "Ana!", "flag": False}


def test_conditional_goto_paragraphs_and_visits(story):
    game = Game(story)
    game.choose(2)  # bell
    game.choose(1)
    game.choose(1)
    game.choose(2)  # Leave → flag → b
    assert game.scene.id == "b" and game.scene.chapter == "Two"
    assert game.paragraphs == ("Belled.", "You lingered.")
    assert texts(game) == ["Continue"]
    game.choose(1)
    assert game.is_over and game.ending.title == "Done"
    assert game.paragraphs == ("The end, Ana.",)
    with pytest.raises(GameOver):
        game.choose(1)


def test_undo_restores_the_state_exactly(story):
    game = Game(story)
    snapshots = []
    for number in (2, 1, 1, 2):
        snapshots.append(game.state.to_json())
        game.choose(number)
    for expected in reversed(snapshots):
        game.undo()
        assert game.state.to_json() == expected
    assert not game.can_undo
    with pytest.raises(ValueError):
        game.undo()


def test_invalid_choice_number(story):
    game = Game(story)
    with pytest.raises(ValueError, match="no choice 9"):
        game.choose(9)


def test_journal_records_every_scene_and_choice(story):
    game = Game(story)
    for number in (2, 1, 1, 2, 1):
        game.choose(number)
    entries = list(game.journal())
    assert [e.scene.id for e in entries] == ["a", "a", "a", "a", "b", "c"]
    assert [e.chosen for e in entries] == ["Ring the bell", "Count up (0)", "Count up (1)", "Leave", "Continue", None]


def test_state_round_trips_through_json(story):
    game = Game(story)
    game.choose(2)
    restored = GameState.from_json(game.state.to_json())
    assert restored == game.state
    resumed = Game.resume(story, game.initial, game.path)
    assert resumed.state == game.state


ENTERING = """\
scenes:
  x:
    set: {a: a + 1}
    text: "X {a} {b}"
    choices:
      - text: To y
        goto: y
  y:
    set: {b: b + 10}
    text: "Y {a} {b}"
    choices:
      - text: To x
        goto: x
"""
ENTERING_STORY = """\
format: 2
title: Entering
start: x
variables:
  a: {default: 0}
  b: {default: 0}
  c: {default: 0}
"""


def test_a_mover_keeping_some_variables_applies_each_scenes_own_set(make_story):
    """The explorer's mover (`keep`: the variables that matter) once cached a scene's `set` by the
    id of a tuple made afresh at each entry: the next scene's fresh tuple could take the same id
    and be given the first scene's effects (x's `a + 1` applied on entering y)."""
    from game.engine.runtime import Mover, new_state

    story = load_story(make_story({"s.yaml": ENTERING}, story=ENTERING_STORY))
    for keep in (frozenset({"a", "b"}), None):
        mover = Mover(story, keep)
        state = new_state(story)  # in x: a = 1
        for target in ["y", "x", "y", "x"]:
            mover.enter(state, target)
        assert (state.variables["a"], state.variables["b"]) == (3, 20), keep
        assert not mover.quiet("x") and not mover.quiet("y")
