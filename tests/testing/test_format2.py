"""Playthroughs of a story of format 2: typing a name, fixing dice, seeds, tags, subroutines, sets.

The fixture story (tests/testing/story2) asks for a name at the dock, lets the player
ask the ferryman (a subroutine that gives a rope) and crosses on a roll of two dice.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from game.cli import main
from game.engine.explore import explore_exhaustive
from game.engine.loader import load_story
from game.engine.runtime import Game
from game.testing import PlaythroughFailure, Result, play, run_file, run_paths
from game.testing.walkthroughs import walkthrough_steps

STORY = Path(__file__).parent / "story2"


@pytest.fixture
def run(tmp_path: Path):
    """Write a playthrough against the crossing story (steps given as YAML) and run it."""

    def go(steps: str, head: str = "") -> Result:
        path = tmp_path / "case.playthrough.yaml"
        body = textwrap.indent(textwrap.dedent(steps).lstrip("\n"), "  ")
        path.write_text(f"story: {STORY.as_posix()}\n{textwrap.dedent(head)}steps:\n{body}", encoding="utf-8")
        return run_file(path, story_folder=STORY)

    return go


def failure(result: Result) -> str:
    assert not result.passed, "the playthrough was expected to fail"
    return result.message


# --------------------------------------------------------------------------- type


def test_type_answers_the_scene_that_asks_and_the_title_shows_it(run):
    result = run("""
        - expect: {scene: dock, title: The Dock}
        - type: Rosa
        - expect: {scene: bank, title: Rosa at the water, state: {name: Rosa}}
    """)
    assert result.passed, result.message


def test_typing_nothing_or_continuing_gives_the_default(run):
    assert run("- type: ''\n- expect: {state: {name: Sam}}\n").passed
    assert run("- choose: Continue\n- expect: {title: Sam at the water}\n").passed


def test_typed_text_is_cleaned_and_cut_as_a_players_would_be(run):
    result = run("- type: '  Maria   Josefina Hernández'\n- expect: {state: {name: Maria Josef}}\n")
    assert failure(result).count("expected name = 'Maria Josef', found 'Maria Josefi'") == 1  # cut at 12


def test_typing_where_no_text_is_asked_says_so(run):
    message = failure(run("- type: Rosa\n- type: Rosa\n"))
    assert 'step 2: type "Rosa" failed' in message
    assert "scene 'bank' asks for no text to type: 'choose' one of the choices offered" in message
    assert '1. dock: "“Rosa”"' in message  # the path so far shows what was typed


def test_a_failed_title_shows_the_title_as_it_reads(run):
    message = failure(run("- type: Rosa\n- expect: {title: Sam}\n"))
    assert 'title: expected the title to show "Sam"; it shows "Rosa at the water"' in message


# --------------------------------------------------------------------------- draws and seeds


def test_draws_fix_what_a_move_draws(run):
    assert run("- type: Rosa\n- choose: Cross\n  draws: [7]\n- expect: {ending: across, state: {luck: 7}}\n").passed
    assert run("- type: Rosa\n- choose: Cross\n  draws: 6\n- expect: {ending: swept, state: {luck: 6}}\n").passed


def test_a_draw_the_move_cannot_give_is_a_located_failure(run):
    message = failure(run("- choose: Continue\n- choose: Cross\n  draws: [13]\n"))
    assert message.splitlines()[0].endswith('case.playthrough.yaml:4:5: step 2: choose "Cross" failed')
    assert "draws [13]: this draw gives 2 to 12, so it cannot give 13" in message
    message = failure(run("- choose: Continue\n- choose: Cross\n  draws: [7, 7]\n"))
    assert "draws [7, 7]: this move draws 1" in message and "not the 2 given" in message
    message = failure(run("- choose: Continue\n  draws: [3]\n"))
    assert "draws [3]: this move draws 0 numbers, not the 1 given" in message  # Continue draws nothing


def test_the_seed_decides_the_draws_no_step_fixes(run):
    outcomes = {}
    for seed in range(12):
        game = Game.new(load_story(STORY), seed)
        game.choose(1)
        game.choose(2)
        outcomes[seed] = (game.variables["luck"], game.scene.ending)
    assert {ending for _, ending in outcomes.values()} == {"across", "swept"}
    for seed, (luck, ending) in outcomes.items():
        result = run(
            f"- choose: Continue\n- choose: Cross\n- expect: {{ending: {ending}, state: {{luck: {luck}}}}}\n",
            head=f"seed: {seed}\n",
        )
        assert result.passed, result.message


def test_million_miles_test_runs_a_format_2_playthrough(capsys):
    assert main(["test", str(STORY)]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "(With the ferryman's rope, any roll crosses, 10 steps)" in out


def test_without_a_seed_every_run_draws_the_same():
    first = play(STORY).choose(1).choose("Cross").variables["luck"]
    assert all(play(STORY).choose(1).choose("Cross").variables["luck"] == first for _ in range(5))


# --------------------------------------------------------------------------- tags


def test_tags_of_the_scene_and_of_the_choices_offered(run):
    result = run("""
        - expect: {tags: calm}
        - choose: Continue
        - expect:
            tags: [river, calm]
            choice_tags: {ask: talk, cross: [risk, water]}
    """)
    assert result.passed, result.message


def test_missing_tags_say_which_tags_are_there(run):
    message = failure(run("- choose: Continue\n- expect: {tags: [storm], choice_tags: {Cross: talk, Swim: x}}\n"))
    assert "tags: expected scene 'bank' to carry 'storm'; it carries 'river', 'calm'" in message
    assert "choice_tags: expected \"Cross\" to carry 'talk'; it carries 'risk', 'water'" in message
    assert 'choice_tags: no choice offered now matches "Swim"' in message


# --------------------------------------------------------------------------- calls, sets, entry effects


def test_a_call_returns_to_the_calling_scene_with_what_the_subroutine_gave(run):
    result = run("""
        - choose: Continue
        - choose: Ask the ferryman
        - expect: {scene: ferryman, state: {bag: [rope]}}
        - choose: Continue
        - expect: {scene: ferryman_done}
        - choose: Continue
        - expect: {scene: bank, text: You carry a rope., not_offers: Ask the ferryman}
        - choose: Cross
          draws: [2]
        - expect: {ending: across}
    """)
    assert result.passed, result.message


def test_a_preset_set_and_a_start_scene_whose_effects_apply_on_entering(run):
    assert run("- expect: {text: You carry a rope.}\n", head="start: bank\nstate: {bag: [rope]}\n").passed
    # Starting in the ferryman's scene applies its `set`, as entering it in play does.
    assert run("- expect: {state: {bag: [rope]}}\n", head="start: ferryman\n").passed
    message = failure(run("- expect: {state: {bag: [rope, lamp]}}\n", head="start: ferryman\n"))
    assert "state: expected bag = ['lamp', 'rope'], found ['rope']" in message


# --------------------------------------------------------------------------- the file's own mistakes


def test_misused_keys_are_located_errors(run, tmp_path: Path):
    message = failure(
        run(
            """
            - expect: {scene: dock}
              draws: [1]
            - draws: 3
            - choose: Cross
              draws: [two]
            - type:
            - choose: Continue
              type: Ann
            - expect: {tags: {a: b}, choice_tags: [x]}
            """,
            head="seed: -1\nstate: {bag: [1]}\n",
        )
    )
    assert message.replace(f"{tmp_path.as_posix()}/", "").splitlines() == [
        "case.playthrough.yaml:2:7: error: 'seed' must be a whole number from 0, found the integer -1",
        "case.playthrough.yaml:3:15: error: the value of 'bag' is a set, which holds strings: found the integer 1",
        "case.playthrough.yaml:6:12: error: 'draws' of step 1 goes with a move, and 'expect' makes none: write it"
        " beside the 'choose' or 'type' that draws them",
        "case.playthrough.yaml:7:12: error: 'draws' of step 2 goes with the move that draws them: write it beside"
        " that step's 'choose' or 'type'",
        "case.playthrough.yaml:9:13: error: 'draws' must be a number or a list of numbers, one per draw, found the"
        " text 'two'",
        "case.playthrough.yaml:10:10: error: 'type' must be the text the player types ('' for none), found nothing"
        " (null)",
        "case.playthrough.yaml:11:5: error: step 5 has both 'choose' and 'type': write them as two steps",
        "case.playthrough.yaml:13:20: error: each tag must be text, found a mapping",
        "case.playthrough.yaml:13:41: error: 'choice_tags' must be a mapping of choice text → tags, found a list",
    ]


def test_the_python_api_types_draws_and_checks_tags():
    player = play(STORY, seed=3).type("Ines").expect(title="Ines at the water", tags="river")
    player.choose("Cross", draws=[12]).expect(ending="across", state={"luck": 12})
    with pytest.raises(PlaythroughFailure, match="cannot give 1\n"):
        play(STORY).choose(1).choose("Cross", draws=[1])


# --------------------------------------------------------------------------- walkthroughs


def test_walkthroughs_type_where_a_text_is_asked_and_fix_the_draws():
    story = load_story(STORY)
    result = explore_exhaustive(story)
    assert walkthrough_steps(story, result.endings["across"], "across") == [
        {"type": "Sam"},
        {"choose": "Cross", "draws": [7]},
        {"expect": {"ending": "across"}},
    ]
    assert walkthrough_steps(story, result.endings["swept"], "swept")[1] == {"choose": "Cross", "draws": [2]}


def test_written_walkthroughs_of_a_story_with_chance_pass_whatever_the_seed(tmp_path: Path, capsys):
    story = tmp_path / "story"
    shutil.copytree(STORY, story, ignore=shutil.ignore_patterns("playthroughs"))
    folder = story / "playthroughs"
    assert main(["explore", str(story), "--write-walkthroughs", str(folder)]) == 0
    text = (folder / "across.playthrough.yaml").read_text(encoding="utf-8")
    assert "  - type: Sam\n  - choose: Cross\n    draws: [7]\n" in text
    for path in folder.iterdir():  # the draws are fixed: another seed takes the same way
        path.write_text(path.read_text(encoding="utf-8").replace("steps:", "seed: 5\nsteps:"), encoding="utf-8")
    results = run_paths([folder])
    assert [r.passed for r in results] == [True, True], [r.message for r in results]
    capsys.readouterr()


# --------------------------------------------------------------------------- the editor's schema

FULL = """\
story: ..
seed: 4
state: {bag: [rope], luck: 2}
steps:
  - type: Rosa
  - choose: Cross
    draws: [7]
  - choose: 1
    draws: 3
  - expect: {title: Rosa, tags: [calm], choice_tags: {Cross: risk}}
"""


def test_the_playthrough_schema_accepts_what_the_reader_accepts_and_refuses_what_it_refuses():
    import jsonschema
    import yaml

    from game.authoring.schema import playthrough_schema

    schema = jsonschema.Draft202012Validator(playthrough_schema())
    assert not list(schema.iter_errors(yaml.safe_load(FULL)))
    for wrong in ("  - draws: [1]\n", "  - expect: {scene: a}\n    draws: 1\n", "  - choose: a\n    type: b\n"):
        assert list(schema.iter_errors(yaml.safe_load(FULL + wrong))), wrong
    assert list(schema.iter_errors(yaml.safe_load(FULL.replace("seed: 4", "seed: -4"))))
