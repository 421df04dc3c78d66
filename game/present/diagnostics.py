"""An author's messages in compiler format, each file named as the author named the story.

`million-miles check` prints them, `play --watch` lists them while an edit is
broken (in the full-screen panel and in the line player), and every command
that cannot load a story prints them before it gives up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from game.engine.errors import Diagnostic


def display_path(diagnostic: Diagnostic, user_path: Path | None) -> str:
    """The diagnostic's file as the user would type it: the story folder they named + the file."""
    root = str(user_path).rstrip("/") if user_path is not None else ""
    if not root or root == "." or (diagnostic.loc.line <= 0 and diagnostic.loc.path == root):
        return diagnostic.loc.path
    return f"{root}/{diagnostic.loc.path}"


def located(diagnostic: Diagnostic, user_path: Path | None) -> str:
    """The diagnostic in compiler format, its path relative to where the user stands."""
    loc = diagnostic.loc
    where = display_path(diagnostic, user_path)
    if loc.line > 0:
        where += f":{loc.line}:{loc.col}"
    return f"{where}: {diagnostic.severity}: {diagnostic.message}"


def print_diagnostics(diagnostics: Iterable[Diagnostic], user_path: Path | None) -> int:
    """Print each diagnostic, located, on standard error; return how many are errors."""
    errors = 0
    for diagnostic in diagnostics:
        print(located(diagnostic, user_path), file=sys.stderr)
        errors += diagnostic.severity == "error"
    return errors
