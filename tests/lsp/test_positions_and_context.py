"""The pieces under the features, without a server: code units, ranges, and the cursor's place in the format."""

from __future__ import annotations

import pytest
from lsprotocol import types

from game.engine.errors import Diagnostic, Loc
from game.lsp.context import context_at, resolve, step
from game.lsp.diagnostics import span
from game.lsp.index import index_file, text_names
from game.lsp.positions import UTF8, UTF16, UTF32, LineIndex, characters, units


@pytest.mark.parametrize(("encoding", "expected"), [(UTF16, 9), (UTF8, 12), (UTF32, 8)])
def test_code_units_of_an_accent_and_an_emoji(encoding, expected):
    assert units("José 🚀 x", encoding) == expected
    assert characters("José 🚀 x", expected, encoding) == 8


def test_positions_go_both_ways_on_a_line_after_an_emoji():
    lines = LineIndex("title: x\ntext: 🚀 {courag}\n")
    at = lines.position(1, 9)  # the 'c' of courag
    assert at == types.Position(1, 10)
    assert lines.column(at) == 9 and lines.offset(at) == len("title: x\n") + 9


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["unix", "windows", "old-mac"])
def test_a_buffer_with_any_line_end_has_the_lines_the_engine_counts(end):
    """The protocol ends a line at '\\n', '\\r\\n' or a lone '\\r', and so does the engine once it reads a file:
    an error the engine puts on line 3 lands on line 3 of the editor's buffer, whatever its line ends."""
    text = end.join(["scenes:", "  a:", "    goto: 'lamp_rom'", ""])
    lines = LineIndex(text)
    assert [lines.line(n) for n in range(3)] == ["scenes:", "  a:", "    goto: 'lamp_rom'"]
    quoted = Diagnostic(Loc("x.yaml", 3, 12), "unknown scene 'lamp_rom' (did you mean 'lamp_room'?)")
    assert span(quoted, lines) == (2, 11, 19)
    assert lines.line_col(text.index("goto")) == (2, 4)


def test_a_diagnostic_underlines_the_name_its_message_quotes():
    lines = LineIndex("scenes:\n  a:\n    goto: 'lamp_rom'  # soon\n")
    quoted = Diagnostic(Loc("x.yaml", 3, 12), "unknown scene 'lamp_rom' (did you mean 'lamp_room'?)")
    assert span(quoted, lines) == (2, 11, 19)
    scalar = Diagnostic(Loc("x.yaml", 3, 11), "something about this value")
    assert span(scalar, lines) == (2, 10, 20)  # the quoted scalar, quotes included
    whole = Diagnostic(Loc("x.yaml", 0, 0), "file is empty")
    assert span(whole, lines) == (0, 0, len("scenes:"))


SCENES = """\
scenes:
  a:
    text: |
      Hello {na
    choices:
      - text: Help
        set: {family: fam
        goto: fi
      - te
      - text: x
        goto:
          - scene: b
            if: visits(a
"""


@pytest.mark.parametrize(
    ("line", "column", "path", "key", "prefix"),
    [
        (3, 15, ("scenes", "a"), "text", "Hello {na"),
        (6, 25, ("scenes", "a", "choices", "-", "set"), "family", "fam"),
        (7, 16, ("scenes", "a", "choices", "-"), "goto", "fi"),
        (8, 10, ("scenes", "a", "choices", "-"), None, "te"),
        (11, 19, ("scenes", "a", "choices", "-", "goto", "-"), "scene", ""),
        (12, 24, ("scenes", "a", "choices", "-", "goto", "-"), "if", "visits(a"),
    ],
)
def test_the_cursors_place_is_read_from_indentation_even_in_broken_yaml(line, column, path, key, prefix):
    ctx = context_at(SCENES.splitlines(), line, column)
    assert (ctx.path, ctx.key, ctx.prefix) == (path, key, prefix)


def test_the_places_meaning_comes_from_the_format_tables():
    branch = resolve("scenes", ("scenes", "a", "choices", "-", "goto", "-"))
    assert branch is not None and branch.table is not None and set(branch.table) == {"scene", "if"}
    # A branch's `if` is tested as the move is made: it may draw chance.
    assert step(branch, "scene").scalar == "scene" and step(branch, "if").scalar == "chance"
    assert resolve("scenes", ("scenes", "a", "choices", "-", "set")).named == "set"
    assert resolve("playthrough", ("steps", "-", "expect")).table is not None


def test_names_inside_format_2_braces_are_found_where_they_are_written():
    text = "Hi {name}. {if count(bag) > 2 and visits(lab) == 1: yes {>wind} | else: {n + 1}}"
    assert text_names(text) == (
        ("variable", "name", text.index("name")),
        ("variable", "bag", text.index("bag")),
        ("scene", "lab", text.index("lab")),
        ("snippet", "wind", text.index("wind")),
        ("variable", "n", text.index("n + 1")),
    )
    assert text_names("Half typed {if luck > ") == ()  # nothing invented from braces not yet closed
    assert text_names("{{literal}} and {x}") == (("variable", "x", 17),)


def test_the_index_outlines_snippets_and_records_the_format():
    from tests.lsp.test_format2 import SCENES as FERRY_SCENES
    from tests.lsp.test_format2 import STORY as FERRY_STORY

    found = index_file("story.yaml", FERRY_STORY)
    assert found.format == 2
    snippets = next(symbol for symbol in found.symbols if symbol.name == "snippets")
    assert [(s.name, s.kind, s.detail) for s in snippets.children] == [
        ("wind", "snippet", "The wind rises."),
        ("storm", "snippet", "{>wind} Rain, {name}."),
    ]
    scenes = index_file("scenes.yaml", FERRY_SCENES)
    roles = {(o.kind, o.name, o.role) for o in scenes.occurrences}
    assert {("snippet", "storm", "snippet"), ("variable", "name", "input"), ("scene", "dock", "visits")} <= roles
    assert ("scene", "ferryman", "goto") in roles and ("scene", "bank", "goto") in roles
