"""Format versions: a story says which it is written in; every version-1 story reads as it always did."""

from __future__ import annotations

from game.engine.runtime import Game
from tests.language.conftest import load

V1 = """\
title: Old
start: a
variables:
  count: 0
  once: "x"
  random: 1
endings:
  done: {title: Done}
"""


def test_a_version_1_story_keeps_names_that_version_2_reserves(make_story):
    root = make_story(
        {
            "s.yaml": """\
            scenes:
              a:
                title: Count {count}
                text: "{once} and {count} and {random}"
                choices:
                  - text: Up
                    set: {count: count + random}
                    goto: b
              b:
                text: Bye.
                ending: done
            """
        },
        story=V1,
    )
    story, diagnostics = load(root)
    assert story is not None and story.format == 1
    game = Game(story)
    assert game.title == "Count {count}"  # a title was never filled in before format 2
    assert game.text == "x and 0 and 1"
    game.choose(1)
    assert game.variables["count"] == 1
    assert [d.code for d in diagnostics] == ["unfilled-placeholder"]


def test_a_key_of_version_2_in_a_version_1_story_says_what_to_declare(make_story):
    root = make_story(
        {
            "s.yaml": """\
            scenes:
              a:
                text: Hi.
                set: {count: 1}
                tags: [calm]
                ending: done
            """
        },
        story=V1,
    )
    story, diagnostics = load(root)
    assert story is None
    assert [(d.loc.line, d.loc.col, d.code) for d in diagnostics] == [(4, 5, "version"), (5, 5, "version")]
    assert diagnostics[0].message == ("'set' is new in format 2: add 'format: 2' at the top of story.yaml to use it")


def test_braces_and_functions_of_version_2_in_a_version_1_story_say_so(make_story):
    root = make_story(
        {
            "s.yaml": """\
            scenes:
              a:
                text: "{count + 1}"
                choices:
                  - text: Roll
                    if: random(1, 6) > 3
                    goto: a
            """
        },
        story=V1,
    )
    _, diagnostics = load(root)
    messages = [d.message for d in diagnostics]
    assert any("need 'format: 2' in story.yaml" in m for m in messages)
    assert any("random() is new in format 2: add 'format: 2' at the top of story.yaml" in m for m in messages)


def test_a_story_of_a_newer_format_asks_for_a_newer_engine(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: done\n"}, story="format: 3\n" + V1)
    story, diagnostics = load(root)
    assert story is None
    assert [(d.loc.line, d.code) for d in diagnostics] == [(1, "version")]
    assert "written in format 3, and this engine reads formats 1 to 2" in diagnostics[0].message


def test_format_must_be_a_version_number(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: done\n"}, story="format: two\n" + V1)
    _, diagnostics = load(root)
    assert [d.message for d in diagnostics] == ["'format' must be a version number from 1 to 2, found the text 'two'"]
