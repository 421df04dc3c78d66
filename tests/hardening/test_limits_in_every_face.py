"""What `check` accepts, every face plays: the deepest expression the loader allows evaluates
everywhere (full-screen player, line player, explorer, test runner) without a RecursionError.

Before the limit on operators resting on one another, a 975-term sum passed `check` and then
hung the full-screen game while its crash screen pretty-printed the tree; 999 terms crashed
`check` itself. The bound is enforced once, at load (`game.engine.expressions`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.explore import explore_exhaustive, explore_random
from game.engine.loader import load_story, load_story_with_diagnostics
from game.engine.runtime import Game
from game.engine.saves import SaveStore
from game.testing import Player

#: 63 additions: with a comparison (or one subtraction) after them, 64 operators resting on one
#: another, the most the loader accepts.
DEEPEST = " + ".join(["n"] * 64)
STORY = """\
title: Deep
start: a
variables:
  n: {default: 1, label: Count}
endings:
  done: {title: Done}
"""
SCENES = f"""\
scenes:
  a:
    text:
      - if: {DEEPEST} > 0
        text: The sum is large.
    choices:
      - text: Add
        if: {DEEPEST} > 0
        set: {{n: {DEEPEST} - {" - ".join(["n"] * 1)}}}
        goto: b
  b:
    text: End.
    ending: done
"""


@pytest.fixture
def deep(make_story) -> Path:
    return make_story({"scenes.yaml": SCENES}, story=STORY)


def test_the_deepest_expression_accepted_passes_check(deep):
    story, diagnostics = load_story_with_diagnostics(deep, use_cache=False)
    assert story is not None and not [d for d in diagnostics if d.severity == "error"], diagnostics


def test_one_more_operator_is_refused_with_its_place(make_story):
    root = make_story({"scenes.yaml": SCENES.replace(f"{DEEPEST} > 0", f"{DEEPEST} + n > 0", 1)}, story=STORY)
    story, diagnostics = load_story_with_diagnostics(root, use_cache=False)
    assert story is None
    assert [(d.loc.line, "expression too deep" in d.message) for d in diagnostics] == [(4, True)]


def test_the_engine_the_explorer_and_the_test_runner_play_it(deep):
    story = load_story(deep)
    game = Game(story)
    assert game.paragraphs == ("The sum is large.",)
    game.choose(1)
    assert game.is_over and game.variables["n"] == 63
    assert explore_exhaustive(story).complete
    assert explore_random(story, 5).ending_counts == {"done": 5}
    Player(story).expect(text="The sum is large.").choose("Add").expect(ending="done")


def test_the_line_player_plays_it(deep, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--save-dir", str(tmp_path / "saves"), str(deep)],
        input="1\n1\nquit\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "The sum is large." in done.stdout and "THE END: Done" in done.stdout


def test_the_full_screen_player_plays_it(deep, tmp_path, tui):
    story = load_story(deep)
    app = tui.app(story, SaveStore(tmp_path / "saves", story))

    async def scenario(pilot) -> None:
        await pilot.press("n")
        await pilot.press("1")
        for _ in range(200):
            if app.session is not None and app.session.game.is_over:
                break
            await pilot.pause()
        assert app.session is not None and app.session.game.is_over

    tui.drive(app, scenario)
