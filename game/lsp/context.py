"""Where the cursor is in the story format: which object, which key, key or value, what is typed.

Completion and key hovers must work on a file the author is in the middle of
writing, which is often not valid YAML at that moment (`goto: ` with nothing
after it, an unclosed `{`). So the cursor's place is read from the lines of
text, by indentation, the way the author sees it: the keys and list items
above the cursor (`scenes → fields_dawn → choices → -`), whether a key or a
value is being written, and what is typed so far. Flow collections on the
cursor's line (`set: {family: fam`) are read character by character.

`Shape` then gives that place its meaning, from the key tables of
`game.engine.format` (one source of truth): which keys a mapping may hold,
what kind of value a key takes. It follows the tables' *kinds*, so a key
added to a table is completed and documented with no change here, and a new
kind of value (a version-2 construct) is one entry in `_KIND_SHAPES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from game.engine import format as fmt
from game.lsp.index import FileKind
from game.testing.playthrough import EXPECT_KEYS, PLAYTHROUGH_KEYS, STEP_KEYS

_KEY_LINE = re.compile(r"""(?P<key>[A-Za-z_][\w-]*|'[^']*'|"[^"]*")[ \t]*:(?:[ \t]+(?P<value>.*)|[ \t]*$)""")
_BLOCK = re.compile(r"[|>][0-9+-]*\s*(#.*)?$")
_DASHES = re.compile(r"((?:-(?:[ \t]+|$))+)")


@dataclass(frozen=True)
class Context:
    """The cursor's place in a file.

    `path` leads from the document's top to the mapping or list whose key or item is
    at the cursor: keys, and "-" for a list item. `key` is the key (or "-", a list
    item) whose value is being written, or None when a key is being written.
    `prefix` is what is typed of it before the cursor, starting at column `start`.
    `present` holds the keys already written beside it (not offered again).
    """

    path: tuple[str, ...]
    key: str | None
    prefix: str
    start: int
    present: frozenset[str] = frozenset()
    #: The value spans lines (a block or plain scalar): the cursor is in prose.
    multiline: bool = False


@dataclass(frozen=True)
class _Line:
    indent: int  # column of the first character
    dashes: int  # "- " list markers before the content
    content: int  # column where the content (after the markers) starts
    key: str | None
    value: str | None  # text after "key:" (None when there is no key)
    blank: bool


def parse_line(line: str) -> _Line:
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if not stripped.strip() or stripped.startswith("#"):
        return _Line(indent, 0, indent, None, None, True)
    dashes = _DASHES.match(stripped)
    count = dashes.group(1).count("-") if dashes else 0
    content = indent + (dashes.end() if dashes else 0)
    match = _KEY_LINE.match(line, content)
    if match is None:
        return _Line(indent, count, content, None, line[content:].strip(), False)
    key = match.group("key").strip("'\"")
    value = _strip_comment(match.group("value") or "")
    return _Line(indent, count, content, key, value, False)


def _strip_comment(value: str) -> str:
    at = value.find(" #")
    return (value[:at] if at >= 0 else value).strip()


def _continues(line: _Line) -> bool:
    """Whether lines indented below `line` continue its scalar (a `|`/`>` block, or plain text)."""
    value = line.value
    if not value:
        return False
    return bool(_BLOCK.match(value)) or value[0] not in "{[&*!|>'\""


def context_at(lines: list[str], number: int, column: int) -> Context:
    """The context of a cursor at character `column` of 0-based line `number`."""
    text = lines[number] if 0 <= number < len(lines) else ""
    before = text[:column]
    here = parse_line(before)
    # The nearest line above with less indentation: a scalar it starts may hold this line.
    raw_indent = here.indent if not here.blank or before.strip() else len(before)
    parent_number, parent = _parent(lines, number, raw_indent)
    # A scalar continues on lines indented past its key (past the dash, for a list item's scalar).
    continued = parent is not None and raw_indent > (parent.content if parent.key is not None else parent.indent)
    if parent is not None and continued and (_continues(parent) or (parent.key is None and parent.value)):
        above = _ancestors(lines, parent_number, parent.indent)
        frames = above + ("-",) * parent.dashes
        key = parent.key if parent.key is not None else frames[-1]
        path = frames + ((parent.key,) if parent.key is not None else ())
        return _prose(path[:-1], key, before, multiline=True)
    if here.blank:
        cursor_indent = len(before)
        path = _ancestors(lines, number, cursor_indent)
        return Context(path, None, "", column, _siblings(lines, number, cursor_indent))
    own = ("-",) * here.dashes
    level = here.indent if here.dashes else here.content
    path = _ancestors(lines, number, level) + own
    present = _siblings(lines, number, here.content) if not here.dashes else frozenset()
    if here.key is None:  # a key being typed, or a scalar list item
        typed = before[here.content :]
        if here.dashes and typed[:1] in ("{", "["):  # `- {if: n > 1, scene: b}`: the item written in flow
            return _flow(path, typed, here.content)
        if here.dashes and (typed[:1] in "'\"" or " " in typed.strip()):
            return _prose(path[:-1], "-", before, start=here.content)
        return Context(path, None, typed, here.content, present)
    value_start = before.index(":", here.content) + 1
    while value_start < len(before) and before[value_start] in " \t":
        value_start += 1
    value = before[value_start:]
    if value.startswith(("{", "[")):
        return _flow(path + (here.key,), value, value_start)
    return _prose(path, here.key, before, start=value_start)


def _prose(path: tuple[str, ...], key: str, before: str, start: int | None = None, multiline: bool = False) -> Context:
    if start is None:
        start = len(before) - len(before.lstrip(" "))
    prefix = before[start:]
    if prefix[:1] in ("'", '"'):
        start, prefix = start + 1, prefix[1:]
    return Context(path, key, prefix, start, multiline=multiline)


def _parent(lines: list[str], number: int, indent: int) -> tuple[int, _Line | None]:
    for above in range(number - 1, -1, -1):
        line = parse_line(lines[above])
        if not line.blank and line.indent < indent:
            return above, line
    return -1, None


def _ancestors(lines: list[str], number: int, level: int) -> tuple[str, ...]:
    """The keys and list items above line `number` that hold a mapping whose keys start at column `level`."""
    frames: list[str] = []
    for above in range(number - 1, -1, -1):
        if level <= 0:
            break
        line = parse_line(lines[above])
        if line.blank:
            continue
        if line.dashes:
            if line.indent >= level:
                continue
            inner: list[str] = []
            if line.key is not None and line.content < level and not line.value:
                inner.append(line.key)  # `- goto:` with the branches below it
            frames.extend(inner + ["-"] * line.dashes)
            level = line.indent
        elif line.indent < level:
            if line.key is not None:
                frames.append(line.key)
            level = line.indent
    return tuple(reversed(frames))


def _siblings(lines: list[str], number: int, level: int) -> frozenset[str]:
    """The keys written at column `level` in the same mapping as line `number`."""
    found: set[str] = set()
    for step in (-1, 1):
        at = number + step
        while 0 <= at < len(lines):
            line = parse_line(lines[at])
            at += step
            if line.blank or line.indent > level or (line.dashes and line.content > level):
                continue
            if line.content == level and line.key is not None and not (line.dashes and step == 1):
                found.add(line.key)
                if line.dashes:  # the first key of this list item: nothing above it belongs
                    break
                continue
            break
    return frozenset(found)


def _flow(path: tuple[str, ...], text: str, offset: int) -> Context:
    """The context inside a flow collection (`{scene: x}`, `[a, b]`) written on one line."""
    stack: list[list[object]] = []  # [bracket, key, writing a key?, start]
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            close = text.find(c, i + 1)
            if close < 0:
                break
            i = close + 1
            continue
        if c == "{":
            stack.append(["{", None, True, i + 1])
        elif c == "[":
            stack.append(["[", None, False, i + 1])
        elif c in "}]":
            if stack:
                stack.pop()
        elif c == "," and stack:
            stack[-1][1:] = [None, stack[-1][0] == "{", i + 1]
        elif c == ":" and stack and stack[-1][0] == "{" and stack[-1][2] and text[i + 1 : i + 2] in ("", " "):
            top = stack[-1]
            top[1:] = [str(text[int(str(top[3])) : i]).strip().strip("'\""), False, i + 1]
        i += 1
    if not stack:
        return Context(path, path[-1] if path else None, "", offset + len(text))
    frames = list(path)
    for bracket, key, _, _ in stack[:-1]:
        frames.append(str(key) if bracket == "{" and key is not None else "-")
    bracket, key, writing_key, start = stack[-1]
    begin = int(str(start))
    typed = text[begin:]
    stripped = typed.lstrip(" ")
    begin += len(typed) - len(stripped)
    if stripped[:1] in ("'", '"'):
        begin, stripped = begin + 1, stripped[1:]
    if bracket == "{" and writing_key:
        return Context(tuple(frames), None, stripped, offset + begin)
    return Context(tuple(frames), str(key) if bracket == "{" else "-", stripped, offset + begin)


# --------------------------------------------------------------------------- the format's shapes


@dataclass(frozen=True)
class Shape:
    """What a place in a file may hold: a mapping of known keys (`table`), a mapping of names
    (`named`: "variables", "endings", "scenes", "set", "state", "snippets", "choice-tags"), a list
    (`item`: the shape of its items) and/or a scalar (`scalar`: a `format.Key.kind`, or
    "expression", "chance", "choice")."""

    table: dict[str, fmt.Key] | None = None
    named: str | None = None
    item: Shape | None = None
    scalar: str | None = None
    #: Key name → the kind it takes here, where the table's kind is not precise enough.
    kinds: dict[str, str] = field(default_factory=dict)


_PARAGRAPH = Shape(table=fmt.PARAGRAPH_KEYS, scalar="prose")
#: The shape each kind of key gives its value (kinds not listed: a plain scalar of that kind).
#: "expression" is an expression that may not draw chance, "chance" one that may (a `set`
#: value, the `if` of a goto branch or an effect).
_KIND_SHAPES: Final[dict[str, Shape]] = {
    "paragraphs": Shape(scalar="prose", item=_PARAGRAPH),
    "goto": Shape(scalar="scene", item=Shape(table=fmt.BRANCH_KEYS)),
    "choices": Shape(item=Shape(table=fmt.CHOICE_KEYS)),
    "set": Shape(named="set"),
    "variables": Shape(named="variables"),
    "endings": Shape(named="endings"),
    "scenes": Shape(named="scenes"),
    "condition": Shape(scalar="expression"),
    # format 2
    "chance-condition": Shape(scalar="chance"),
    "heading": Shape(scalar="template"),
    "effects": Shape(item=Shape(table=fmt.EFFECT_KEYS)),
    "input": Shape(table=fmt.INPUT_KEYS),
    "tags": Shape(scalar="tags", item=Shape(scalar="tags")),
    "snippets": Shape(named="snippets"),
    # playthrough files
    "steps": Shape(item=Shape(table=STEP_KEYS)),
    "expect": Shape(table=EXPECT_KEYS, kinds={"scene": "scene", "ending": "ending"}),
    "state": Shape(named="state"),
    "texts": Shape(scalar="texts", item=Shape(scalar="texts")),
    "draws": Shape(scalar="draws", item=Shape(scalar="draws")),
    "choice-tags": Shape(named="choice-tags"),
}
#: The shape of each value in a mapping of names.
_NAMED_SHAPES: Final[dict[str, Shape]] = {
    "variables": Shape(table=fmt.VARIABLE_KEYS, scalar="value"),
    "endings": Shape(table=fmt.ENDING_KEYS),
    "scenes": Shape(table=fmt.SCENE_KEYS),
    "set": Shape(scalar="chance"),
    "state": Shape(scalar="value"),
    "snippets": Shape(scalar="prose"),
    "choice-tags": Shape(scalar="tags", item=Shape(scalar="tags")),
}
ROOTS: Final[dict[FileKind, Shape]] = {
    "story": Shape(table=fmt.STORY_KEYS),
    "scenes": Shape(table=fmt.SCENE_FILE_KEYS),
    "playthrough": Shape(table=PLAYTHROUGH_KEYS, kinds={"start": "scene"}),
}


def shape_of_kind(kind: str) -> Shape:
    return _KIND_SHAPES.get(kind) or Shape(scalar=kind)


def step(shape: Shape | None, element: str) -> Shape | None:
    """The shape of `element` (a key, or "-" for a list item) inside `shape`."""
    if shape is None:
        return None
    if element == "-":
        return shape.item
    if shape.table is not None and element in shape.table:
        return shape_of_kind(shape.kinds.get(element) or shape.table[element].kind)
    if shape.named is not None:
        return _NAMED_SHAPES.get(shape.named)
    return None


def resolve(kind: FileKind, path: tuple[str, ...]) -> Shape | None:
    """The shape at `path` in a file of `kind`."""
    shape: Shape | None = ROOTS[kind]
    for element in path:
        shape = step(shape, element)
    return shape


def key_at(line: str, column: int) -> tuple[str, int, int] | None:
    """The key written on `line` under the cursor, with its columns, if the cursor is on one."""
    parsed = parse_line(line)
    if parsed.key is None:
        return None
    start = parsed.content + (1 if line[parsed.content : parsed.content + 1] in ("'", '"') else 0)
    end = start + len(parsed.key)
    return (parsed.key, start, end) if start <= column <= end else None
