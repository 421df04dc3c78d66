"""The quick YAML reader gives exactly what libyaml gives, positions included, or steps aside.

`game.engine.plain_yaml` may refuse anything (`NotPlain`); whatever it does read
must be what the safe loader composes, value for value, tag for tag and
position for position, and whatever libyaml refuses it must refuse too. Checked
on every story file in the repository, on generated YAML written in all the
styles the reader knows (and some it does not), and on story files mangled a
character at a time.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, SequenceNode

from game.bundled import bundled_story_path
from game.engine import plain_yaml
from game.engine.plain_yaml import Map, NotPlain, Seq, Tagged

try:
    from yaml import CSafeLoader as Reference
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Reference  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("MILLION_MILES_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def from_libyaml(node) -> tuple:  # noqa: ANN001
    where = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        return (
            "map",
            where,
            [(k.value, (k.start_mark.line + 1, k.start_mark.column + 1), from_libyaml(v)) for k, v in node.value],
        )
    if isinstance(node, SequenceNode):
        return ("seq", where, [from_libyaml(item) for item in node.value])
    if node.tag == "tag:yaml.org,2002:str":
        return ("str", where, node.value)
    return ("tagged", where, plain_yaml._SHORT_TAGS.get(node.tag, node.tag), node.value)


def from_reader(value: object, where: tuple[int, int]) -> tuple:
    if isinstance(value, Map):
        return (
            "map",
            (value.line, value.col),
            [(k, value.at[k][:2], from_reader(v, value.at[k][2:])) for k, v in value.items()],
        )
    if isinstance(value, Seq):
        return ("seq", (value.line, value.col), [from_reader(v, value.at[i]) for i, v in enumerate(value)])
    if isinstance(value, Tagged):
        return ("tagged", where, value.tag, value.text)
    return ("str", where, value)


def agrees(text: str) -> bool:
    """Assert the reader agrees with libyaml on `text`; True when it read it, False when it stepped aside."""
    try:
        mine = plain_yaml.read(text)
    except NotPlain:
        return False
    try:
        reference = yaml.compose(text, Loader=Reference)
    except yaml.YAMLError as exc:
        pytest.fail(f"the quick reader read text that libyaml refuses ({exc}):\n{text}")
    assert reference is not None
    assert from_reader(mine, (mine.line, mine.col)) == from_libyaml(reference), text
    return True


STORY_FILES = sorted(
    p for p in [*REPO.glob("scenes/**/*.yaml"), *REPO.glob("game/**/*.yaml"), *REPO.glob("tests/**/*.yaml")]
)


@pytest.mark.parametrize("path", STORY_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_here_reads_as_libyaml_reads_it(path):
    agrees(path.read_text(encoding="utf-8-sig"))


def test_the_bundled_story_and_the_new_story_template_are_plain_yaml():
    """The quick way is the usual way: the files authors start from never need libyaml."""
    files = [*bundled_story_path().glob("*.yaml"), *(REPO / "game/authoring/template").glob("*.yaml")]
    assert len(files) >= 9
    for path in files:
        assert agrees(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # tags
        "a: b\n  c\n",  # a plain scalar over two lines
        "a: 'b\n  c'\n",  # a quoted one
        'a: "b\\n"\n',  # escapes
        "a:\tb\n",  # a tab
        "a: [1, 2]\n",  # a flow list
        "--- \na: 1\n",  # a document marker
        "a: |2\n   b\n",  # an indentation indicator
        "a: |+\n  b\n\n",  # keep chomping
        "? a\n: b\n",  # a complex key
        "a: b: c\n",  # a syntax error
        "a: 1\na: 2\n",  # a duplicate key (libyaml keeps the last)
        "<<: {a: 1}\n",  # a merge key
        "a:\n- b\n -c\n",  # odd indentation
        "a: {b: c\n",  # an unclosed flow mapping
        "~: x\n",  # a null key
        "a: b # c: d\n  e: f\n",  # a comment, then a line that is not
    ],
)
def test_what_it_leaves_to_libyaml(text):
    with pytest.raises(NotPlain):
        plain_yaml.read(text)


def test_values_and_places():
    text = "a: 1\nb:\n  - x: 'it''s'\n    y: {n: n + 1, m: \"q\"}\n  - |\n    one\n\n    two\nc: >-\n  folded\n  line\n"
    doc = plain_yaml.read(text)
    assert doc["a"] == Tagged("int", "1") and plain_yaml.int_value(doc["a"]) == 1
    first = doc["b"][0]
    assert first["x"] == "it's" and (first.line, first.col) == (3, 5)
    assert dict(first["y"]) == {"n": "n + 1", "m": "q"} and first["y"].at["m"] == (4, 19, 4, 22)
    assert doc["b"][1] == "one\n\ntwo\n" and doc["b"].at[1] == (5, 5)
    assert doc["c"] == "folded line"
    assert agrees(text)


# --------------------------------------------------------------------------- generated YAML

PIECES = [
    "a",
    "b",
    " ",
    "  ",
    ":",
    ": ",
    "#",
    " #",
    "'",
    '"',
    "-",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "yes",
    "No",
    "~",
    "null",
    "12",
    "-3",
    "0x1F",
    "012",
    "1_000",
    "3.5",
    ".inf",
    "2001-01-01",
    "!",
    "&a",
    "*a",
    "|",
    ">",
    "?",
    "%",
    "@",
    "`",
    "é",
    "\\",
    "true",
    "{n}",
    "resolve > 2",
    "n + 1",
    "\u00a0",
    "\u2028",
]
KEYS = [
    "a",
    "b",
    "text",
    "if",
    "goto",
    "k1",
    "yes",
    "No",
    "12",
    "null",
    "on",
    "x-y",
    "_",
    "1.5",
    "2001-01-01",
    "~",
    "a b",
    "'q'",
    "<<",
]

#: Pieces of the kind most story text is made of, so that much of what is generated is plain.
TAME = ["word", "Word", " ", "yes", "12", "-3", "n + 1", "x:y", "a#b", "é", "3.5", "~", "it's", "{name}", "."]

texts = st.one_of(st.lists(st.sampled_from(PIECES), max_size=6), st.lists(st.sampled_from(TAME), max_size=6)).map(
    "".join
)


@st.composite
def scalar(draw, indent: int) -> str:  # noqa: ANN001
    """A scalar in one of the styles, as the text that follows `key: ` or `- `."""
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double", "literal", "folded", "flow"]))
    text = draw(texts)
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", draw(st.sampled_from(["''", "'"]))) + "'"
    if style == "double":
        return '"' + text + '"'
    if style == "flow":
        entries = draw(st.lists(st.tuples(st.sampled_from(KEYS), texts), max_size=3))
        sep = draw(st.sampled_from([", ", ",", " , "]))
        return "{" + sep.join(f"{k}: {v}" for k, v in entries) + "}"
    header = ("|" if style == "literal" else ">") + draw(st.sampled_from(["", "", "-", "-", "+", "2", " # c"]))
    lines = draw(st.lists(st.tuples(st.integers(0, 3), texts), min_size=0, max_size=4))
    body = [(" " * (indent + 2 + extra) + t) if t or extra else "" for extra, t in lines]
    return header + "\n" + "\n".join(body)


@st.composite
def block(draw, indent: int, depth: int) -> list[str]:  # noqa: ANN001
    """A block mapping or list at `indent`, as lines, with comments and blank lines between."""
    pad = " " * indent
    out: list[str] = []
    as_list = depth > 0 and draw(st.booleans())
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(["", pad + "# note", " " * draw(st.integers(0, 8)) + "# x", "   "])))
        key = draw(st.sampled_from(KEYS))
        lead = f"{pad}- " if as_list else f"{pad}{key}:"
        if as_list and draw(st.booleans()):  # `- key: value`, the item a mapping
            lead = f"{pad}- {key}:"
        nested = depth < 3 and draw(st.integers(0, 2)) == 0
        if nested and lead.endswith(":"):
            child_indent = indent + draw(st.sampled_from([0, 2, 4])) + (2 if lead.startswith(f"{pad}- ") else 0)
            out.append(lead + draw(st.sampled_from(["", " # c", "  "])))
            out.extend(draw(block(child_indent, depth + 1)))
        else:
            value = draw(scalar(indent))
            sep = "" if lead.endswith("- ") else " "
            out.append(lead + sep + value + draw(st.sampled_from(["", "", " # c", "#c", "  "])))
    return out


@FUZZ
@given(block(0, 0))
def test_generated_yaml(lines):
    agrees("\n".join(lines) + "\n")


@FUZZ
@given(st.sampled_from(STORY_FILES), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_story_files_mangled_a_character_at_a_time(path, seed, edits):
    rng = random.Random(seed)
    text = path.read_text(encoding="utf-8-sig")
    for _ in range(edits):
        at = rng.randrange(len(text) + 1)
        piece = rng.choice([" ", "  ", ":", "-", "- ", "#", "'", '"', "|", ">", "{", "}", "\n", "a", "&", "~", ""])
        cut = rng.choice([0, 0, 1, 2])
        text = text[:at] + piece + text[at + cut :]
    agrees(text)


def _classified(line: str, monkeypatch, simple) -> object:
    monkeypatch.setattr(plain_yaml, "_SIMPLE", simple)
    for memo in (plain_yaml._LINES, plain_yaml._KEY_OK, plain_yaml._RESOLVED):
        memo.clear()
    try:
        return plain_yaml._classify(line)
    except NotPlain:
        return NotPlain


def test_the_commonest_lines_are_classified_as_the_general_way_would(monkeypatch):
    """`_classify` takes `key:`, `key: word` and `key: "text"` lines apart with one whole-line pattern."""
    simple, never = plain_yaml._SIMPLE, re.compile(r"(?!)")
    keys = ["k1", "text", "goto", "yes", "null", "on", "a_b", "Key9", "_x", "1a", "a-b", "3.5"]
    values = [
        "",
        "k583",
        "yes",
        "No",
        "null",
        "~",
        "true",
        "x_1",
        "12",
        '"Scene 0. {a} b."',
        '"a\\b"',
        '"q" # c',
        '"a"b"',
        "word # c",
        '"" ',
        '"x"',
        "'x'",
        "a: b",
        "{a: 1}",
        "|",
        "0x1F",
    ]
    seen = 0
    for dash in ("", "- ", "-  "):
        for indent in ("", "  ", "      "):
            for key in keys:
                for value in values:
                    line = f"{indent}{dash}{key}:" + (f" {value}" if value else "")
                    quick = _classified(line, monkeypatch, simple)
                    assert quick == _classified(line, monkeypatch, never), line
                    seen += quick is not NotPlain
    assert seen > 1000
