"""The bench works: its story converter, its peers' random choices, and one tiny run end to end.

The bench itself is not part of the test run (it takes minutes); see docs/performance.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.probes import _lcg
from bench.report import Row, judge, table
from bench.synthetic import generator_path, parse_lines, write_loop_story, write_story
from game.engine.loader import load_story_with_diagnostics
from game.engine.runtime import Game

REPO = Path(__file__).resolve().parents[2]

#: Four scenes in the shape gen_story.py prints (its docstring describes it).
LINES = "\n".join(
    json.dumps(s)
    for s in [
        {
            "id": "k0",
            "ending": False,
            "choices": [
                {"text": "Apply again", "if": None, "set": ["applications", "+", 1], "goto": "k1"},
                {"text": "Push on", "if": "resolve > 2", "set": ["resolve", "-", 1], "goto": "k2"},
                {"text": "Rest", "if": None, "set": ["resolve", "+", 1], "goto": "k3"},
            ],
        },
        {"id": "k1", "ending": True, "choices": []},
        {"id": "k2", "ending": True, "choices": []},
        {"id": "k3", "ending": True, "choices": []},
    ]
)


def test_the_converted_story_loads_and_plays_like_the_ink_version(tmp_path):
    root = write_story(parse_lines(LINES), tmp_path / "s", per_file=2)
    assert sorted(p.name for p in root.glob("*.yaml")) == ["part_0000.yaml", "part_0001.yaml", "story.yaml"]
    story, diagnostics = load_story_with_diagnostics(root, use_cache=False)
    assert story is not None, [str(d) for d in diagnostics]
    game = Game(story)
    assert game.paragraphs == ("Scene 0. You have sent 0 applications and your resolve is 5.",)
    assert [o.text for o in game.options] == ["Apply again", "Push on", "Rest"]
    game.choose(2)
    assert game.state.variables == {"applications": 0, "resolve": 4} and game.is_over
    low = Game(story)
    low.state.variables["resolve"] = 2
    assert [o.text for o in low.options] == ["Apply again", "Rest"]  # "Push on" needs resolve > 2


def test_random_choices_follow_the_peers_generator():
    pick = _lcg()
    seed, expected = 1, []
    for n in (3, 2, 3, 3, 2):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        expected.append(seed % n)
    assert [pick(n) for n in (3, 2, 3, 3, 2)] == expected


def test_the_loop_story_never_ends(tmp_path):
    story, _ = load_story_with_diagnostics(write_loop_story(tmp_path / "loop", 5), use_cache=False)
    assert story is not None and not story.endings
    game = Game(story)
    for i in range(200):
        game.choose(i % len(game.options) + 1)
    assert not game.is_over and len(game.path) == 200


def test_the_table_judges_each_ratio_against_its_target():
    assert judge(1.2, "<= 1.3") and not judge(1.4, "<= 1.3") and judge(3.1, ">= 3") and judge(None, ">= 3") is None
    text = table(
        [
            Row("play", "90 choices/s", "30 choices/s bink", 3.0, ">= 3", True),
            Row("load", "5 ms", "bink not installed", None, "<= 1.0", None),
        ]
    )
    assert "PASS" in text and "NO BASELINE" in text and "3.00×" in text


@pytest.mark.skipif(
    not (generator_path(REPO)).is_file(), reason="needs ../shared/peers/gen_story.py beside the repository"
)
def test_a_tiny_bench_run_prints_the_table(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--sizes",
            "40",
            "--plays",
            "30",
            "--repeat",
            "1",
            "--only",
            "load,play",
            "--work",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    for measure in (
        "first load 40 scenes (parse + check)",
        "first load 40 scenes, whole process",
        "reload 40 scenes after 1 of 2 files changed",
        "cached load 40 scenes",
        "explore --random 1 on 40 scenes, whole process (cached)",
        "play 40 scenes, text rendered",
    ):
        assert measure in run.stdout
    assert "machine:" in run.stdout


def test_the_instruction_count_says_plainly_what_it_lacks(tmp_path, monkeypatch, capsys):
    from bench import instructions

    assert instructions.main([str(tmp_path / "nowhere")]) == 2
    assert "no story at" in capsys.readouterr().err
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    assert instructions.main([]) == 2
    assert "valgrind is not installed" in capsys.readouterr().err


def test_the_language_server_probe_times_keystrokes_until_their_diagnostics(tmp_path):
    """bench/lsp.py on a tiny story: the same client and measure as the 1,000-scene row, quickly."""
    root = write_story(parse_lines(LINES), tmp_path / "s", per_file=2)
    run = subprocess.run(
        [sys.executable, "-m", "bench.lsp", "latency", str(root), "3", "0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MILLION_MILES_CACHE": str(tmp_path / "cache")},
    )
    assert run.returncode == 0, run.stderr
    numbers = dict(pair.split("=") for pair in run.stdout.split())
    assert numbers["edits"] == "3" and 0 < float(numbers["median_ms"]) < 5000
