"""`million-miles explore` on stories of format 2: draws shown on routes, calls and chance in the summary."""

from __future__ import annotations

import json

import pytest

from game.cli import main

STORY = """\
format: 2
title: Dice
start: a
variables:
  n: {default: 0, min: 0, max: 12}
endings:
  won: {title: Won}
  lost: {title: Lost}
"""
DICE = """\
scenes:
  a:
    text: "Roll."
    tags: [table]
    choices:
      - text: Roll
        tags: dice
        set: {n: 'roll(2, 6)'}
        goto:
          - {if: n == 12, scene: win}
          - {scene: lose}
  win:
    text: Sixes.
    tags: [fanfare]
    ending: won
  lose:
    text: Not sixes.
    ending: lost
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_a_route_shows_what_its_moves_drew(make_story, capsys):
    root = make_story({"s.yaml": DICE}, story=STORY)
    code, out = run(capsys, "explore", str(root))
    assert code == 0
    lines = out.splitlines()
    assert lines[lines.index("  won (Won): shortest path 1 choice") + 1] == '    "Roll" (drew 12)'
    assert lines[lines.index("  lost (Lost): shortest path 1 choice") + 1] == '    "Roll" (drew 2)'
    assert "Returns with no call to return to" not in out  # a story without calls is not told about them


def test_json_keeps_draws_and_tags(make_story, capsys):
    root = make_story({"s.yaml": DICE}, story=STORY)
    data = json.loads(run(capsys, "explore", str(root), "--json")[1])
    shortest = data["endings"]["won"]["shortest"]
    assert shortest["draws"] == [[12]] and shortest["tags"] == [["table"], ["fanfare"]]
    assert data["tags"]["dice"] == {"scenes": [], "choices": ["a#0"]}


def test_random_runs_reach_what_chance_decides(make_story, capsys):
    root = make_story({"s.yaml": DICE}, story=STORY)
    code, out = run(capsys, "explore", str(root), "--random", "400", "--seed", "2")
    assert code == 0
    counts = dict(line.split()[:2] for line in out.splitlines() if line.startswith(("  won ", "  lost ")))
    assert 0 < int(counts["won"]) < 40 < int(counts["lost"])  # sixes come one time in 36
    again = run(capsys, "explore", str(root), "--random", "400", "--seed", "2")[1]
    assert again.splitlines()[2:] == out.splitlines()[2:]  # the same draws again (the speed line aside)


def test_calls_are_counted_and_a_return_without_a_call_is_reported(make_story, capsys):
    scenes = """\
    scenes:
      a:
        text: Hub.
        choices:
          - {text: Talk, call: talk}
          - {text: Wander, goto: back}
          - {text: Leave, goto: end}
      talk:
        text: Talk.
        return: true
      back:
        text: Where to?
        return: true
      end:
        text: Bye.
        ending: won
    """
    root = make_story({"s.yaml": scenes}, story=STORY.replace("  lost: {title: Lost}\n", ""))
    code, out = run(capsys, "explore", str(root))
    assert code == 1
    assert "Returns with no call to return to: 1" in out and "Calls nested too deep: 0" in out
    assert f"{root.as_posix()}/s.yaml:11:3: error: scene 'back' returns, but no call brought the player here" in out
    data = json.loads(run(capsys, "explore", str(root), "--json")[1])
    assert [r["scene"] for r in data["returns_without_call"]] == ["back"]


def test_a_call_that_nests_forever_is_reported(make_story, capsys):
    scenes = (
        "scenes:\n  a:\n    text: Hi.\n    choices:\n      - {text: Again, call: a}\n      - {text: End, goto: e}\n"
    )
    scenes += "  e:\n    text: Bye.\n    ending: won\n"
    root = make_story({"s.yaml": scenes}, story=STORY.replace("  lost: {title: Lost}\n", ""))
    code, out = run(capsys, "explore", str(root), "--max-states", "5000")
    assert code == 1
    assert "Calls nested too deep: 1" in out
    assert "error: calls nest more than 32 deep at scene 'a'" in out


def test_a_draw_too_wide_to_search_says_why_the_search_stopped(make_story, capsys):
    scenes = """\
    scenes:
      a:
        text: Hi.
        choices:
          - text: Go
            goto:
              - {if: 'random(1, 100000) == 7', scene: win}
              - {scene: lose}
      win: {text: Yes., ending: won}
      lose: {text: No., ending: lost}
    """
    root = make_story({"s.yaml": scenes}, story=STORY)
    code, out = run(capsys, "explore", str(root))
    assert code == 0
    assert "STOPPED: a move from scene 'a' draws more outcomes than it tries (partial)" in out
    assert "not known: a move draws from too wide a range (draw from a smaller one)." in out
    assert "warning: a move from scene 'a' draws more than 10,000 different outcomes" in out
