"""Go to definition, find references and hover: the name under the cursor, looked up in the story's index.

A name is a scene id, a variable, an ending or a snippet, wherever it is
written: its definition (a key of `scenes:`, `variables:`, `endings:`,
`snippets:`), a `goto`, a branch, `call:`/`then:`, `start`, `ending:`,
`visits(...)`, an expression (in `if`, `set`, effects, or between braces in
prose: `{if n > 2: …}`), `{>snippet}`, a `set:` key, an input's `variable:`, a
playthrough's `scene:`/`ending:`/`state:`. Hover on a function of the
expression language (`count(`, `roll(`…) shows what it does, and on a key of
the format its documentation from the format's key table.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lsprotocol import types

from game.engine import format as fmt
from game.engine.expressions import FUNCTION_DOCS, literal, type_name
from game.engine.model import Story
from game.lsp.context import context_at, key_at, parse_line, resolve
from game.lsp.index import FileIndex, Occurrence
from game.lsp.positions import LineIndex
from game.lsp.workspace import Index

#: A location's range from an occurrence (the server reads the file's text to count its units).
Locate = Callable[[Occurrence], types.Location | None]

#: How many lines of a scene's text its hover shows, and how much of each (a folded paragraph is one line).
OPENING_LINES = 3
LINE_LIMIT = 200
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def definition(
    found: FileIndex, lines: LineIndex, position: types.Position, index: Index, locate: Locate
) -> list[types.Location]:
    occurrence = found.at(position.line, lines.column(position))
    if occurrence is None:
        return []
    return [loc for o in index.definitions(occurrence.kind, occurrence.name) if (loc := locate(o)) is not None]


def references(
    found: FileIndex, lines: LineIndex, position: types.Position, index: Index, locate: Locate, declaration: bool
) -> list[types.Location]:
    occurrence = found.at(position.line, lines.column(position))
    if occurrence is None:
        return []
    return [
        loc
        for o in index.occurrences(occurrence.kind, occurrence.name)
        if (declaration or not o.definition) and (loc := locate(o)) is not None
    ]


def hover(
    found: FileIndex, lines: LineIndex, position: types.Position, index: Index, story: Story | None
) -> types.Hover | None:
    column = lines.column(position)
    occurrence = found.at(position.line, column)
    if occurrence is not None:
        text = describe(occurrence, index, story)
        if text:
            return types.Hover(
                types.MarkupContent(types.MarkupKind.Markdown, text),
                lines.range(occurrence.line, occurrence.start, occurrence.end),
            )
    return _function_hover(lines, position.line, column) or _key_hover(found, lines, position.line, column, index)


def _function_hover(lines: LineIndex, line: int, column: int) -> types.Hover | None:
    """What a function of the expression language does, on its name written before its '('."""
    text = lines.line(line)
    for word in _WORD.finditer(text):
        called = text[word.end() :].lstrip().startswith("(")
        if word.start() <= column <= word.end() and word.group() in FUNCTION_DOCS and called:
            doc = f"**{word.group()}()** — {FUNCTION_DOCS[word.group()]}"
            return types.Hover(
                types.MarkupContent(types.MarkupKind.Markdown, doc), lines.range(line, word.start(), word.end())
            )
    return None


def describe(occurrence: Occurrence, index: Index, story: Story | None) -> str:
    """What hover says about a name: a scene's title and opening lines, a variable's default,
    label and range, an ending's title (and what it is when it is not defined)."""
    kind, name = occurrence.kind, occurrence.name
    info = index.info(kind, name)
    if info is None:
        return f"**{kind}** `{name}`: not defined in this story"
    if kind == "scene":
        head = f"**scene** `{name}`" + (f" — {info.title}" if info.title else "")
        parts = [head]
        if info.chapter:
            parts.append(f"*{info.chapter}*")
        if info.text:
            opening = [_short(line.strip()) for line in info.text.strip().splitlines()[:OPENING_LINES]]
            parts.append("\n".join(f"> {line}" for line in opening))
        return "\n\n".join(parts)
    if kind == "snippet":
        opening = [_short(line.strip()) for line in (info.text or "").strip().splitlines()[:OPENING_LINES]]
        return f"**snippet** `{name}`" + ("\n\n" + "\n".join(f"> {line}" for line in opening) if opening else "")
    if kind == "variable":
        variable = story.variables.get(name) if story is not None else None
        if variable is not None:
            facts = [f"{type_name(variable.type)}, default `{literal(variable.default)}`"]
            if variable.label:
                facts.append(f"shown as **{variable.label}**")
            if variable.min is not None or variable.max is not None:
                low = "…" if variable.min is None else variable.min
                high = "…" if variable.max is None else variable.max
                facts.append(f"range {low} to {high}")
        else:
            facts = [f"default `{info.default}`"]
            if info.label:
                facts.append(f"shown as **{info.label}**")
            if info.min is not None or info.max is not None:
                facts.append(f"range {info.min or '…'} to {info.max or '…'}")
        return f"**variable** `{name}`: " + "; ".join(facts)
    head = f"**ending** `{name}`" + (f" — {info.title}" if info.title else "")
    return head + (f"\n\n{info.description}" if info.description else "")


def _key_hover(found: FileIndex, lines: LineIndex, line: int, column: int, index: Index) -> types.Hover | None:
    text = lines.line(line)
    key = key_at(text, column)
    if key is None:
        return None
    name, start, end = key
    parsed = parse_line(text)
    ctx = context_at(lines.text.split("\n"), line, parsed.content)
    shape = resolve(found.kind, ctx.path)
    if shape is None or shape.table is None or name not in shape.table:
        return None
    spec = shape.table[name]
    need = "required" if spec.required else "optional"
    for exits in (fmt.SCENE_EXITS, fmt.CHOICE_EXITS):
        if name in exits and set(exits) <= set(shape.table):  # one of the ways out is required
            others = [f"'{e}'" for e in exits if e != name and shape.table[e].since <= index.format]
            need = f"required, or {' or '.join(others)} instead" if others else "required"
    new = f"; new in format {spec.since}" if spec.since > 1 else ""
    doc = f"**{name}** ({need}, {spec.kind}{new})\n\n{spec.doc}"
    if spec.since > index.format and found.kind != "playthrough":
        doc += (
            f"\n\nThis story is written in format {index.format}: add 'format: {spec.since}' to story.yaml to use it."
        )
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, doc), lines.range(line, start, end))


def _short(line: str) -> str:
    return line if len(line) <= LINE_LIMIT else line[: LINE_LIMIT - 1] + "…"
