"""The brace language of format 2: expressions, conditions, sequences, snippets, titles."""

from __future__ import annotations

from game.engine.runtime import Game

STORY_WITH_SNIPPETS = """\
format: 2
title: Two
start: a
variables:
  n: {default: 0, min: 0, max: 9}
  name: "Ana"
  flag: false
  bag: []
snippets:
  hello: "Hello, {name}."
  weather: "{cycle: Rain. | Sun.}"
  both: "{>hello} {>weather}"
endings:
  done: {title: Done}
"""


def test_any_expression_between_braces_is_shown(story2):
    game = Game(
        story2(
            "scenes:\n  a:\n    text: \"{n + 2} {name + '!'} {flag} {bag + 'x' + 'a'} {visits(a)}\"\n    ending: done\n"
        )
    )
    assert game.text == "2 Ana! false a, x 1"


def test_conditional_text_chooses_the_first_arm_that_holds(story2):
    story = story2(
        """\
        scenes:
          a:
            text: |
              You are {if n > 2: strong | elif n > 0: getting there | else: new here}.
            choices:
              - {text: Train, set: {n: n + 1}, goto: a}
        """
    )
    game = Game(story)
    seen = [game.text]
    for _ in range(3):
        game.choose(1)
        seen.append(game.text)
    assert seen == ["You are new here.", "You are getting there.", "You are getting there.", "You are strong."]


def test_sequences_follow_the_visits_of_the_scene(story2):
    story = story2(
        """\
        scenes:
          a:
            title: "{seq: First | Second | Again}"
            text: |
              {seq: one | two | three} {cycle: x | y} {once: new | newer}|{shuffle: p | q | r}
            choices:
              - {text: Back, goto: a}
        """
    )
    game = Game.new(story, seed=5)
    titles, texts = [], []
    for _ in range(6):
        titles.append(game.title)
        texts.append(game.text)
        game.choose(1)
    assert titles == ["First", "Second", "Again", "Again", "Again", "Again"]
    assert [t.split("|")[0].strip() for t in texts] == [
        "one x new",
        "two y newer",
        "three x",
        "three y",
        "three x",
        "three y",
    ]
    shuffled = [t.split("|")[1] for t in texts]
    assert sorted(shuffled[:3]) == ["p", "q", "r"] and sorted(shuffled[3:]) == ["p", "q", "r"]
    again = Game.new(story, seed=5)
    assert [again.text.split("|")[1]] == shuffled[:1]  # the same seed, the same order


def test_an_empty_alternative_leaves_no_stray_space_and_an_empty_paragraph_is_dropped(story2):
    story = story2(
        """\
        scenes:
          a:
            text: |
              You wait {once: patiently}.

              {once: The clock ticks.}

              Done.
            choices:
              - {text: Again, goto: a}
        """
    )
    game = Game(story)
    assert game.paragraphs == ("You wait patiently.", "The clock ticks.", "Done.")
    game.choose(1)
    assert game.paragraphs == ("You wait.", "Done.")


def test_alternatives_nest_and_a_doubled_bar_is_a_bar(story2):
    story = story2(
        'scenes:\n  a:\n    text: "{if flag: on || off | else: {if n == 0: zero {name} | else: some}}"\n    ending: done\n'
    )
    assert Game(story).text == "zero Ana"


def test_snippets_are_written_into_texts_and_may_use_the_snippets_above_them(story2):
    story = story2(
        'scenes:\n  a:\n    text: "{>both}"\n    choices:\n      - {text: "{>hello}", goto: a}\n',
        story=STORY_WITH_SNIPPETS,
    )
    game = Game(story)
    assert game.text == "Hello, Ana. Rain."
    assert [o.text for o in game.options] == ["Hello, Ana."]
    game.choose(1)
    assert game.text == "Hello, Ana. Sun."


def test_mistakes_in_braces_are_located_where_they_are_written(messages2):
    found = messages2(
        """\
        scenes:
          a:
            title: "{nme}"
            text: |
              Fine {if n > 1: a | else: b}.
              Then {if n: x} and {seq a | b} and {visits(nowhere)}
            choices:
              - text: "{if n > 1 a}"
                goto: a
              - text: "{>nope} {random(1, 6)}"
                goto: a
        """
    )
    assert found == [
        "s.yaml:3:14: unknown variable 'nme' (did you mean 'name'?) (unknown-variable)",
        "s.yaml:6:16: in the text: the condition 'n' must be a boolean but gives an integer (type)",
        "s.yaml:6:27: 'seq' needs a ':' before its text: write it as '{seq: A | B}' (interpolation)",
        "s.yaml:8:17: 'if' needs a ':' after its condition, before the text (interpolation)",
        "s.yaml:10:18: unknown snippet 'nope'; define it in story.yaml under 'snippets:' (interpolation)",
    ]


def test_chance_cannot_be_drawn_in_text(messages2):
    found = messages2('scenes:\n  a:\n    text: "You roll {roll(1, 6)}."\n    ending: done\n')
    assert len(found) == 1 and "roll() cannot be drawn in the text: chance is drawn when a move is made" in found[0]
    assert found[0].startswith("s.yaml:3:22:")


def test_an_alternative_cannot_span_paragraphs(messages2):
    found = messages2("scenes:\n  a:\n    text: |\n      {if flag: one\n\n      two}\n    ending: done\n")
    assert found == [
        "s.yaml:4:7: braces cannot span paragraphs: close the '{' before the blank line"
        " (for a conditional paragraph, give it an 'if') (interpolation)"
    ]
