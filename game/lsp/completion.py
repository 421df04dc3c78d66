"""Completion: what may be written at the cursor, from the story's own names and the format's key tables.

The cursor's place (`context.context_at`) and the format's shape there
(`context.resolve`) decide what is offered:

* a key: the keys of that object's table not written yet, each with its
  documentation (`game.engine.format`), or the variables under `set:`/`state:`;
* a scene (`goto:`, `scene:`, `start:`, `visits(`): the scene ids, with titles;
* an ending (`ending:`): the ending ids; an expression (`if:`, a `set:`
  value): variables, the expression language's words and `visits()`;
* prose (`text:`, a choice's text) after `{`: the variables;
* in a playthrough, `choose:`, `offers:` and `not_offers:` offer the texts of
  the choices the story offers at that step (`playthroughs.offered_at`).

Names come from the story's index (every file, open buffers included), so
completion works while the story does not load.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lsprotocol import types

from game.engine.compiler import RESERVED
from game.engine.expressions import KEYWORDS
from game.lsp.context import Context, Shape, context_at, resolve, step
from game.lsp.index import FileKind, NameKind
from game.lsp.positions import LineIndex
from game.lsp.workspace import Index

_PARTIAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_VISITS_OPEN = re.compile(r"visits\s*\(\s*$")
_KINDS: dict[str, types.CompletionItemKind] = {
    "scene": types.CompletionItemKind.Module,
    "variable": types.CompletionItemKind.Variable,
    "ending": types.CompletionItemKind.EnumMember,
}

#: Choice texts offered at a line of a playthrough (given by the server: it needs the story).
OfferedAt = Callable[[int], list[str]]


def complete(
    kind: FileKind, lines: LineIndex, position: types.Position, index: Index, offered: OfferedAt | None = None
) -> list[types.CompletionItem]:
    """Every completion for a cursor at `position` in a file of `kind` whose text `lines` holds."""
    column = lines.column(position)
    line_text = lines.line(position.line)
    text_lines = lines.text.split("\n")
    ctx = context_at(text_lines, position.line, column)
    edit = _Editor(lines, position.line, column, line_text)
    if ctx.key is None:
        return _keys(kind, ctx, index, edit)
    shape = step(resolve(kind, ctx.path), ctx.key)
    if shape is None:
        return []
    return _value(shape, ctx, index, edit, offered, position.line)


class _Editor:
    """Builds the text edit of an item: it replaces what is typed of the word before the cursor."""

    def __init__(self, lines: LineIndex, line: int, column: int, text: str) -> None:
        self.lines, self.line, self.column, self.text = lines, line, column, text

    def item(
        self,
        label: str,
        start: int,
        kind: types.CompletionItemKind,
        detail: str = "",
        documentation: str = "",
        insert: str | None = None,
        sort: str = "",
    ) -> types.CompletionItem:
        return types.CompletionItem(
            label=label,
            kind=kind,
            detail=detail or None,
            documentation=types.MarkupContent(types.MarkupKind.Markdown, documentation) if documentation else None,
            text_edit=types.TextEdit(self.lines.range(self.line, start, self.column), insert or label),
            filter_text=label,
            sort_text=sort or None,
        )

    @property
    def after(self) -> str:
        return self.text[self.column :]


def _keys(kind: FileKind, ctx: Context, index: Index, edit: _Editor) -> list[types.CompletionItem]:
    shape = resolve(kind, ctx.path)
    if shape is None:
        return []
    items = []
    if shape.table is not None:
        for number, (name, key) in enumerate(shape.table.items()):
            if name in ctx.present:
                continue
            what = f"{'required' if key.required else 'optional'} · {key.kind}"
            items.append(
                edit.item(
                    name,
                    ctx.start,
                    types.CompletionItemKind.Property,
                    what,
                    key.doc,
                    insert=f"{name}: ",
                    sort=f"{0 if key.required else 1}{number:03}",
                )
            )
    if shape.named in ("set", "state"):
        items += _names("variable", index, edit, ctx.start, suffix=": ", skip=ctx.present)
    return items


def _value(
    shape: Shape, ctx: Context, index: Index, edit: _Editor, offered: OfferedAt | None, line: int
) -> list[types.CompletionItem]:
    scalar = shape.scalar
    prefix = ctx.prefix
    if scalar in ("scene", "ending"):
        partial = _PARTIAL.search(prefix)
        if prefix and partial is None:
            return []
        start = ctx.start + (partial.start() if partial else 0)
        return _names("scene" if scalar == "scene" else "ending", index, edit, start)
    if scalar == "expression":
        return _expression(prefix, ctx.start, index, edit)
    if scalar in ("prose", "template", "text"):
        return _braces(prefix, ctx.start, index, edit)
    if scalar == "bool":
        return [edit.item(word, ctx.start, types.CompletionItemKind.Keyword) for word in ("true", "false")]
    if scalar in ("choice", "texts") and offered is not None and ctx.key in ("choose", "offers", "not_offers", "-"):
        return [
            edit.item(
                text, ctx.start, types.CompletionItemKind.Text, "a choice offered at this step", insert=_quoted(text)
            )
            for text in offered(line)
        ]
    return []


def _expression(prefix: str, start: int, index: Index, edit: _Editor) -> list[types.CompletionItem]:
    partial = _PARTIAL.search(prefix)
    at = partial.start() if partial else len(prefix)
    if prefix[at - 1 : at].isdigit():
        return []
    if _VISITS_OPEN.search(prefix[:at]):
        close = "" if edit.after.lstrip().startswith(")") else ")"
        return _names("scene", index, edit, start + at, suffix=close)
    items = _names("variable", index, edit, start + at)
    items += [
        edit.item(word, start + at, types.CompletionItemKind.Keyword, "the expression language", sort=f"~{word}")
        for word in sorted(KEYWORDS)
    ]
    items.append(
        edit.item(
            "visits",
            start + at,
            types.CompletionItemKind.Function,
            "visits(scene): how many times the player has entered the scene",
            insert="visits(",
            sort="~visits",
        )
    )
    return items


def _braces(prefix: str, start: int, index: Index, edit: _Editor) -> list[types.CompletionItem]:
    """Variables, when the cursor is between braces of prose."""
    opened = prefix.rfind("{")
    if opened < 0 or prefix.rfind("}") > opened or prefix[opened - 1 : opened] == "{":
        return []
    typed = prefix[opened + 1 :]
    if typed.strip() and not _PARTIAL.fullmatch(typed.strip()):
        return []
    close = "" if edit.after.lstrip().startswith("}") else "}"
    return _names("variable", index, edit, start + opened + 1 + (len(typed) - len(typed.lstrip())), suffix=close)


def _names(
    kind: NameKind, index: Index, edit: _Editor, start: int, suffix: str = "", skip: Iterable[str] = ()
) -> list[types.CompletionItem]:
    skipped = set(skip)
    items = []
    for name in index.names(kind):
        if name in skipped or name in RESERVED:
            continue
        info = index.info(kind, name)
        detail, doc = "", ""
        if info is not None:
            if kind == "scene":
                detail = info.title or ""
                doc = f"*{info.chapter}*" if info.chapter else ""
            elif kind == "variable":
                detail = f"default {info.default}" + (f" · {info.label}" if info.label else "")
            else:
                detail, doc = info.title or "", info.description or ""
        items.append(edit.item(name, start, _KINDS[kind], detail, doc, insert=name + suffix))
    return items


def _quoted(text: str) -> str:
    """A choice text as a YAML value: quoted when YAML would read it otherwise."""
    plain = re.fullmatch(r"[A-Za-z][^:#{}\[\],&*!|>'\"%@`]*", text) and not text.endswith(" ")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
