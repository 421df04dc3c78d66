"""Subroutines: a choice or a scene calls a sequence of scenes that returns where it was called from."""

from __future__ import annotations

from game.engine.explore import exhaustive_diagnostics, explore_exhaustive
from game.engine.runtime import MAX_CALL_DEPTH, Game

HUB = """\
scenes:
  a:
    text: "{seq: Hub | Hub again} ({n})."
    choices:
      - text: Ask
        call: talk
      - text: Ask, then go
        call: talk
        then: b
      - text: Leave
        if: n >= 2
        goto: b
  talk:
    set: {n: n + 1}
    text: "Talk {n}."
    choices:
      - text: Deeper
        call: deeper
        then: talk_end
      - text: Done
        goto: talk_end
  deeper:
    text: Deeper.
    return: true
  talk_end:
    text: That is all.
    return: true
  b:
    text: Bye.
    ending: done
"""


def test_a_call_returns_to_the_calling_scene_or_to_then(story2):
    game = Game(story2(HUB))
    game.choose(1)
    assert game.scene.id == "talk" and game.state.stack == ["^a"]  # back to 'a' as it was
    game.choose(1)
    assert game.scene.id == "deeper" and game.state.stack == ["^a", "talk_end"]  # then: entered
    assert [o.text for o in game.options] == ["Continue"]
    game.choose(1)
    assert game.scene.id == "talk_end" and game.state.stack == ["^a"]
    assert game.state.visits["talk_end"] == 1
    game.choose(1)
    # resumed, not entered again: its visit is not counted, its sequence does not move on
    assert game.scene.id == "a" and game.state.stack == [] and game.text == "Hub (1)."
    assert game.state.visits["a"] == 1
    game.choose(2)
    game.choose(2)
    game.choose(1)
    assert game.scene.id == "b"


def test_the_explorer_follows_calls(story2):
    result = explore_exhaustive(story2(HUB))
    assert result.complete and not result.dead_ends and not result.no_caller
    assert result.endings["done"].texts == ("Ask, then go", "Done", "Continue")


def test_a_scene_call_needs_then_and_then_needs_call(messages2):
    found = messages2(
        """\
        scenes:
          a:
            text: Hi.
            call: b
          b:
            text: Bye.
            then: a
            ending: done
        """
    )
    assert found == [
        "s.yaml:4:5: scene 'a' calls 'b' but has no 'then': add 'then: <scene id>', where the player goes when"
        " the called scene returns (call-without-then)",
        "s.yaml:7:5: 'then' goes with 'call' (where the player goes when the called scene returns), and scene 'b'"
        " has 'ending' (then-without-call)",
    ]


def test_a_return_that_no_call_reaches_is_an_error_of_the_check(story2):
    story = story2(
        "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, goto: r}\n"
        "      - {text: End, goto: e}\n  r:\n    text: Back?\n    return: true\n"
        "  e:\n    text: Bye.\n    ending: done\n"
    )
    result = explore_exhaustive(story)
    assert [sid for sid, _ in result.no_caller] == ["r"]
    assert not result.dead_ends
    (diagnostic,) = [d for d in exhaustive_diagnostics(result) if d.severity == "error"]
    assert diagnostic.code == "return-without-call" and diagnostic.loc.line == 7
    assert Game(story).options[0].text == "Go"
    game = Game(story)
    game.choose(1)
    assert game.options == [] and not game.is_over


def test_a_subroutine_that_calls_itself_is_reported(story2):
    story = story2(
        "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, call: a}\n      - {text: End, goto: e}\n"
        "  e:\n    text: Bye.\n    ending: done\n"
    )
    result = explore_exhaustive(story, max_states=10_000)
    assert [sid for sid, _ in result.too_deep] == ["a"]
    codes = [d.code for d in exhaustive_diagnostics(result)]
    assert "call-depth" in codes
    game = Game(story)
    for _ in range(MAX_CALL_DEPTH + 5):
        game.choose(1)
    assert len(game.state.stack) == MAX_CALL_DEPTH  # the oldest return point is forgotten, nothing breaks


def test_a_call_to_a_missing_scene_is_an_unknown_scene(messages2):
    found = messages2(
        "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Go, call: tlak}\n  talk:\n    text: T.\n    return: true\n"
    )
    assert found == ["s.yaml:5:26: unknown scene 'tlak' (did you mean 'talk'?) (unknown-scene)"]
