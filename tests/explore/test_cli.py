"""`million-miles explore` and the explorer's findings in `million-miles check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.cli import main

STORIES = Path(__file__).parent / "stories"
FLAWED = STORIES / "flawed"
ENDLESS = STORIES / "endless"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_check_reports_explorer_findings_located_and_fails_on_errors(capsys):
    code, out = run(capsys, "check", str(FLAWED))
    assert code == 1
    root = FLAWED.as_posix()
    assert f"{root}/scenes.yaml:25:3: error: inescapable loop: once here no ending can be reached" in out
    assert f"{root}/scenes.yaml:31:3: error: dead end: scene 'bridge' offers no choice here" in out
    assert f"{root}/scenes.yaml:37:3: warning: scene 'vault' is never reached" in out
    assert f'{root}/scenes.yaml:34:9: warning: choice "Cross with the torch" is never offered' in out
    assert f"{root}/story.yaml:10:3: warning: ending 'treasure' is never reached" in out
    assert "2 errors" in out.splitlines()[-1]


def test_check_passes_with_only_warnings_and_says_when_it_hit_its_bound(capsys):
    code, out = run(capsys, "check", str(ENDLESS), "--max-states", "300")
    assert code == 0
    assert (
        f"{ENDLESS.as_posix()}/story.yaml:3:8: warning: exhaustive analysis stopped at its bound of 300 states" in out
    )


def test_explore_exhaustive_text_is_deterministic_and_fails_on_errors(capsys):
    code, out = run(capsys, "explore", str(FLAWED))
    assert code == 1
    assert out == run(capsys, "explore", str(FLAWED), "--exhaustive")[1]
    lines = out.splitlines()
    assert lines[:2] == ["Flawed: exhaustive exploration", "  17 states, 19 moves: complete"]
    assert "Endings reached: 1 of 2" in lines
    assert '    "Walk home"' in lines
    assert "  treasure (Treasure): never reached" in lines
    assert "Scenes never reached: 2" in lines and "Dead ends: 1" in lines and "Inescapable loops: 1" in lines
    assert lines[-1] == "2 errors, 5 warnings"


def test_explore_over_the_bound_prints_the_partial_result(capsys):
    code, out = run(capsys, "explore", str(ENDLESS), "--max-states", "1000")
    assert code == 0
    assert "  1,000 states, 999 moves: STOPPED at the bound of 1,000 states (partial)" in out
    assert "  done (Done): shortest path 1 choice" in out
    assert "the search stopped early (raise --max-states)" in out


def test_explore_json_exhaustive(capsys):
    code, out = run(capsys, "explore", str(FLAWED), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["mode"] == "exhaustive" and data["complete"] is True and data["states"] == 17
    assert data["endings"]["home"] == {
        "reached": True,
        "shortest": {
            "length": 1,
            "choices": ["Walk home"],
            "numbers": [3],
            "scenes": ["gate"],
            "tags": [[], []],
        },
    }
    assert data["endings"]["treasure"] == {"reached": False}
    assert data["unreachable_scenes"] == ["vault", "attic"]
    assert [c["key"] for c in data["never_offered_choices"]] == ["maze#1", "bridge#0"]
    assert data["dead_ends"][0]["scene"] == "bridge"
    assert data["loops"][0]["scenes"] == ["corridor", "hall"]
    assert {d["code"] for d in data["diagnostics"]} >= {"dead-end", "inescapable-loop", "unreachable-scene"}


def test_explore_random_text_and_json(capsys):
    code, out = run(capsys, "explore", str(FLAWED), "--random", "50", "--seed", "4")
    assert code == 1  # random runs fell into the dead end
    assert out.startswith("Flawed: 50 random playthroughs (seed 4)\n")
    assert " choices/second" in out
    assert "Stopped at a dead end: " in out
    assert f"  {FLAWED.as_posix()}/scenes.yaml:37:3: vault" in out
    code, out = run(capsys, "explore", str(FLAWED), "--random", "50", "--seed", "4", "--exhaustive", "--json")
    data = json.loads(out)
    assert data["mode"] == "both"
    assert data["random"]["runs"] == 50 and data["random"]["seed"] == 4
    assert data["exhaustive"]["states"] == 17


def test_graph_coverage_reads_explore_json(capsys, tmp_path: Path):
    (tmp_path / "cov.json").write_text(run(capsys, "explore", str(FLAWED), "--json")[1], encoding="utf-8")
    code, out = run(capsys, "graph", str(FLAWED), "--format", "dot", "--coverage", str(tmp_path / "cov.json"))
    assert code == 0
    assert '"vault"' in out and 'color="#dc2626"' in out


def test_explore_refuses_a_broken_story(capsys, tmp_path: Path):
    (tmp_path / "story.yaml").write_text("title: Broken\n", encoding="utf-8")
    assert main(["explore", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "missing required key 'start'" in err
    assert "fix them first" in err


def test_explore_rejects_a_bad_count(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["explore", str(FLAWED), "--random", "0"])
    assert exit_.value.code == 2
    assert "expected a number of at least 1" in capsys.readouterr().err


def test_building_the_command_line_stays_light():
    """A player's start builds the `play` command's parser: no Textual, no PyYAML, no explorer or compiler.
    The whole parser (for --help) may import the explorer, never Textual nor the compiler."""
    import subprocess
    import sys

    heavy = "('textual', 'yaml', 'game.engine.explore', 'game.engine.compiler')"
    for build, expected in (("build_parser(only='play')", "[]"), ("build_parser()", "['game.engine.explore']")):
        code = f"import sys, game.cli; game.cli.{build}; print(sorted(m for m in {heavy} if m in sys.modules))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == expected, build
