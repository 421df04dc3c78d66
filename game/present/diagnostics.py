"""An author's messages in compiler format, each file named as the author named the story.

`million-miles check` prints them, `play --watch` lists them while an edit is
broken (in the full-screen panel and in the line player), and every command
that cannot load a story prints them before it gives up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from game.engine.errors import Diagnostic, Loc


def display_path(diagnostic: Diagnostic, user_path: Path | None) -> str:
    """The diagnostic's file as the user would type it: the story folder they named + the file."""
    return shown_path(diagnostic.loc, user_path)


def shown_path(loc: Loc, user_path: Path | None) -> str:
    """The file of a place in the story as the user would type it: the story folder they named + the file."""
    root = str(user_path).rstrip("/") if user_path is not None else ""
    if not root or root == "." or (loc.line <= 0 and loc.path == root):
        return loc.path
    return f"{root}/{loc.path}"


def place(loc: Loc, user_path: Path | None) -> str:
    """`file:line:col` of a place in the story (just the file for a place without a line), the file as
    `shown_path` gives it."""
    where = shown_path(loc, user_path)
    return f"{where}:{loc.line}:{loc.col}" if loc.line > 0 else where


def located(diagnostic: Diagnostic, user_path: Path | None) -> str:
    """The diagnostic in compiler format, its path relative to where the user stands."""
    return f"{place(diagnostic.loc, user_path)}: {diagnostic.severity}: {diagnostic.message}"


def print_diagnostics(diagnostics: Iterable[Diagnostic], user_path: Path | None) -> int:
    """Print each diagnostic, located, on standard error; return how many are errors."""
    errors = 0
    for diagnostic in diagnostics:
        print(located(diagnostic, user_path), file=sys.stderr)
        errors += diagnostic.severity == "error"
    return errors
