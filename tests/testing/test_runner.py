"""The playthrough runner: every step kind passing, and failing with the message a tester needs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from game.testing import PlaythroughFailure, Result, StoryCache, play, run_file, run_paths

STORY = Path(__file__).parent / "story"


@pytest.fixture
def run(tmp_path: Path):
    """Write a playthrough against the lighthouse story (steps given as YAML) and run it."""

    def go(steps: str, head: str = "", name: str = "case") -> Result:
        path = tmp_path / f"{name}.playthrough.yaml"
        text = f"story: {STORY.as_posix()}\n{textwrap.dedent(head)}steps:\n{textwrap.indent(textwrap.dedent(steps).lstrip(chr(10)), '  ')}"
        path.write_text(text, encoding="utf-8")
        return run_file(path, story_folder=STORY)

    return go


def failure(result: Result) -> str:
    assert not result.passed, "the playthrough was expected to fail"
    return result.message


# --------------------------------------------------------------------------- choose


def test_choose_by_number_and_by_case_insensitive_substring(run):
    result = run("""
        - choose: 3
        - choose: CLIMB
        - choose: continue
        - expect: {scene: lamp_room}
    """)
    assert result.passed, result.message
    assert (result.steps, result.total) == (4, 4)


def test_choose_prefers_the_option_whose_whole_text_matches(run):
    # "Go back down" is also a substring of "Go back down slowly": the exact one wins.
    result = run("""
        - choose: Climb the stairs
        - choose: Continue
        - choose: go back down
        - expect: {scene: shore}
    """)
    assert result.passed, result.message


def test_ambiguous_choose_names_the_matching_choices(run):
    message = failure(run("- choose: the\n", name="ambiguous"))
    first = message.splitlines()[0]
    assert first.endswith('ambiguous.playthrough.yaml:3:5: step 1: choose "the" failed')
    assert (
        '"the" matches 3 choices (1. "Climb the stairs", 2. "Ring the bell", 3. "Fetch oil from the shed")' in message
    )
    assert "use more of the text, or the number" in message


def test_unknown_choose_lists_the_choices_offered(run):
    message = failure(run("- choose: Swim to the ship\n"))
    assert 'no choice offered now matches "Swim to the ship"' in message
    assert (
        'offered now: 1. "Climb the stairs"  2. "Ring the bell"  3. "Fetch oil from the shed"  4. "Wait for morning"'
    ) in message


def test_choose_number_out_of_range(run):
    message = failure(run("- choose: 7\n"))
    assert "step 1: choose 7 failed" in message
    assert "there is no choice 7: 4 offered" in message


def test_choose_after_the_end(run):
    message = failure(run("- choose: wait\n- choose: 1\n"))
    assert "step 2: choose 1 failed" in message
    assert "the story has ended ('dark'): there is nothing to choose" in message
    assert "offered now: nothing: the story has ended ('dark')" in message


def test_once_choice_is_gone_after_it_is_taken(run):
    message = failure(run("- choose: Ring the bell\n- choose: Ring the bell\n"))
    assert 'step 2: choose "Ring the bell" failed' in message
    assert 'no choice offered now matches "Ring the bell"' in message


# --------------------------------------------------------------------------- expect


def test_every_expectation_passing(run):
    result = run("""
        - choose: ring
        - expect:
            scene: shore
            text: [Ada is nowhere, "lighthouse stands dark above the rocks"]
            offers: [Climb the stairs, fetch oil]
            not_offers: [Ring the bell, Light the lamp]
            state: {rang: true, oil: 1, keeper: Ada}
        - choose: wait
        - expect: {ending: dark}
    """)
    assert result.passed, result.message


def test_expect_scene_failing_reports_expected_found_choices_and_path(run):
    result = run(
        """
        - choose: Fetch oil
        - choose: Climb the stairs
        - expect: {scene: lamp_room}
    """,
        name="path",
    )
    message = failure(result)
    assert result.failed_step == 3
    assert message.splitlines()[0].endswith("path.playthrough.yaml:5:5: step 3: expect failed")
    assert "scene: expected 'lamp_room', found 'stairs'" in message
    assert 'offered now: 1. "Continue"' in message
    assert "path so far (2 choices):" in message
    assert '1. shore: "Fetch oil from the shed"' in message
    assert '2. shore: "Climb the stairs"' in message
    assert "now at scene 'stairs'" in message


def test_expect_text_failing_quotes_what_the_scene_shows(run):
    message = failure(run("- expect: {text: Ada is here}\n"))
    assert 'text: expected the scene to show "Ada is here"; it shows: "Wind pulls at your coat.' in message
    assert "path so far: none yet (at scene 'shore', where the playthrough starts)" in message


def test_expect_text_sees_conditional_paragraphs(run):
    assert run("- choose: ring\n- choose: climb\n- expect: {text: The bell is still humming.}\n").passed
    message = failure(run("- choose: climb\n- expect: {text: The bell is still humming.}\n"))
    assert 'expected the scene to show "The bell is still humming."' in message


def test_expect_offers_and_not_offers_failing(run):
    message = failure(run("- expect: {offers: [Light the lamp], not_offers: [climb]}\n"))
    assert 'offers: no choice offered now matches "Light the lamp"' in message
    assert 'not_offers: "climb" is offered, as 1. "Climb the stairs"' in message


def test_expect_state_failing(run):
    message = failure(run("- choose: fetch\n- expect: {state: {oil: 3, rang: true}}\n"))
    assert "state: expected oil = 3, found 2" in message
    assert "state: expected rang = true, found false" in message


def test_expect_ending_failing_before_the_end_and_at_another_end(run):
    message = failure(run("- expect: {ending: lit}\n"))
    assert "ending: expected 'lit', but the story has not ended (it is at scene 'shore')" in message
    message = failure(run("- choose: wait\n- expect: {ending: lit}\n"))
    assert "ending: expected 'lit', found 'dark'" in message


def test_start_and_state_presets(run):
    result = run(
        """
        - expect: {scene: lamp_room, text: You have 3 cans., offers: [Light the lamp]}
        - choose: light
        - expect: {ending: lit}
    """,
        head="start: lamp_room\nstate: {oil: 3}\n",
    )
    assert result.passed, result.message


def test_name_defaults_to_the_file_name(run):
    assert run("- expect: {scene: shore}\n", name="first_look").name == "first_look"
    assert run("- expect: {scene: shore}\n", head="name: A look\n").name == "A look"


# --------------------------------------------------------------------------- malformed files


def test_malformed_file_gets_every_located_error_at_once(run):
    result = run(
        """
        - chose: 1
        - expect: {scene: shore, scene: stairs}
        - expect: {ending: lt, sceen: shore}
        - {choose: 1, expect: {scene: shore}}
        - expect: {}
        - choose: 0
    """,
        head="start: shroe\nstate: {oill: 2, oil: many, rang: 1}\n",
        name="bad",
    )
    message = failure(result)
    assert result.failed_step is None
    lines = message.splitlines()
    expected = [
        "bad.playthrough.yaml:2:8: error: unknown scene 'shroe' (did you mean 'shore'?)",
        "bad.playthrough.yaml:3:9: error: unknown variable 'oill' (did you mean 'oil'?)",
        "bad.playthrough.yaml:3:18: error: 'oil' is an integer variable, so it cannot be set to the text 'many'",
        "bad.playthrough.yaml:3:29: error: 'rang' is a boolean variable, so it cannot be set to the integer 1",
        "bad.playthrough.yaml:5:5: error: unknown key 'chose' in step 1 (did you mean 'choose'?)",
        "bad.playthrough.yaml:6:28: error: duplicate key 'scene' (first defined at line 6); "
        "YAML would silently keep only the last one",
        "bad.playthrough.yaml:7:22: error: unknown ending 'lt' (did you mean 'lit'?)",
        "bad.playthrough.yaml:7:26: error: unknown key 'sceen' in 'expect' of step 3 (did you mean 'scene'?)",
        "bad.playthrough.yaml:8:5: error: step 4 has both 'choose' and 'expect': write them as two steps",
        "bad.playthrough.yaml:9:13: error: 'expect' of step 5 checks nothing: give any of scene, title, text, "
        "offers, not_offers, state, ending, tags, choice_tags",
        "bad.playthrough.yaml:10:13: error: 'choose' numbers start at 1, found 0",
    ]
    assert [line.split("/")[-1] for line in lines] == expected


def test_yaml_syntax_error_is_located(tmp_path: Path):
    path = tmp_path / "broken.playthrough.yaml"
    path.write_text("steps:\n  - choose: [1\n", encoding="utf-8")
    result = run_file(path)
    assert not result.passed
    assert "broken.playthrough.yaml:2:13: error: YAML syntax error: this '[' is never closed" in result.message


def test_missing_steps_and_wrong_types(tmp_path: Path):
    path = tmp_path / "types.playthrough.yaml"
    path.write_text(f"story: {STORY.as_posix()}\nstate: [1]\nname: {{a: 1}}\n", encoding="utf-8")
    message = run_file(path, story_folder=STORY).message
    assert "types.playthrough.yaml:1:1: error: a playthrough is missing required key 'steps'" in message
    assert "types.playthrough.yaml:2:8: error: 'state' must be a mapping of variable → value, found a list" in message
    assert "types.playthrough.yaml:3:7: error: 'name' must be text, found a mapping" in message


def test_a_story_that_does_not_load_is_reported_with_its_errors(tmp_path: Path):
    story = tmp_path / "story"
    story.mkdir()
    (story / "story.yaml").write_text("title: T\nstart: a\n", encoding="utf-8")
    (story / "a.yaml").write_text("scenes:\n  a: {text: A, goto: b}\n", encoding="utf-8")
    path = story / "playthroughs" / "p.playthrough.yaml"  # where playthroughs live: inside their story
    path.parent.mkdir()
    path.write_text("story: ..\nsteps:\n  - choose: 1\n", encoding="utf-8")
    message = run_file(path).message
    assert "p.playthrough.yaml: the story at" in message
    assert "cannot be loaded:" in message
    assert "story/a.yaml:2:22: error: unknown scene 'b'" in message


# --------------------------------------------------------------------------- the Python API


def test_python_api_chains_steps_and_fails_readably():
    player = play(STORY).choose("fetch").choose("Climb").choose(1).expect(scene="lamp_room", offers="Light the lamp")
    assert player.variables["oil"] == 2
    with pytest.raises(PlaythroughFailure) as caught:
        player.choose("light").expect(ending="dark")
    text = str(caught.value)
    assert text.startswith("expect failed\n  ending: expected 'dark', found 'lit'")
    assert '4. lamp_room: "Light the lamp"' in text


def test_python_api_in_a_loop():
    # Fetching oil until the shed is no longer offered: the kind of test a file cannot express.
    player = play(STORY)
    fetched = 0
    while any("Fetch oil" in o.text for o in player.options):
        player.choose("Fetch oil")
        fetched += 1
    assert fetched == 2
    player.expect(state={"oil": 3}, not_offers="Fetch oil")


def test_python_api_refuses_presets_that_do_not_fit():
    with pytest.raises(ValueError, match=r"unknown start scene 'shroe' \(did you mean 'shore'\?\)"):
        play(STORY, start="shroe")
    with pytest.raises(ValueError, match="'oil' cannot be 7: its maximum is 3"):
        play(STORY, state={"oil": 7})


# --------------------------------------------------------------------------- many files


def test_run_paths_searches_folders_recursively_and_shares_the_story(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for folder in ("a", "a/b", ".hidden"):
        (tmp_path / folder / "x.playthrough.yaml").write_text(
            f"story: {STORY.as_posix()}\nsteps:\n  - expect: {{scene: shore}}\n", encoding="utf-8"
        )
    (tmp_path / "a" / "notes.yaml").write_text("not: a playthrough\n", encoding="utf-8")
    stories = StoryCache()
    results = run_paths([tmp_path], stories, story_folder=STORY)
    assert [r.path.relative_to(tmp_path).as_posix() for r in results] == [
        "a/x.playthrough.yaml",
        "a/b/x.playthrough.yaml",
    ]
    assert all(r.passed for r in results)
    assert len(stories.loaded) == 1


@pytest.mark.parametrize("named", ["../elsewhere", "/etc", "sub"])
def test_a_playthrough_tests_only_a_folder_that_holds_it_or_the_one_named_on_the_command_line(tmp_path, named):
    """A playthrough from a stranger cannot point the runner at any folder of the machine: only at
    a folder that holds it (its own story), or at the story named with `--story`."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "here" / "sub").mkdir(parents=True)
    path = tmp_path / "here" / "p.playthrough.yaml"
    path.write_text(f"story: {named}\nsteps:\n  - choose: 1\n", encoding="utf-8")
    result = run_file(path)
    assert not result.passed
    assert f"error: 'story' must be the folder that holds this playthrough or one of its parents, not {named}" in (
        result.message
    )
    assert "cannot be loaded" not in result.message, "the folder it named was never read"


def test_the_story_named_on_the_command_line_is_allowed_and_is_the_default(tmp_path):
    path = tmp_path / "p.playthrough.yaml"
    path.write_text("steps:\n  - expect: {scene: shore}\n", encoding="utf-8")
    assert run_file(path, story_folder=STORY).passed
    path.write_text(f"story: {STORY.as_posix()}\nsteps:\n  - expect: {{scene: shore}}\n", encoding="utf-8")
    assert run_file(path, story_folder=STORY).passed


def test_a_failing_playthrough_that_names_no_story_says_it_ran_against_the_bundled_one(tmp_path):
    story = tmp_path / "lighthouse"
    (story / "playthroughs").mkdir(parents=True)
    (story / "story.yaml").write_text((STORY / "story.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = story / "playthroughs" / "ashore.playthrough.yaml"
    path.write_text("steps:\n  - expect: {ending: ashore}\n", encoding="utf-8")
    result = run_file(path)
    assert not result.passed
    note = result.message.splitlines()[-1]
    assert "ashore.playthrough.yaml: this playthrough names no 'story:', so it ran against the bundled story" in note
    assert note.endswith("; add 'story: ..' to test the story it is in")
    elsewhere = tmp_path / "loose.playthrough.yaml"
    elsewhere.write_text("steps:\n  - expect: {ending: ashore}\n", encoding="utf-8")
    assert (
        run_file(elsewhere)
        .message.splitlines()[-1]
        .endswith("add 'story: FOLDER' (relative to this file) to test another one")
    )


def test_a_playthrough_run_against_a_named_story_gets_no_such_note(tmp_path):
    path = tmp_path / "ashore.playthrough.yaml"
    path.write_text("steps:\n  - expect: {ending: nowhere}\n", encoding="utf-8")
    result = run_file(path, story_folder=STORY)
    assert not result.passed and "names no 'story:'" not in result.message
