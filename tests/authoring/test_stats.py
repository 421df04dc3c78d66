"""`million-miles check --stats`: words per scene, chapter and way to each ending, and reading times."""

from __future__ import annotations

import itertools
import json
import random
import time

import pytest

from game.authoring.stats import (
    WORDS_PER_MINUTE,
    duration,
    longest_paths,
    return_points,
    scene_words,
    story_stats,
    successors,
)
from game.authoring.template import TEMPLATE
from game.bundled import bundled_story_path
from game.cli import main
from game.engine.explore import explore_exhaustive
from game.engine.loader import load_story

STORY = """\
title: Stats
start: a
variables:
  lamp: false
endings:
  lit: {title: Lit}
  dark: {title: Dark}
"""
SCENES = """\
chapter: One
scenes:
  a:
    title: Not counted
    text:
      - One two three.
      - if: lamp
        text: Four {lamp} six.
    choices:
      - text: Light it
        once: true
        set: {lamp: true}
        goto: a
      - text: Go on
        goto: b
      - text: Give up
        goto: end_dark
  b:
    chapter: Two
    text: |
      One two.

      Three.
    goto:
      - if: lamp
        scene: end_lit
      - scene: end_dark
  end_lit:
    chapter: Two
    text: Light at last.
    ending: lit
  end_dark:
    text: Dark.
    ending: dark
"""


@pytest.fixture
def story(make_story):
    return load_story(make_story({"s.yaml": SCENES}, story=STORY))


def test_a_scene_counts_every_paragraph_it_can_show_and_nothing_else(story):
    assert scene_words(story.scenes["a"]) == 6  # the conditional paragraph too, '{lamp}' one word; no title
    assert scene_words(story.scenes["b"]) == 3


def test_stats_of_scenes_chapters_and_endings(story):
    stats = story_stats(story, explore_exhaustive(story))
    assert stats.words == 6 + 3 + 3 + 1
    assert stats.scenes == {"a": 6, "b": 3, "end_lit": 3, "end_dark": 1}
    assert stats.chapters == {"One": (2, 7), "Two": (2, 6)}
    lit, dark = stats.endings
    # The shortest way to 'lit' goes round `a` once, to light the lamp: `a` is shown twice.
    assert lit.shortest is not None and lit.shortest.scenes == ("a", "a", "b", "end_lit")
    assert lit.shortest.words == 6 + 6 + 3 + 3
    assert lit.longest is not None and lit.longest.scenes == ("a", "b", "end_lit") and lit.longest.words == 12
    assert dark.shortest is not None and dark.shortest.scenes == ("a", "end_dark") and dark.shortest.words == 7
    assert dark.longest is not None and dark.longest.scenes == ("a", "b", "end_dark") and dark.longest.words == 10
    assert stats.longest_exact and stats.explored
    assert lit.shortest.minutes == pytest.approx(18 / WORDS_PER_MINUTE)


def test_check_stats_prints_them_after_the_findings(make_story, capsys, monkeypatch):
    monkeypatch.chdir(make_story({"s.yaml": SCENES}, story=STORY))
    assert main(["check", "--stats", "."]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Stats: the words of every paragraph a scene can show (conditional ones included), read at 230 words a minute",
        "  the whole story                              4 scenes       13 words        3 s",
        "  the 4 longest scenes:",
        "    a                                                          6 words        2 s",
        "    b                                                          3 words        1 s",
        "    end_lit                                                    3 words        1 s",
        "    end_dark                                                   1 word         1 s",
        "  chapters:",
        "    One                                        2 scenes        7 words        2 s",
        "    Two                                        2 scenes        6 words        2 s",
        "  each ending, from the start: its shortest way (the fewest choices, loops gone round as often as they must be) and its longest (the most words, no scene shown twice):",
        "    lit (Lit)",
        "      shortest: fewest choices  4 scenes shown, 1 again       18 words        5 s",
        "      longest: most words                3 scenes shown       12 words        3 s",
        "    dark (Dark)",
        "      shortest: fewest choices           2 scenes shown        7 words        2 s",
        "      longest: most words                3 scenes shown       10 words        3 s",
        "Stats: 4 scenes, 2 endings; 0 errors, 0 warnings",
    ]


def test_check_stats_in_json(make_story, capsys, monkeypatch):
    monkeypatch.chdir(make_story({"s.yaml": SCENES}, story=STORY))
    assert main(["check", "--stats", "--format", "json", "."]) == 0
    stats = json.loads(capsys.readouterr().out)["stats"]
    assert stats["words"] == 13 and stats["words_per_minute"] == 230
    assert stats["scenes"] == {"a": 6, "b": 3, "end_lit": 3, "end_dark": 1}
    assert stats["chapters"] == [
        {"chapter": "One", "scenes": 2, "words": 7},
        {"chapter": "Two", "scenes": 2, "words": 6},
    ]
    assert stats["endings"][0] == {
        "ending": "lit",
        "title": "Lit",
        "shortest": {"scenes": ["a", "a", "b", "end_lit"], "words": 18, "minutes": 0.1},
        "longest": {"scenes": ["a", "b", "end_lit"], "words": 12, "minutes": 0.1},
    }
    assert stats["longest_exact"] is True and stats["explored"] is True


def test_check_stats_of_a_story_with_errors_says_it_needs_one_that_loads(make_story, capsys, monkeypatch):
    monkeypatch.chdir(make_story({"s.yaml": SCENES.replace("goto: b", "goto: c")}, story=STORY))
    assert main(["check", "--stats", "."]) == 1
    captured = capsys.readouterr()
    assert "Stats:" not in captured.out
    assert captured.err == "million-miles check: --stats needs a story that loads: fix its errors first\n"


def test_an_ending_no_scene_leads_to_has_no_way(make_story):
    story = load_story(make_story({"s.yaml": SCENES}, story=STORY + "  lost: {title: Lost}\n"))
    stats = story_stats(story, explore_exhaustive(story))
    lost = stats.endings[-1]
    assert (lost.ending, lost.shortest, lost.longest) == ("lost", None, None)


def test_reading_times_read_as_people_say_them():
    assert [duration(m) for m in (0.001, 0.5, 1, 12.4, 59.6, 61, 125)] == [
        "1 s",
        "30 s",
        "1 min",
        "12 min",
        "1 h 00 min",
        "1 h 01 min",
        "2 h 05 min",
    ]


# --------------------------------------------------------------------------- the longest simple path


def _brute_force(graph, words, start, ends):
    """Every simple path from `start`, by enumeration: the most words to each end."""
    best = {}

    def walk(path, total):
        scene = path[-1]
        if scene in ends and total > best.get(scene, -1):
            best[scene] = total
        for target in graph[scene]:
            if target not in path:
                walk([*path, target], total + words[target])

    walk([start], words[start])
    return best


class _Scene:
    def __init__(self, scene_id, targets, ending):
        self.id, self.targets, self.ending = scene_id, targets, ending


class _Story:
    """The little of a story `longest_paths` reads: scenes, their successors and endings, the start."""

    def __init__(self, graph, ends):
        self.start = "s0"
        self.scenes = {s: _Scene(s, targets, ends.get(s)) for s, targets in graph.items()}


@pytest.mark.parametrize("seed", range(40))
def test_the_longest_path_is_the_longest_simple_path(seed, monkeypatch):
    rng = random.Random(seed)
    n = rng.randint(2, 9)
    names = [f"s{i}" for i in range(n)]
    ends = {name: rng.choice(["e1", "e2"]) for name in rng.sample(names[1:], rng.randint(1, min(3, n - 1)))}
    graph = {
        name: [] if name in ends else rng.sample(names, rng.randint(0, min(4, n))) for name in names
    }  # loops, self-loops and scenes no one reaches included
    words = {name: rng.randint(0, 50) for name in names}
    monkeypatch.setattr(
        "game.authoring.stats.scene_graph", lambda story: {s: x.targets for s, x in story.scenes.items()}
    )
    found, exact = longest_paths(_Story(graph, ends), words)
    assert exact
    expected = _brute_force(graph, words, "s0", set(ends))
    per_ending = {}
    for scene, total in expected.items():
        per_ending[ends[scene]] = max(per_ending.get(ends[scene], -1), total)
    assert {e: p.words for e, p in found.items()} == per_ending
    for ending, path in found.items():
        assert path.scenes[0] == "s0" and ends.get(path.scenes[-1]) == ending
        assert len(set(path.scenes)) == len(path.scenes), "a simple path"
        assert all(b in graph[a] for a, b in itertools.pairwise(path.scenes))
        assert sum(words[s] for s in path.scenes) == path.words


def test_successors_are_every_choice_and_branch_whatever_its_condition(story):
    assert successors(story.scenes["a"]) == ["a", "b", "end_dark"]
    assert successors(story.scenes["b"]) == ["end_lit", "end_dark"]


@pytest.mark.parametrize("folder", [bundled_story_path(), TEMPLATE], ids=["bundled", "template"])
def test_stats_of_real_stories_are_quick_and_exact(folder):
    story = load_story(folder)
    explored = explore_exhaustive(story)
    began = time.perf_counter()
    stats = story_stats(story, explored)
    assert time.perf_counter() - began < 2.0
    assert stats.longest_exact
    assert stats.words == sum(stats.scenes.values()) > 0
    for ending in stats.endings:
        assert ending.longest is not None, ending.ending


# --------------------------------------------------------------------------- format 2

STORY_2 = """\
format: 2
title: Calls
start: hub
variables:
  n: {default: 0, min: 0, max: 12}
  bag: {default: []}
snippets:
  wind: The wind rises.
endings:
  home: {title: Home}
  sea: {title: Sea}
"""
SCENES_2 = """\
scenes:
  hub:
    text: "Hub {n}. {if count(bag) > 0: You carry a heavy old sack. | else: Nothing.}"
    choices:
      - text: Talk
        call: talk
      - text: Talk, then sail
        call: talk
        then: shore
      - text: Roll
        set: {n: 'roll(1, 6)'}
        goto:
          - {if: n == 6, scene: sea_end}
          - {scene: home_end}
  talk:
    set: {bag: bag + 'sack'}
    text: "{>wind} {seq: One. | Two words here.}"
    choices:
      - {text: Ask more, call: more, then: talk_end}
      - {text: Done, goto: talk_end}
  more:
    text: More words, four more.
    return: true
  talk_end:
    text: Bye now.
    return: true
  shore:
    text: The shore.
    goto: sea_end
  sea_end:
    text: Sea.
    ending: sea
  home_end:
    text: Home.
    ending: home
"""


@pytest.fixture
def story2(make_story):
    return load_story(make_story({"s.yaml": SCENES_2}, story=STORY_2))


def test_text_chosen_inside_a_paragraph_counts_as_its_longest_alternative(story2):
    assert scene_words(story2.scenes["hub"]) == 2 + 6  # "Hub {n}." and the longer arm of the {if}
    assert scene_words(story2.scenes["talk"]) == 3 + 3  # the snippet's words and the longer of the sequence


def test_calls_lead_into_the_subroutine_and_returns_back_to_where_each_call_returns(story2):
    assert successors(story2.scenes["hub"]) == ["talk", "sea_end", "home_end"]
    assert return_points(story2) == {"talk_end": ["hub", "shore"], "more": ["talk_end"]}
    assert successors(story2.scenes["talk_end"], return_points(story2)) == ["hub", "shore"]


def test_the_longest_way_goes_through_a_subroutine_and_the_shortest_replays_its_draws(story2):
    stats = story_stats(story2, explore_exhaustive(story2))
    home, sea = stats.endings
    assert sea.longest is not None and sea.longest.scenes == ("hub", "talk", "more", "talk_end", "shore", "sea_end")
    assert sea.shortest is not None and sea.shortest.scenes == ("hub", "sea_end")  # the roll of 6, replayed
    assert home.shortest is not None and home.shortest.scenes == ("hub", "home_end")
