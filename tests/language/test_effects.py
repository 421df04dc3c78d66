"""Effects: a scene's `set` on every entry, `once` effects, effects that apply while a condition holds."""

from __future__ import annotations

from game.engine.explore import explore_exhaustive
from game.engine.runtime import Game

HUB = """\
scenes:
  a:
    set: {n: n + 1}
    effects:
      - once: true
        set: {bag: bag + 'map'}
      - if: n >= 3
        set: {flag: true}
    text: "Visit {n}."
    choices:
      - text: Again
        goto: a
      - text: Leave
        if: flag
        effects:
          - if: "'map' in bag"
            set: {name: "'Ana with a map'"}
          - set: {bag: bag - 'map'}
        goto: b
  b:
    text: "{name}, carrying {count(bag)} things."
    ending: done
"""


def test_entering_a_scene_applies_its_set_every_time_and_a_once_effect_the_first_time(story2):
    game = Game(story2(HUB))
    assert game.variables["n"] == 1 and game.variables["bag"] == frozenset({"map"})  # the start scene is entered too
    game.choose(1)
    game.choose(1)
    assert game.variables["n"] == 3 and game.variables["flag"] is True
    assert game.text == "Visit 3."
    assert "a!0" in game.state.taken and game.variables["bag"] == frozenset({"map"})


def test_a_choices_effects_apply_in_order_each_seeing_the_ones_before(story2):
    game = Game(story2(HUB))
    game.choose(1)
    game.choose(1)
    game.choose(2)
    assert game.text == "Ana with a map, carrying 0 things."


def test_undo_restores_what_effects_changed(story2):
    game = Game(story2(HUB))
    game.choose(1)
    game.choose(1)
    game.undo()
    assert game.variables["n"] == 2 and game.variables["flag"] is False


def test_the_explorer_follows_effects(story2):
    result = explore_exhaustive(story2(HUB))
    assert result.complete and list(result.endings) == ["done"]
    assert result.endings["done"].texts == ("Again", "Again", "Leave")
    assert "flag" in result.control and "n" in result.control  # flag decides; n decides flag


def test_a_once_effect_of_a_choice_applies_the_first_time_it_is_taken(story2):
    story = story2(
        """\
        scenes:
          a:
            text: "{n}"
            choices:
              - text: Work
                effects:
                  - once: true
                    set: {n: n + 5}
                  - set: {n: n + 1}
                goto: a
              - text: Stop
                goto: b
          b:
            text: Bye.
            ending: done
        """
    )
    game = Game(story)
    game.choose(1)
    game.choose(1)
    assert game.variables["n"] == 7


def test_effects_are_checked_like_choices(messages2):
    found = messages2(
        """\
        scenes:
          a:
            set: {nn: 1}
            effects:
              - if: n
                set: {n: n + 1}
              - sett: {n: 1}
            text: Hi.
            ending: done
        """
    )
    assert found == [
        "s.yaml:3:11: unknown variable 'nn' (did you mean 'n'?) (unknown-variable)",
        "s.yaml:5:13: 'if' must be a boolean but this expression gives an integer (type)",
        "s.yaml:7:9: unknown key 'sett' in effect 2 (did you mean 'set'?) (unknown-key)",
    ]
