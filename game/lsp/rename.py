"""Rename a scene id, a variable, an ending or a snippet in every file of the story, as one workspace edit.

Every occurrence the index knows is renamed: the definition, every `goto`,
branch, `call`/`then`, `start`, `ending:`, `visits()`, expression (in effects
and between braces in prose too), `{>snippet}`, `set:` key and input
`variable:`, and the playthroughs that play the story (`scene:`, `ending:`,
`state:`). A new name is refused when the story could not take it (so the
edit leaves the story as clean under `check` as it was): it must be a name of
letters, digits and '_' not starting with a digit, a word YAML reads as text
(`yes`, `null` are not), not a word of the expression language for a
variable, and not a name of the same kind that exists already.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import yaml
from lsprotocol import types

from game.engine.compiler import RESERVED
from game.lsp.index import FileIndex, Occurrence
from game.lsp.positions import LineIndex
from game.lsp.workspace import Index

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

#: The edits of one file from its occurrences (the server knows each file's URI and text).
EditsFor = Callable[[str, list[Occurrence], str], tuple[str, list[types.TextEdit]] | None]


class RenameError(Exception):
    """The new name cannot be used; the message says why (shown by the editor)."""


def prepare(
    found: FileIndex, lines: LineIndex, position: types.Position, index: Index
) -> types.PrepareRenamePlaceholder | None:
    """The name under the cursor and its range, if it is one that can be renamed (it is defined)."""
    occurrence = found.at(position.line, lines.column(position))
    if occurrence is None or not index.definitions(occurrence.kind, occurrence.name):
        return None
    return types.PrepareRenamePlaceholder(
        range=lines.range(occurrence.line, occurrence.start, occurrence.end), placeholder=occurrence.name
    )


def check_name(occurrence: Occurrence, new: str, index: Index) -> None:
    """Raise `RenameError` when `new` cannot replace `occurrence`'s name."""
    if not _NAME.match(new):
        raise RenameError(f"'{new}' is not a name: use letters, digits and '_', not starting with a digit")
    if not isinstance(yaml.safe_load(new), str):
        raise RenameError(f"'{new}' would be read by YAML as {yaml.safe_load(new)!r}, not as a name")
    if occurrence.kind == "variable" and new in RESERVED:
        raise RenameError(f"'{new}' is a word of the expression language and cannot name a variable")
    if new != occurrence.name and index.definitions(occurrence.kind, new):
        raise RenameError(f"this story already has a {occurrence.kind} named '{new}'")


def rename(
    found: FileIndex, lines: LineIndex, position: types.Position, new: str, index: Index, edits_for: EditsFor
) -> types.WorkspaceEdit | None:
    occurrence = found.at(position.line, lines.column(position))
    if occurrence is None:
        return None
    if not index.definitions(occurrence.kind, occurrence.name):
        raise RenameError(f"{occurrence.kind} '{occurrence.name}' is not defined in this story: nothing to rename")
    check_name(occurrence, new, index)
    by_file: dict[str, list[Occurrence]] = {}
    for other in index.occurrences(occurrence.kind, occurrence.name):
        by_file.setdefault(other.path, []).append(other)
    changes: dict[str, list[types.TextEdit]] = {}
    for path, occurrences in by_file.items():
        made = edits_for(path, occurrences, new)
        if made is not None:
            uri, edits = made
            changes[uri] = edits
    return types.WorkspaceEdit(changes=changes)
