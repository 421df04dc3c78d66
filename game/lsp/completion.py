"""Completion: what may be written at the cursor, from the story's own names and the format's key tables.

The cursor's place (`context.context_at`) and the format's shape there
(`context.resolve`) decide what is offered:

* a key: the keys of that object's table not written yet, each with its
  documentation (`game.engine.format`), or the variables under `set:`/`state:`;
* a scene (`goto:`, `scene:`, `start:`, `call:`, `then:`, `visits(`): the scene
  ids, with titles;
* an ending (`ending:`): the ending ids; an expression (`if:`, a `set:`
  value): variables, the expression language's words and functions (format 2's
  `count()`, and `random()`/`roll()` only where chance may be drawn: a `set:`
  value, the `if` of a goto branch or of an effect);
* a variable (`input`'s `variable:`): the variables;
* prose (`text:`, a choice's text, a title, a snippet) after `{`: the
  variables; after `{>`: story.yaml's snippets; in format 2, inside
  `{if …}` or any `{expression}`, what an expression takes;
* `format:`: the versions this engine reads;
* in a playthrough, `choose:`, `offers:` and `not_offers:` offer the texts of
  the choices the story offers at that step (`playthroughs.offered_at`).

Keys a story's format does not have yet (a format-2 key in a story that declares
no `format: 2`) are not offered. Names come from the story's index (every file,
open buffers included), so completion works while the story does not load.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lsprotocol import types

from game.engine import format as fmt
from game.engine.compiler import RESERVED
from game.engine.expressions import CHANCE, FUNCTION_DOCS, KEYWORDS, KEYWORDS_2
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
    "snippet": types.CompletionItemKind.Constant,
}
_CONDITION = re.compile(r"(?:if|elif)\s")
_ARM = re.compile(r"(?:seq|cycle|once|shuffle|else)\s*:")

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
    version = index.format
    if shape.table is not None:
        # A scene or a choice leaves one way: once it has its way out, the others are not offered.
        exits = next((e for e in (fmt.SCENE_EXITS, fmt.CHOICE_EXITS) if set(e) <= set(shape.table)), ())
        taken = set(exits) & ctx.present
        for number, (name, key) in enumerate(shape.table.items()):
            if name in ctx.present or key.since > version or (taken and name in exits):
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
    if scalar in ("scene", "ending", "variable"):
        partial = _PARTIAL.search(prefix)
        if prefix and partial is None:
            return []
        start = ctx.start + (partial.start() if partial else 0)
        kind: NameKind = "scene" if scalar == "scene" else "ending" if scalar == "ending" else "variable"
        return _names(kind, index, edit, start)
    if scalar in ("expression", "chance"):
        return _expression(prefix, ctx.start, index, edit, chance=scalar == "chance")
    if scalar in ("prose", "template", "text"):
        return _braces(prefix, ctx.start, index, edit)
    if scalar == "bool":
        return [edit.item(word, ctx.start, types.CompletionItemKind.Keyword) for word in ("true", "false")]
    if scalar == "format":
        return [
            edit.item(str(version), ctx.start, types.CompletionItemKind.Value, "a version of the story format")
            for version in range(fmt.FORMAT_VERSION, 0, -1)
        ]
    if scalar in ("choice", "texts") and offered is not None and ctx.key in ("choose", "offers", "not_offers", "-"):
        return [
            edit.item(
                text, ctx.start, types.CompletionItemKind.Text, "a choice offered at this step", insert=_quoted(text)
            )
            for text in offered(line)
        ]
    return []


def _expression(
    prefix: str, start: int, index: Index, edit: _Editor, chance: bool = False
) -> list[types.CompletionItem]:
    """Variables, words and functions for an expression typed so far as `prefix` (from column `start`);
    `chance`: random() and roll() may be drawn here."""
    partial = _PARTIAL.search(prefix)
    at = partial.start() if partial else len(prefix)
    if prefix[at - 1 : at].isdigit():
        return []
    if _VISITS_OPEN.search(prefix[:at]):
        close = "" if edit.after.lstrip().startswith(")") else ")"
        return _names("scene", index, edit, start + at, suffix=close)
    version = index.format
    items = _names("variable", index, edit, start + at)
    items += [
        edit.item(word, start + at, types.CompletionItemKind.Keyword, "the expression language", sort=f"~{word}")
        for word in sorted(KEYWORDS if version < 2 else KEYWORDS_2)
    ]
    functions = ["visits"] if version < 2 else [f for f in FUNCTION_DOCS if chance or f not in CHANCE]
    items += [
        edit.item(
            name,
            start + at,
            types.CompletionItemKind.Function,
            FUNCTION_DOCS[name],
            insert=f"{name}(",
            sort=f"~{name}",
        )
        for name in functions
    ]
    return items


def _braces(prefix: str, start: int, index: Index, edit: _Editor) -> list[types.CompletionItem]:
    """What may be written between the braces of prose the cursor is in: a variable (`{cou`), a
    snippet (`{>`), and in format 2 an expression or the condition of an `{if …}`."""
    opened = _open_brace(prefix)
    if opened < 0:
        return []
    typed = prefix[opened + 1 :]
    stripped = typed.lstrip()
    at = start + opened + 1 + len(typed) - len(stripped)  # the column of what is typed in the braces
    close = "" if edit.after.lstrip().startswith("}") else "}"
    if stripped.startswith(">"):
        name = stripped[1:].lstrip()
        if name and not _PARTIAL.fullmatch(name):
            return []
        return _names("snippet", index, edit, at + len(stripped) - len(name), suffix=close)
    if not stripped or _PARTIAL.fullmatch(stripped):
        return _names("variable", index, edit, at, suffix=close)
    if index.format < 2 or _ARM.match(stripped):
        return []
    condition = _CONDITION.match(stripped)
    begin = condition.end() if condition else 0
    expression = stripped[begin:]
    if ":" in expression or "|" in expression:  # past the condition: the arm's text is prose
        return []
    return _expression(expression, at + begin, index, edit)


def _open_brace(prefix: str) -> int:
    """Where the innermost brace still open at the end of `prefix` opens (-1: none; `{{` is a literal)."""
    stack: list[int] = []
    i = 0
    while i < len(prefix):
        pair = prefix[i : i + 2]
        if not stack and pair in ("{{", "}}"):
            i += 2
            continue
        if prefix[i] == "{":
            stack.append(i)
        elif prefix[i] == "}" and stack:
            stack.pop()
        i += 1
    return stack[-1] if stack else -1


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
            elif kind == "snippet":
                detail, doc = "a snippet of story.yaml", info.text or ""
            else:
                detail, doc = info.title or "", info.description or ""
        items.append(edit.item(name, start, _KINDS[kind], detail, doc, insert=name + suffix))
    return items


def _quoted(text: str) -> str:
    """A choice text as a YAML value: quoted when YAML would read it otherwise."""
    plain = re.fullmatch(r"[A-Za-z][^:#{}\[\],&*!|>'\"%@`]*", text) and not text.endswith(" ")
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
