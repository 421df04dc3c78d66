"""The exhaustive explorer on small crafted stories whose flaws are known, line by line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from game.engine.explore import (
    control_projection,
    explore_exhaustive,
    findings,
    full_projection,
)
from game.engine.loader import load_story

STORIES = Path(__file__).parent / "stories"


@pytest.fixture(scope="module")
def flawed():
    return load_story(STORIES / "flawed")


def write_story(root: Path, story: str, scenes: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(story, encoding="utf-8")
    (root / "scenes.yaml").write_text(scenes, encoding="utf-8")
    return root


def test_findings_are_located_with_the_right_severity(flawed):
    lines = [str(d) for d in findings(flawed)]
    assert lines == [
        "scenes.yaml:20:9: warning: choice \"Bribe the dragon\" is never offered: its condition 'coins > 5' "
        "is false whenever scene 'maze' is reached",
        "scenes.yaml:25:3: error: inescapable loop: once here no ending can be reached (the loop goes through "
        'corridor, hall); entered by 2 choices: "Enter the maze" → "Wander left"',
        "scenes.yaml:31:3: error: dead end: scene 'bridge' offers no choice here and is not an ending "
        '(with torch=false); reached by 3 choices: "Pick up a coin" → "Enter the maze" → "Pay the troll"',
        "scenes.yaml:34:9: warning: choice \"Cross with the torch\" is never offered: its condition 'torch' "
        "is false whenever scene 'bridge' is reached",
        "scenes.yaml:37:3: warning: scene 'vault' is never reached: no path from the start leads here",
        "scenes.yaml:40:3: warning: scene 'attic' is never reached: no path from the start leads here",
        "story.yaml:10:3: warning: ending 'treasure' is never reached: no path leads to it",
    ]


def test_result_lists_each_finding(flawed):
    result = explore_exhaustive(flawed)
    assert result.complete
    assert {e: r.texts for e, r in result.endings.items()} == {"home": ("Walk home",)}
    assert result.unreached_endings == ["treasure"]
    assert result.unreachable_scenes == ["vault", "attic"]
    assert [c.key for c in result.never_offered] == ["maze#1", "bridge#0"]
    assert [(d.scene, d.values, d.route.moves) for d in result.dead_ends] == [("bridge", ("torch=false",), (1, 2, 1))]
    assert [(lp.scenes, lp.route.texts) for lp in result.loops] == [
        (("corridor", "hall"), ("Enter the maze", "Wander left"))
    ]


def test_escapable_loops_are_not_reported(tmp_path: Path):
    # A 200×200 grid you can walk back and forth in: every state can still reach the ending.
    root = write_story(
        tmp_path / "grid",
        "title: Grid\nstart: field\nvariables:\n  x: {default: 0, min: 0, max: 199}\n"
        "  y: {default: 0, min: 0, max: 199}\nendings:\n  corner: {title: Corner}\n",
        "scenes:\n  field:\n    text: You stand at {x}, {y}.\n    choices:\n"
        "      - {text: East, if: x < 199, set: {x: x + 1}, goto: field}\n"
        "      - {text: North, if: y < 199, set: {y: y + 1}, goto: field}\n"
        "      - {text: West, if: x > 0, set: {x: x - 1}, goto: field}\n"
        "      - {text: Rest in the corner, if: x + y == 398, goto: corner}\n"
        "  corner: {text: The far corner., ending: corner}\n",
    )
    story = load_story(root)
    began = time.perf_counter()
    result = explore_exhaustive(story)
    seconds = time.perf_counter() - began
    assert result.complete and result.states == 40_001
    assert result.loops == [] and result.dead_ends == []
    assert len(result.endings["corner"]) == 399
    # The floor is far below what it does (~100,000 states/s) so a busy machine does not fail it.
    assert result.states / seconds > 5_000


def test_a_self_loop_with_no_way_out_is_an_inescapable_loop(tmp_path: Path):
    root = write_story(
        tmp_path / "wait",
        "title: Wait\nstart: porch\nendings:\n  left: {title: Left}\n",
        "scenes:\n  porch:\n    text: A porch.\n    choices:\n"
        "      - {text: Leave, goto: gone}\n      - {text: Sit down, goto: chair}\n"
        "  chair:\n    text: You sit.\n    choices:\n      - {text: Keep sitting, goto: chair}\n"
        "  gone: {text: Gone., ending: left}\n",
    )
    result = explore_exhaustive(load_story(root))
    assert [(lp.scenes, lp.route.texts) for lp in result.loops] == [(("chair",), ("Sit down",))]


def test_state_space_over_the_bound_gives_a_clear_message_and_the_partial_result():
    story = load_story(STORIES / "endless")
    result = explore_exhaustive(story, max_states=500)
    assert not result.complete
    assert result.states == 500
    assert result.endings["done"].texts == ("Stop before you start",)
    assert result.unreachable_scenes == [] and result.never_offered == [] and result.loops == []
    assert [str(d) for d in result.diagnostics()] == [
        "story.yaml:3:8: warning: exhaustive analysis stopped at its bound of 500 states: unreachable scenes, "
        "never-offered choices, endings never reached and inescapable loops were not checked "
        "(raise --max-states to search further)"
    ]
    data = result.as_json()
    assert data["complete"] is False and data["unreachable_scenes"] is None and data["loops"] is None


def test_dead_ends_found_before_the_bound_are_still_reported(flawed):
    result = explore_exhaustive(flawed, max_states=16)  # the whole story has 17 states
    assert not result.complete
    assert [d.scene for d in result.dead_ends] == ["bridge"]


def test_output_is_deterministic(flawed):
    first, second = explore_exhaustive(flawed).as_json(), explore_exhaustive(flawed).as_json()
    assert first == second


# --------------------------------------------------------------------------- the projection


def test_control_projection_keeps_only_what_can_change_the_future():
    story = load_story(STORIES / "projection")
    proj = control_projection(story)
    # steps: only interpolated; mood: only read by a paragraph's `if`; coins: read by a condition;
    # keys: read by conditions and computed from coins.
    assert proj.variables == ("coins", "keys")
    assert proj.visits == ("hub", "door")
    assert proj.caps == (5, 2)  # visits(hub) < 4, visits(door) == 1: larger counts behave alike
    assert proj.once == ("hub#0", "hub#1", "hub#2")


def test_closure_under_set_makes_a_source_variable_control(tmp_path: Path):
    root = write_story(
        tmp_path / "closure",
        "title: C\nstart: a\nvariables:\n  gate: 0\n  source: 0\n  prose: 0\nendings:\n  e: {title: E}\n",
        "scenes:\n  a:\n    text: '{prose}'\n    choices:\n"
        "      - {text: Gather, set: {source: source + 1, prose: prose + 1}, goto: a}\n"
        "      - {text: Open, if: gate > 0, goto: b}\n"
        "      - {text: Turn, set: {gate: source}, goto: a}\n"
        "  b: {text: B, ending: e}\n",
    )
    assert control_projection(load_story(root)).variables == ("gate", "source")


def test_projection_finds_exactly_what_the_full_state_finds():
    story = load_story(STORIES / "projection")
    projected = explore_exhaustive(story)
    full = explore_exhaustive(story, projection=full_projection(story))
    assert full.complete and projected.complete
    # Same findings at the same places; only a dead end's description may differ, where the
    # projection knows a count only as "at least": visits(door)>=2 against visits(door)=2.
    assert [(d.loc, d.severity, d.code) for d in projected.diagnostics()] == [
        (d.loc, d.severity, d.code) for d in full.diagnostics()
    ]
    assert [(d.scene, d.route) for d in projected.dead_ends] == [(d.scene, d.route) for d in full.dead_ends]
    assert projected.dead_ends[0].values == ("keys=0", "visits(hub)=4", "visits(door)>=2")
    assert full.dead_ends[0].values == ("keys=0", "visits(hub)=4", "visits(door)=2")
    assert {e: r.texts for e, r in projected.endings.items()} == {e: r.texts for e, r in full.endings.items()}
    assert projected.unreachable_scenes == full.unreachable_scenes == ["nowhere", "orphan"]
    assert [c.key for c in projected.never_offered] == [c.key for c in full.never_offered] == ["door#2"]
    assert [d.scene for d in projected.dead_ends] == [d.scene for d in full.dead_ends] == ["door"]
    # …from far fewer states: text-only variables and exact visit counts no longer split states.
    assert projected.states * 2 < full.states


def test_routes_replay_to_their_target_in_the_real_runtime(flawed):
    from game.engine.runtime import Game

    result = explore_exhaustive(flawed)
    game = Game(flawed)
    for number in result.endings["home"].moves:
        game.choose(number)
    assert game.is_over and game.ending.id == "home"
    game = Game(flawed)
    for number in result.dead_ends[0].route.moves:
        game.choose(number)
    assert game.state.scene == "bridge" and game.options == []


def test_a_dead_end_says_which_values_and_once_choices_closed_it(tmp_path: Path):
    root = write_story(
        tmp_path / "once",
        "title: O\nstart: a\nendings:\n  e: {title: E}\n",
        "scenes:\n  a:\n    text: A.\n    choices:\n"
        "      - {text: Look around, once: true, goto: a}\n"
        "      - {text: Leave, if: visits(a) > 5, goto: b}\n"
        "  b: {text: B, ending: e}\n",
    )
    (dead,) = explore_exhaustive(load_story(root)).dead_ends
    assert (dead.scene, dead.values, dead.taken) == ("a", ("visits(a)=2",), ("Look around",))
    assert str(explore_exhaustive(load_story(root)).diagnostics()[0]) == (
        "scenes.yaml:2:3: error: dead end: scene 'a' offers no choice here and is not an ending "
        '(with visits(a)=2; already taken: "Look around"); reached by 1 choice: "Look around"'
    )
