"""The story map in Mermaid and DOT, with conditional roads drawn apart and coverage in red."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from game.authoring.graph import Coverage, load_coverage, to_dot, to_mermaid
from game.engine.loader import load_story

SCENES = """\
chapter: Shore
scenes:
  a:
    title: The "Shore"
    text: Hi.
    choices:
      - {text: Walk, goto: b}
      - {text: Swim, if: flag, goto: c}
  b:
    chapter: Cliffs
    text: Up.
    goto:
      - {if: n > 1, scene: c}
      - {scene: c}
  c:
    text: End.
    ending: done
"""


@pytest.fixture
def story(make_story):
    return load_story(make_story({"s.yaml": SCENES}))


def test_mermaid_has_chapters_endings_and_dashed_conditional_edges(story):
    text = to_mermaid(story)
    assert text.startswith("flowchart TD\n")
    assert '  subgraph ch0["Shore"]' in text and '  subgraph ch1["Cliffs"]' in text
    assert 'a[/"The #quot;Shore#quot;"/]' in text  # the start scene, quotes escaped
    assert 'c(["c<br/>⟪Done⟫"])' in text
    assert "  a --> b" in text and "  a -.-> c" in text and "  b -.-> c" in text and "  b --> c" in text
    assert "class c ending" in text


def test_coverage_marks_what_was_never_reached(story, tmp_path):
    report = tmp_path / "explore.json"
    report.write_text(json.dumps({"unreachable_scenes": ["c"], "endings_never_reached": ["done"]}))
    coverage = load_coverage(report)
    assert coverage == Coverage(scenes=frozenset({"c"}), endings=frozenset({"done"}))
    assert "class c unreached" in to_mermaid(story, coverage)
    assert '"c" [label="c\\n⟪Done⟫", shape=doubleoctagon' in to_dot(story, coverage)
    assert 'color="#dc2626"' in to_dot(story, coverage)


def test_dot_clusters_and_labels(story):
    text = to_dot(story)
    assert "subgraph cluster_0 {" in text and 'label="Shore";' in text
    assert '"a" -> "c" [label="Swim", style=dashed];' in text
    assert '"b" -> "c" [style=dashed, label="if n > 1"];' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_accepts_the_bundled_story_map():
    from game.bundled import bundled_story_path

    text = to_dot(load_story(bundled_story_path()))
    subprocess.run(["dot", "-Tsvg", "-o", "/dev/null"], input=text, text=True, check=True)


# --------------------------------------------------------------------------- format 2

STORY_2 = """\
format: 2
title: Calls
start: hub
variables:
  name: Ana
  met: false
endings:
  done: {title: Done}
"""
SCENES_2 = """\
scenes:
  hub:
    title: Hub
    tags: [music <calm>, "a \\"quoted\\" tag"]
    input: {variable: name}
    text: Hi.
    goto: square
  square:
    text: The square.
    choices:
      - {text: Talk, call: talk}
      - {text: Talk and leave, if: met, call: talk, then: gate}
      - {text: Leave, goto: gate}
  talk:
    set: {met: true}
    text: Talk.
    call: more
    then: talk_end
  more:
    text: More.
    return: true
  talk_end:
    text: Bye.
    return: true
  gate:
    text: Gate.
    ending: done
"""


@pytest.fixture
def story2(make_story):
    return load_story(make_story({"s.yaml": SCENES_2}, story=STORY_2))


def test_mermaid_draws_calls_where_they_return_and_the_scenes_that_return(story2):
    text = to_mermaid(story2)
    assert '  square ==>|"call"| talk' in text  # a call, said even without --labels
    assert '  square -.->|"call"| talk' in text  # the one behind an `if`, dashed
    assert '  square -.->|"then"| gate' in text
    assert '  talk ==>|"call"| more' in text and '  talk -.->|"then"| talk_end' in text
    assert '  more[["more ↩"]]' in text and '  talk_end[["talk_end ↩"]]' in text
    assert 'hub[/"Hub<br/>✎ name"/]' in text  # the start scene asks for a name
    assert '|"call: Talk and leave"|' in to_mermaid(story2, labels=True)


def test_dot_draws_calls_returns_input_and_tags_escaped(story2):
    text = to_dot(story2)
    assert '"square" -> "talk" [label="call: Talk", style=dotted, penwidth=2, arrowhead=empty];' in text
    assert '"square" -> "gate" [label="then: Talk and leave", style=dashed];' in text
    assert '"talk" -> "more" [label="call", style=dotted, penwidth=2, arrowhead=empty];' in text
    assert '"talk_end" [label="talk_end ↩", peripheries=2];' in text
    assert '"hub" [label="Hub\\n✎ name", tooltip="tags: music <calm>, a \\"quoted\\" tag", penwidth=2];' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_accepts_a_map_with_calls_and_tags(story2):
    subprocess.run(["dot", "-Tsvg", "-o", "/dev/null"], input=to_dot(story2), text=True, check=True)
