"""The faces of the runner: `million-miles test`, the pytest plugin and written walkthroughs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.engine.explore import explore_exhaustive
from game.engine.loader import load_story
from game.testing import run_paths
from game.testing.walkthroughs import walkthrough_steps, write_walkthroughs

pytest_plugins = ["pytester"]

STORY = Path(__file__).parent / "story"
PASSING = "steps:\n  - choose: wait\n  - expect: {ending: dark}\n"
FAILING = "steps:\n  - choose: wait\n  - expect: {ending: lit}\n"


def _write(folder: Path, name: str, body: str, root: Path) -> Path:
    """A playthrough in `folder`, somewhere below `root`, which is made a copy of the test story:
    playthroughs live inside the story they test (a playthrough may only name a folder holding it)."""
    for source in STORY.glob("*.yaml"):
        (root / source.name).write_bytes(source.read_bytes())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.playthrough.yaml"
    path.write_text(f"story: {Path(os.path.relpath(root, folder)).as_posix()}\n{body}", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- million-miles test


def test_cli_test_prints_a_line_per_file_and_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _write(tmp_path / "suite", "good", PASSING, tmp_path)
    _write(tmp_path / "suite" / "deeper", "bad", FAILING, tmp_path)
    code = main(["test", str(tmp_path / "suite")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    # A folder's own files come before its subfolders'.
    assert out[0].startswith("PASS ") and out[0].endswith("suite/good.playthrough.yaml  (good, 2 steps)")
    assert out[1].startswith("FAIL ") and out[1].endswith("deeper/bad.playthrough.yaml  (bad, step 2 of 2)")
    assert out[2].endswith("deeper/bad.playthrough.yaml:4:5: step 2: expect failed")
    assert "    ending: expected 'lit', found 'dark'" in out
    assert out[-1].startswith("1 passed, 1 failed in ")


def test_cli_test_exits_0_when_all_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = _write(tmp_path, "good", PASSING, tmp_path)
    assert main(["test", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 passed, 0 failed")


def test_cli_test_with_nothing_to_run_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["test", str(tmp_path)]) == 2
    assert "no *.playthrough.yaml files under" in capsys.readouterr().err
    assert main(["test", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: no such file or folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- the pytest plugin


def test_pytest_collects_playthroughs_and_reports_failures_readably(pytester: pytest.Pytester):
    _write(pytester.path / "playthroughs", "good", "name: Waiting ends in the dark\n" + PASSING, pytester.path)
    _write(pytester.path / "playthroughs", "bad", FAILING, pytester.path)
    # The snapshot plugin keeps one temporary folder per process, which a nested session would delete.
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:textual-snapshot", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*bad.playthrough.yaml::bad FAILED*",
            "*good.playthrough.yaml::Waiting ends in the dark PASSED*",
            "*bad.playthrough.yaml:4:5: step 2: expect failed",
            "*ending: expected 'lit', found 'dark'",
            "*path so far (1 choice):",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "runner.py" not in result.stdout.str()


# --------------------------------------------------------------------------- walkthroughs


def test_written_walkthroughs_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "walk"
    story = tmp_path / "story"
    shutil.copytree(STORY, story, ignore=shutil.ignore_patterns("playthroughs"))
    assert main(["explore", str(story), "--write-walkthroughs", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {folder.as_posix()}/lit.playthrough.yaml" in out
    assert sorted(p.name for p in folder.iterdir()) == ["dark.playthrough.yaml", "lit.playthrough.yaml"]
    text = (folder / "lit.playthrough.yaml").read_text(encoding="utf-8")
    assert "story: ../story\n" in text
    results = run_paths([folder], story_folder=story)  # written beside the story: it is named, as on a command line
    assert [r.passed for r in results] == [True, True], [r.message for r in results]


def test_walkthroughs_name_choices_by_text_unless_the_text_is_ambiguous():
    story = load_story(STORY)
    route = explore_exhaustive(story).endings["lit"]
    steps = walkthrough_steps(story, route, "lit")
    assert steps == [
        {"choose": "Fetch oil from the shed"},
        {"choose": "Climb the stairs"},
        {"choose": "Continue"},
        {"choose": "Light the lamp"},
        {"expect": {"ending": "lit"}},
    ]


def test_walkthroughs_fall_back_to_numbers_for_identical_texts(tmp_path: Path):
    root = tmp_path / "twins"
    root.mkdir()
    (root / "story.yaml").write_text(
        "title: Twins\nstart: a\nendings:\n  x: {title: X}\n  y: {title: Y}\n", encoding="utf-8"
    )
    (root / "s.yaml").write_text(
        "scenes:\n  a:\n    text: Two doors.\n    choices:\n"
        "      - {text: A door, goto: b}\n      - {text: A door, goto: c}\n"
        "  b: {text: B, ending: x}\n  c: {text: C, ending: y}\n",
        encoding="utf-8",
    )
    result = explore_exhaustive(load_story(root))
    written = write_walkthroughs(result, tmp_path / "out", root)
    assert "  - choose: 2\n" in (tmp_path / "out" / "y.playthrough.yaml").read_text(encoding="utf-8")
    assert all(r.passed for r in run_paths(written, story_folder=root))


def test_walkthroughs_written_inside_the_story_run_on_their_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    story = tmp_path / "story"
    shutil.copytree(STORY, story, ignore=shutil.ignore_patterns("playthroughs"))
    assert main(["explore", str(story), "--write-walkthroughs", str(story / "playthroughs")]) == 0
    assert main(["test", str(story / "playthroughs")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("2 passed, 0 failed")
