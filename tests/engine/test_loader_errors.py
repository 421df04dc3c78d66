"""Every author mistake the loader knows, each with its exact file, line and column."""

from __future__ import annotations

import pytest

from game.engine.errors import StoryError
from game.engine.loader import load_story, load_story_with_diagnostics

SCENE_OK = """\
scenes:
  a:
    text: Hello.
    ending: done
"""


def messages(root) -> list[str]:
    story, diagnostics = load_story_with_diagnostics(root)
    assert story is None, "expected the story to fail to load"
    return [str(d) for d in diagnostics]


def test_a_clean_story_loads(make_story):
    story = load_story(make_story({"s.yaml": SCENE_OK}))
    assert list(story.scenes) == ["a"]
    assert story.variables["n"].label == "Count"


def test_yaml_syntax_error_is_located(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: [unclosed\n    ending: done\n"})
    [msg] = messages(root)
    assert msg.startswith("s.yaml:3:11:"), "at the '[' never closed, not where libyaml gave up"
    assert "YAML syntax error" in msg


def test_duplicate_key_is_reported_with_both_lines(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: One.\n    text: Two.\n    ending: done\n"})
    assert messages(root) == [
        "s.yaml:4:5: error: duplicate key 'text' (first defined at line 3); YAML would silently keep only the last one"
    ]


def test_unknown_key_suggests_the_right_one(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    txet: Hello.\n    text: Hi.\n    ending: done\n"})
    assert messages(root) == ["s.yaml:3:5: error: unknown key 'txet' in scene 'a' (did you mean 'text'?)"]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    music: loud\n    ending: done\n"})
    [msg] = messages(root)
    assert msg.startswith("s.yaml:4:5: error: unknown key 'music' in scene 'a'; expected one of: title, chapter, text")


def test_wrong_type_says_what_was_expected_and_found(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    choices: go\n"})
    assert messages(root) == ["s.yaml:4:14: error: 'choices' must be a list of choices, found the text 'go'"]


def test_missing_exit(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n"})
    assert messages(root) == [
        "s.yaml:2:3: error: scene 'a' needs one of 'choices', 'goto' or 'ending' (where does the player go next?)"
    ]


def test_doubled_exit(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: done\n    goto: a\n"})
    assert messages(root) == [
        "s.yaml:5:5: error: scene 'a' has both 'ending' and 'goto': keep exactly one of 'choices', 'goto', 'ending'"
    ]


def test_unknown_start_scene(make_story):
    story = "title: T\nstart: bgein\nendings: {done: {title: D}}\n"
    root = make_story({"s.yaml": "scenes:\n  begin:\n    text: Hi.\n    ending: done\n"}, story=story)
    assert messages(root) == ["story.yaml:2:8: error: start scene 'bgein' does not exist (did you mean 'begin'?)"]


def test_unknown_goto_target(make_story):
    root = make_story({"s.yaml": SCENE_OK + "  b:\n    text: Hi.\n    goto: aa\n"})
    assert messages(root) == ["s.yaml:7:11: error: unknown scene 'aa' (did you mean 'a'?)"]


def test_unknown_ending(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: dnoe\n"})
    assert messages(root) == ["s.yaml:4:13: error: unknown ending 'dnoe' (did you mean 'done'?)"]


def test_duplicate_scene_ids_name_both_places(make_story):
    root = make_story({"one.yaml": SCENE_OK, "two.yaml": "\n" + SCENE_OK})
    assert messages(root) == [
        "one.yaml:2:3: error: duplicate scene id 'a' (also defined at two.yaml:3:3)",
        "two.yaml:3:3: error: duplicate scene id 'a' (also defined at one.yaml:2:3)",
    ]


def test_unknown_variable_in_expression_points_at_the_name(make_story):
    root = make_story(
        {
            "s.yaml": SCENE_OK
            + "  b:\n    text: Hi.\n    choices:\n      - text: Go\n        if: nn > 1\n        goto: a\n"
        }
    )
    assert messages(root) == ["s.yaml:9:13: error: unknown variable 'nn' (did you mean 'n'?)"]


def test_unknown_variable_in_text(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: You have {coutn} coins.\n    ending: done\n"})
    assert messages(root) == ["s.yaml:3:21: error: unknown variable 'coutn' in text"]


def test_unknown_variable_in_block_text_is_located_inside_the_block(make_story):
    text = "scenes:\n  a:\n    text: |\n      First line.\n      Then {nme} waves.\n    ending: done\n"
    root = make_story({"s.yaml": text})
    assert messages(root) == ["s.yaml:5:13: error: unknown variable 'nme' in text (did you mean 'name'?)"]


def test_expression_syntax_error_has_the_column_of_the_fault(make_story):
    root = make_story(
        {
            "s.yaml": SCENE_OK
            + "  b:\n    text: Hi.\n    choices:\n      - text: Go\n        if: n > > 1\n        goto: a\n"
        }
    )
    assert messages(root) == ["s.yaml:9:17: error: in 'if': expected a value but found '>'"]


def test_single_equals_gets_a_hint(make_story):
    root = make_story(
        {
            "s.yaml": SCENE_OK
            + "  b:\n    text: Hi.\n    choices:\n      - text: Go\n        if: n = 1\n        goto: a\n"
        }
    )
    assert messages(root) == ["s.yaml:9:15: error: in 'if': '=' is not an operator here: use '==' to compare"]


def test_value_of_the_wrong_type_for_its_variable(make_story):
    root = make_story(
        {
            "s.yaml": SCENE_OK
            + "  b:\n    text: Hi.\n    choices:\n      - text: Go\n        set: {n: flag}\n        goto: a\n"
        }
    )
    assert messages(root) == [
        "s.yaml:9:18: error: the value for 'n' must be an integer but this expression gives a boolean"
    ]


def test_condition_that_is_not_boolean(make_story):
    root = make_story(
        {
            "s.yaml": SCENE_OK
            + "  b:\n    text: Hi.\n    choices:\n      - text: Go\n        if: n + 1\n        goto: a\n"
        }
    )
    assert messages(root) == ["s.yaml:9:13: error: 'if' must be a boolean but this expression gives an integer"]


def test_type_error_inside_an_expression(make_story):
    root = make_story(
        {
            "s.yaml": SCENE_OK
            + "  b:\n    text: Hi.\n    choices:\n      - text: Go\n        if: name > 1\n        goto: a\n"
        }
    )
    assert messages(root) == ["s.yaml:9:18: error: in 'if': '>' compares integers but got string and integer"]


def test_default_of_the_wrong_type_for_bounds(make_story):
    story = "title: T\nstart: a\nvariables:\n  x: {default: true, min: 0}\nendings: {done: {title: D}}\n"
    root = make_story({"s.yaml": SCENE_OK}, story=story)
    assert messages(root) == ["story.yaml:4:27: error: 'min' applies only to integer variables; 'x' is a boolean"]


@pytest.mark.parametrize(
    ("placeholder", "col"),
    [("{x.__class__}", 15), ("{x[0]}", 15), ("{x!r}", 15), ("{n:>10}", 15), ("{}", 15)],
)
def test_interpolation_must_be_a_plain_name(make_story, placeholder, col):
    root = make_story({"s.yaml": f"scenes:\n  a:\n    text: Say {placeholder} now.\n    ending: done\n"})
    [msg] = messages(root)
    assert msg.startswith(f"s.yaml:3:{col}: error: only a plain variable name may stand between braces")


def test_unclosed_brace(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Say {n now.\n    ending: done\n"})
    assert messages(root) == ["s.yaml:3:15: error: '{' is never closed: write '{{' for a literal brace"]


def test_all_mistakes_are_reported_at_once_and_sorted(make_story):
    root = make_story(
        {
            "b.yaml": "scenes:\n  b:\n    text: Hi {zz}.\n    goto: nowhere\n",
            "a.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: nope\n",
        }
    )
    msgs = messages(root)
    assert [m.split(": error")[0] for m in msgs] == ["a.yaml:4:13", "b.yaml:3:15", "b.yaml:4:11"]


def test_story_error_carries_the_diagnostics(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: nope\n"})
    with pytest.raises(StoryError) as info:
        load_story(root)
    assert str(info.value) == "s.yaml:4:13: error: unknown ending 'nope'; story.yaml defines: done"


def test_missing_story_yaml(tmp_path):
    [msg] = messages(tmp_path)
    assert msg.startswith("story.yaml: error: file not found: every story folder needs a story.yaml")


def test_aliases_are_refused(make_story):
    root = make_story({"s.yaml": "scenes:\n  a: &x\n    text: Hi.\n    ending: done\n  b: *x\n"})
    assert messages(root) == [
        "s.yaml:2:6: error: anchors and aliases ('&name', '*name') are not supported in story files"
    ]


def test_last_goto_branch_must_be_unconditional(make_story):
    root = make_story({"s.yaml": SCENE_OK + "  b:\n    text: Hi.\n    goto:\n      - {if: flag, scene: a}\n"})
    assert messages(root) == [
        "s.yaml:8:9: error: the last branch of a 'goto' must have no 'if', so there is always somewhere to go"
    ]


def test_text_fields_keep_yaml_booleans_as_words(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    title: No\n    text: Yes\n    ending: done\n"})
    story = load_story(root)
    assert story.scenes["a"].title == "No"
    assert story.scenes["a"].paragraphs[0].template.render({}) == "Yes"


def test_bounds_beyond_what_the_game_counts_with_are_refused_not_a_crash_when_cached(make_story):
    """A `min` of -10**30 was accepted, then failed to be stored in the cache (msgpack holds 64 bits)."""
    root = make_story(
        {"s.yaml": "scenes:\n  a:\n    text: Hi.\n    ending: done\n"},
        story="title: T\nstart: a\nvariables:\n  n: {default: 0, min: -1000000000000000000000000000000}\n"
        "endings:\n  done: {title: D}\n",
    )
    story, diagnostics = load_story_with_diagnostics(root)
    assert story is None
    assert [str(d) for d in diagnostics] == [
        "story.yaml:4:24: error: 'min' is too large: integers go up to 9,223,372,036,854,775,807"
    ]


# --------------------------------------------------------------------------- one mistake hides no other


def test_a_file_that_cannot_be_read_hides_no_mistake_of_the_others(make_story):
    broken = (
        'scenes:\n  a:\n    title: "Unclosed\n    text: Hello.\n    goto: b\n  b:\n    text: Bye.\n    ending: done\n'
    )
    other = "scenes:\n  c:\n    text: Elsewhere.\n    choices:\n      - {text: Back, goto: a}\n      - {text: On, goto: nowhere}\n"
    root = make_story({"s.yaml": broken, "t.yaml": other})
    assert messages(root) == [
        's.yaml:3:12: error: YAML syntax error: the quote mark " that opens this text is never closed: end the text'
        " with \" (or write it below a '|' line, where quote marks are plain text)",
        "t.yaml:6:26: error: unknown scene 'nowhere'",
    ]  # `a`, the start, and `b` seem to be defined in s.yaml: neither is reported missing


def test_an_empty_scene_file_hides_nothing(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    goto: b\n", "later.yaml": "# to do\n"})
    assert messages(root) == [
        "later.yaml:1:1: error: file is empty: expected a mapping",
        "s.yaml:4:11: error: unknown scene 'b'",
    ]


def test_a_story_yaml_that_cannot_be_read_hides_no_unknown_scene(make_story):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi.\n    goto: b\n"}, story="title: [T\n")
    first, second = messages(root)
    assert first == "s.yaml:4:11: error: unknown scene 'b'"
    assert second.startswith("story.yaml:1:8: error: YAML syntax error: this '[' is never closed")


def test_scene_ids_of_a_file_that_cannot_be_read_are_guessed_from_its_lines():
    from game.engine.yaml_source import scene_ids_in

    text = "chapter: One\nscenes:\n  a:\n    text: |\n      x: y\n    goto: b\n  # b: a comment\n  b: 'oops\n  - c\n"
    assert scene_ids_in(text) == [("a", 3, 3), ("b", 8, 3)]
    assert scene_ids_in("# nothing yet\n\n") == []
    assert scene_ids_in("scenes: {a: {text: x, ending: y}") is None  # nothing to go on: references are not checked


def test_a_missing_dash_in_paragraphs_and_branches_is_one_message(make_story):
    scenes = """\
    scenes:
      a:
        text:
          - if: flag
            text: One.
            if: not flag
            text: Two.
        goto:
          - if: flag
            scene: a
            if: not flag
            scene: b
      b:
        text: Bye.
        ending: done
    """
    assert messages(make_story({"s.yaml": scenes})) == [
        f"s.yaml:{line}:9: error: 'if' again (first at line {first}): a '- ' is missing at the start of this line,"
        " so YAML reads two items of the list as one; write '- ' before 'if' (each item of a list starts with '- ')"
        for line, first in ((6, 4), (11, 9))
    ]


def test_a_duplicate_key_that_does_not_start_an_item_is_a_duplicate(make_story):
    scenes = "scenes:\n  a:\n    text: Hi.\n    choices:\n      - text: Go\n        goto: a\n        goto: b\n  b:\n    text: Bye.\n    ending: done\n"
    assert messages(make_story({"s.yaml": scenes})) == [
        "s.yaml:7:9: error: duplicate key 'goto' (first defined at line 6); YAML would silently keep only the last one"
    ]


# --------------------------------------------------------------------------- every syntax error, located


def _mutations(text: str):
    """Each line of `text` broken in the ways hands break YAML: a colon lost, a space lost, indentation
    changed, a quote, bracket or tab put in."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        variants = {
            line.replace(": ", " ", 1),
            line.replace(": ", ":", 1),
            "  " + line,
            line[1:],
            line[2:],
            line.replace("- ", "-", 1),
            line.replace("- ", "  ", 1),
            line + ' "',
            line.replace(": ", ': "', 1),
            line.replace(": ", ": '", 1),
            line.replace(": ", ": {", 1),
            line.replace(": ", ": [", 1),
            "\t" + line.lstrip(),
        }
        for variant in sorted(variants - {line}):
            yield "\n".join([*lines[:n], variant, *lines[n + 1 :]])


def test_every_broken_line_gets_located_messages_and_never_a_crash():
    from game.authoring.template import TEMPLATE
    from game.engine.errors import Diagnostics
    from game.engine.yaml_source import read_document

    for name in ("story.yaml", "chapter1.yaml"):
        original = (TEMPLATE / name).read_text(encoding="utf-8")
        for text in _mutations(original):
            diags = Diagnostics()
            read_document(name, text.encode("utf-8"), diags, "empty")
            lines = text.count("\n") + 1
            for d in diags.items:
                if d.code == "yaml":
                    assert 1 <= d.loc.line <= lines and d.loc.col >= 1, (d, text)
                    assert d.message.startswith("YAML syntax error: "), d


def test_a_text_line_dedented_to_a_key_is_told_to_go_back_into_the_text(make_story):
    scenes = "scenes:\n  a:\n    text: |\n      First line.\n    Note: the keeper is away.\n    ending: done\n"
    [message] = messages(make_story({"s.yaml": scenes}))
    assert message.startswith("s.yaml:5:5: error: unknown key 'Note' in scene 'a'; expected one of: ")
    assert message.endswith("; if this line belongs to the text above, indent it like that text")
    typo = "scenes:\n  a:\n    text: |\n      First line.\n    endng: done\n"
    assert messages(make_story({"s.yaml": typo}))[-1] == (
        "s.yaml:5:5: error: unknown key 'endng' in scene 'a' (did you mean 'ending'?)"
    )
