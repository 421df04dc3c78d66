"""Chance: draws seeded per game, replayed by undo, saves and reload; every outcome explored."""

from __future__ import annotations

import pytest

from game.engine.explore import explore_exhaustive, explore_random
from game.engine.runtime import ForcedDraw, Game
from game.engine.saves import SaveStore, restore

DICE = """\
scenes:
  a:
    text: "Roll {n}."
    choices:
      - text: Roll
        set:
          n: roll(1, 6)
        goto:
          - {if: n >= 5, scene: win}
          - if: random(1, 3) == 1
            scene: other_end
          - {scene: a}
  win:
    text: "Won with {n}."
    ending: done
  other_end:
    text: Lost.
    ending: other
"""


def rolls(game: Game, count: int) -> list[int]:
    out = []
    for _ in range(count):
        if game.is_over:
            break
        game.choose(1)
        out.append(int(game.variables["n"]))
    return out


def test_a_games_draws_come_from_its_seed(story2):
    story = story2(DICE)
    seeds = {tuple(rolls(Game.new(story, seed=s), 3)) for s in range(40)}
    assert len(seeds) > 10  # different games roll differently
    assert rolls(Game.new(story, seed=11), 3) == rolls(Game.new(story, seed=11), 3)


def test_undo_replays_the_same_draws(story2):
    story = story2(DICE)
    game = Game.new(story, seed=3)
    game.choose(1)
    first = dict(game.variables), game.scene.id
    game.undo()
    game.choose(1)
    assert (dict(game.variables), game.scene.id) == first


def test_a_save_resumes_with_the_draws_still_to_come(story2, tmp_path):
    story = story2(DICE)
    game = Game.new(story, seed=8)
    game.choose(1)
    store = SaveStore(tmp_path, story)
    data = store.snapshot(game, "slot")
    resumed = restore(story, data).game
    assert resumed.state == game.state and resumed.path == game.path
    assert rolls(resumed, 4) == rolls(game, 4)


def test_the_exhaustive_search_tries_every_outcome(story2):
    result = explore_exhaustive(story2(DICE))
    assert result.complete
    assert set(result.endings) == {"done", "other"}
    won = result.endings["done"]
    assert won.moves == (1,) and won.draws[0][0] in (5, 6)
    replay = Game(result.story)
    replay.choose(1, list(won.draws[0]))
    assert replay.scene.id == "win"


def test_the_random_search_samples_outcomes(story2):
    result = explore_random(story2(DICE), runs=200, seed=4)
    assert result.ending_counts["done"] > 0 and result.ending_counts["other"] > 0


def test_a_draw_can_be_fixed_and_a_draw_it_cannot_give_is_refused(story2):
    story = story2(DICE)
    game = Game(story)
    game.choose(1, [6])
    assert game.scene.id == "win"
    game = Game(story)
    with pytest.raises(ForcedDraw, match="gives 1 to 6, so it cannot give 7"):
        game.choose(1, [7])
    assert game.path == [] and game.scene.id == "a"  # refused whole
    game.choose(1, [2, 1])
    assert game.scene.id == "other_end"
    game.undo()
    game.choose(1, [2, 2])
    assert game.scene.id == "a"
    with pytest.raises(ForcedDraw, match="draws 2 numbers, not the 3 given"):
        game.choose(1, [2, 2, 2])


def test_chance_only_where_a_move_is_made(messages2):
    found = messages2(
        """\
        scenes:
          a:
            text:
              - if: random(1, 2) == 1
                text: Maybe.
            choices:
              - text: Try
                if: roll(1, 6) > 3
                goto: a
              - text: Dice
                set: {n: 'roll(0, 6)'}
                goto: a
        """
    )
    assert [f.split(": ", 1)[0] for f in found] == ["s.yaml:4:13", "s.yaml:8:13", "s.yaml:11:24"]
    assert "random() cannot be drawn in 'if'" in found[0] and "(chance-here)" in found[0]
    assert "roll() takes the number of dice as a whole number from 1 to 100" in found[2]


def test_a_range_too_wide_to_search_says_so(story2):
    from game.engine.explore import exhaustive_diagnostics

    story = story2(
        "scenes:\n  a:\n    text: Hi.\n    choices:\n"
        "      - text: Go\n        goto:\n          - {if: 'random(1, 100000) == 7', scene: b}\n          - {scene: a}\n"
        "  b:\n    text: Bye.\n    ending: done\n"
    )
    result = explore_exhaustive(story)
    assert not result.complete
    assert [d.code for d in exhaustive_diagnostics(result)] == ["explore-chance"]
