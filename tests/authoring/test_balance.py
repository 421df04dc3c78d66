"""game.authoring.balance on a small story: shares at the bounds, and pinning a stat."""

from __future__ import annotations

from pathlib import Path

from game.authoring.balance import dependence, main, pinned, random_balance, stats_of
from game.engine.loader import load_story


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


STORY = {
    "story.yaml": """
title: Hill
start: foot
variables:
  nerve: {default: 1, label: Nerve, min: 0, max: 2}
  steps: {default: 0, label: Steps, min: 0, max: 9}
endings:
  top: {title: The Top}
  home: {title: Home}
""",
    "hill.yaml": """
scenes:
  foot:
    text: A hill.
    choices:
      - text: Climb
        set: {nerve: nerve + 1, steps: steps + 1}
        goto: ridge
      - text: Rest
        set: {nerve: nerve - 1}
        goto: ridge
  ridge:
    text: The ridge.
    goto:
      - if: nerve >= 2
        scene: summit
      - scene: back
  summit:
    text: Wind.
    ending: top
  back:
    text: Supper.
    ending: home
""",
}


def test_stats_are_the_labelled_bounded_variables_a_choice_lowers(tmp_path):
    story = load_story(write(tmp_path, STORY))
    assert [v.name for v in stats_of(story)] == ["nerve"]  # steps only climbs: a counter
    assert [v.name for v in stats_of(story, ["steps"])] == ["steps"]


def test_random_balance_counts_every_step_at_the_bounds(tmp_path):
    story = load_story(write(tmp_path, STORY))
    result = random_balance(story, stats_of(story), runs=200, seed=3)
    share = result.shares["nerve"]
    assert result.steps == share.steps == 200 * 3  # foot, ridge, an ending
    assert 0 < share.share_at_max < 1 and 0 < share.share_at_min < 1
    assert sum(result.endings.values()) == 200 and result.unfinished == 0


def test_pinning_a_stat_shows_which_endings_depend_on_it(tmp_path):
    story = load_story(write(tmp_path, STORY))
    assert pinned(story, "nerve", 2).variables["nerve"].max == 2
    (nerve,) = dependence(story, stats_of(story))
    assert nerve.reachable == {0: ["home"], 1: ["home"], 2: ["top"]}
    assert nerve.depends("top") and nerve.depends("home")


def test_the_command_prints_markdown(tmp_path, capsys):
    assert main([str(write(tmp_path, STORY)), "--runs", "50"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Stat balance: Hill") and "| Nerve | 0–2 |" in out
