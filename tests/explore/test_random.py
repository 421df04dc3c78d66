"""Random playthroughs: reproducible from a seed, counting what they reach and what stops them."""

from __future__ import annotations

from pathlib import Path

from game.engine.explore import explore_random
from game.engine.loader import load_story

STORIES = Path(__file__).parent / "stories"


def test_same_seed_same_result_other_seed_other_result():
    story = load_story(STORIES / "flawed")
    first = explore_random(story, 200, seed=7, max_steps=50).as_json()
    again = explore_random(story, 200, seed=7, max_steps=50).as_json()
    other = explore_random(story, 200, seed=8, max_steps=50).as_json()
    for data in (first, again, other):
        del data["seconds"], data["choices_per_second"]
    assert first == again
    assert first != other


def test_counts_endings_dead_ends_and_runs_stuck_in_a_loop():
    story = load_story(STORIES / "flawed")
    result = explore_random(story, 300, seed=1, max_steps=50)
    assert list(result.ending_counts) == ["home", "treasure"]
    assert result.ending_counts["treasure"] == 0 and result.unreached_endings == ["treasure"]
    assert set(result.dead_ends) == {"bridge"}
    # Every run ends one way: an ending, a dead end, or the step limit in the corridor loop.
    assert result.ending_counts["home"] + result.dead_ends["bridge"] + result.stuck == 300
    assert result.ending_counts["home"] > 0 and result.stuck > 0
    assert result.unreached_scenes == ["vault", "attic"]
    assert [c.key for c in result.unmade_choices] == ["maze#1", "bridge#0"]
    assert result.choices > 0 and result.choices_per_second > 0


def test_random_play_is_fast(tmp_path: Path):
    root = tmp_path / "chain"
    root.mkdir()
    (root / "story.yaml").write_text(
        "title: Chain\nstart: s0\nvariables:\n  n: {default: 0, min: 0, max: 3}\nendings:\n  end: {title: End}\n",
        encoding="utf-8",
    )
    scenes = ["scenes:"]
    for i in range(50):
        scenes.append(
            f"  s{i}:\n    text: Step {i}, n is {{n}}.\n    choices:\n"
            f"      - {{text: Up, if: n < 3, set: {{n: n + 1}}, goto: s{i + 1}}}\n"
            f"      - {{text: Down, set: {{n: n - 1}}, goto: s{i + 1}}}\n"
            f"      - {{text: Stay, goto: s{i + 1}}}"
        )
    scenes.append("  s50: {text: The end., ending: end}")
    (root / "s.yaml").write_text("\n".join(scenes) + "\n", encoding="utf-8")
    result = explore_random(load_story(root), 400, seed=3)
    assert result.choices == 400 * 50 and result.ending_counts == {"end": 400}
    # A generous floor (it does ~250,000 on one core) so a busy machine does not fail it.
    assert result.choices_per_second > 20_000


def test_the_report_lists_unmade_choices_of_reached_scenes_and_the_json_every_one(tmp_path: Path, capsys):
    """A scene never reached is listed once as such; the text report does not list its choices again (nor
    build it to find them), while the JSON keeps every unmade choice for the map's coverage."""
    from game.cli import main

    root = tmp_path / "lost"
    root.mkdir()
    (root / "story.yaml").write_text("title: Lost\nstart: hall\nendings:\n  out: {title: Out}\n", encoding="utf-8")
    (root / "s.yaml").write_text(
        "scenes:\n"
        "  hall:\n    text: A hall.\n    choices:\n"
        "      - {text: Leave, goto: door}\n"
        "      - {text: Wait, if: visits(hall) > 5, goto: hall}\n"
        "  door: {text: Out., ending: out}\n"
        "  cellar:\n    text: Nobody comes here.\n    choices:\n"
        "      - {text: Climb up, goto: hall}\n",
        encoding="utf-8",
    )
    result = explore_random(load_story(root), 20, seed=1)
    assert result.unreached_scenes == ["cellar"]
    assert [c.key for c in result.unmade_in_reached] == ["hall#1"]
    assert [c.key for c in result.unmade_choices] == ["hall#1", "cellar#0"]
    assert [c["key"] for c in result.as_json()["choices_never_taken"]] == ["hall#1", "cellar#0"]

    main(["explore", "--random", "20", str(root)])
    out = capsys.readouterr().out
    assert "Scenes never reached: 1\n" in out and "s.yaml:8:3: cellar" in out
    assert "Choices never made in the scenes reached: 1\n" in out and '"Wait" in hall' in out
    assert "Climb up" not in out
