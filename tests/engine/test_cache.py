"""The story cache and the runtime's per-scene plans: faster, and the same story in every way a player or tool can see."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import cache
from game.engine.errors import StoryError
from game.engine.loader import load_story, load_story_with_diagnostics
from game.engine.model import Story
from game.engine.runtime import Game, offered, render

STORY = """\
title: Cache Test
start: a
variables:
  n: {default: 0, label: Count, min: 0, max: 4}
  name: "Ana"
  flag: false
endings:
  done: {title: Done, description: The end.}
  lost: {title: Lost}
"""

SCENES = """\
chapter: One
scenes:
  a:
    title: Start
    text: |
      You are {name}. Count: {n}. Braces: {{ and }}.

      A second paragraph.
    choices:
      - text: Count up ({n})
        set: {n: n + 1}
        goto: a
      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a
      - text: Leave
        if: n >= 2
        goto:
          - {if: flag, scene: b}
          - {scene: c}
      - text: Swap
        set: {n: 0, name: name + "!", flag: n == 0}
        goto: a
      - text: Always
        if: true
        goto: c
  b:
    chapter: Two
    text:
      - Belled.
      - if: visits(a) > 3 and not (n * 2 == -1)
        text: You lingered, {name}.
    goto: c
  c:
    text: The end, {name}.
    ending: done
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MILLION_MILES_CACHE", str(folder))
    return folder


@pytest.fixture
def root(make_story) -> Path:  # noqa: ANN001
    return make_story({"s.yaml": SCENES}, story=STORY)


@pytest.fixture
def hits(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each look in the cache, whether it gave a story (True) or missed (False)."""
    found: list[bool] = []
    real = cache.read

    def spy(key: str, where: Path) -> Story | None:
        story = real(key, where)
        found.append(story is not None)
        return story

    monkeypatch.setattr(cache, "read", spy)
    return found


def test_a_second_load_comes_from_the_cache_and_is_the_same_story(root, cache_dir, hits, same_story, careful):
    fresh = load_story(root)
    assert list(cache_dir.glob("*.story")), "a clean load is cached"
    cached = load_story(root)
    assert hits == [False, True]
    same_story(careful(root)[0], cached)
    same_story(fresh, cached)


def test_cached_and_fresh_stories_play_identically(root, cache_dir, hits):
    fresh = load_story_with_diagnostics(root, use_cache=False)[0]
    load_story(root)
    cached = load_story(root)
    assert hits == [False, True]
    for path in ([1, 1, 2, 3, 1], [4, 1, 1, 3], [2, 1, 1, 4, 1, 1, 3, 1], [5]):
        games = [Game(fresh), Game(cached)]  # type: ignore[arg-type]
        for number in path:
            assert games[0].paragraphs == games[1].paragraphs
            assert [o.text for o in games[0].options] == [o.text for o in games[1].options]
            if games[0].is_over:
                break
            pick = (number - 1) % len(games[0].options) + 1
            for g in games:
                g.choose(pick)
        assert games[0].state.to_json() == games[1].state.to_json()
        assert [(e.scene.id, e.paragraphs, e.chosen) for e in games[0].journal()] == [
            (e.scene.id, e.paragraphs, e.chosen) for e in games[1].journal()
        ]


@pytest.mark.parametrize("change", ["edit", "same_size_edit", "new_file", "remove_file", "story_yaml"])
def test_any_change_to_any_file_is_seen(root, cache_dir, change, hits, same_story, careful):
    load_story(root)
    load_story(root)
    assert hits == [False, True]
    scenes = root / "s.yaml"
    if change == "edit":
        scenes.write_text(SCENES.replace("The end, {name}.", "It ends here, {name}."), encoding="utf-8")
    elif change == "same_size_edit":
        scenes.write_text(SCENES.replace("The end, {name}.", "The End, {name}."), encoding="utf-8")
    elif change == "new_file":
        (root / "more.yaml").write_text("scenes:\n  z:\n    text: Extra.\n    goto: c\n", encoding="utf-8")
    elif change == "remove_file":
        (root / "more.yaml").unlink(missing_ok=True)
        (root / "c.yaml").write_text("scenes:\n  c2:\n    text: Other.\n    ending: lost\n", encoding="utf-8")
        load_story(root)
        (root / "c.yaml").unlink()
    else:
        (root / "story.yaml").write_text(STORY.replace("Cache Test", "Cache Test 2"), encoding="utf-8")
    story = load_story(root)
    fresh = careful(root)[0]
    assert fresh is not None
    same_story(fresh, story)
    if change in ("edit", "same_size_edit"):
        ending = story.scenes["c"].paragraphs[0].template.source
        assert ending == ("It ends here, {name}." if change == "edit" else "The End, {name}.")


def test_a_broken_story_is_never_cached_and_keeps_its_messages(make_story, cache_dir):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi {nope}.\n    ending: done\n"})
    messages = []
    for _ in range(2):
        with pytest.raises(StoryError) as info:
            load_story(root)
        messages.append(str(info.value))
    assert messages[0] == messages[1] and "unknown variable 'nope'" in messages[0]
    assert not list(cache_dir.glob("*.story"))


def test_a_damaged_entry_is_ignored_and_replaced(root, cache_dir, hits):
    load_story(root)
    [entry] = cache_dir.glob("*.story")
    entry.write_bytes(b"not marshal data")
    story = load_story(root)
    assert story.scenes["c"].ending == "done"
    load_story(root)
    assert hits == [False, False, True]


def test_the_cache_can_be_turned_off(root, monkeypatch, tmp_path, hits):
    monkeypatch.setenv("MILLION_MILES_CACHE", "off")
    load_story(root)
    load_story(root)
    assert hits == []


def test_game_plans_give_what_render_and_offered_give(root, cache_dir):
    story = load_story_with_diagnostics(root, use_cache=False)[0]
    assert story is not None
    game = Game(story)
    for number in [1, 2, 1, 4, 1, 1, 3]:
        scene, state = game.scene, game.state
        assert game.paragraphs == render(scene, state)
        assert [(o.number, o.text, o.choice) for o in game.options] == [
            (i, c.text.render(state.variables), c) for i, c in enumerate(offered(scene, state), 1)
        ]
        if game.is_over:
            break
        game.choose(number)
    with pytest.raises(ValueError, match="no choice 9: 1 offered"):
        _goto_scene_game(story).choose(9)


def _goto_scene_game(story: Story) -> Game:
    game = Game(story)
    game.choose(2)  # ring the bell
    game.choose(1)
    game.choose(1)
    game.choose(2)  # leave (the bell is gone, so it is second): flag set, so to b (a goto scene)
    assert game.scene.id == "b"
    return game


def test_every_engine_module_a_load_runs_is_part_of_the_cache_stamp():
    """Editing any module that decides what a load returns must invalidate every cached story."""
    import subprocess
    import sys

    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, game.engine.compiler, game.engine.loader, game.engine.cache;"
            "print(' '.join(m for m in sys.modules if m.startswith('game.engine.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    loaded = {name.rsplit(".", 1)[1] + ".py" for name in found}
    assert loaded <= set(cache._ENGINE_FILES)


def test_a_story_read_from_the_cache_needs_neither_pyyaml_nor_the_compiler(root, cache_dir):
    """The player's first screen waits for nothing it does not use (see game/engine/loader.py)."""
    import subprocess
    import sys

    load_story(root)  # fills the cache
    code = (
        "import sys; from game.engine.loader import load_story; load_story(sys.argv[1]);"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m == 'game.engine.compiler'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    ).stdout  # (the cache_dir fixture set MILLION_MILES_CACHE for it)
    assert out.strip() == "[]"
