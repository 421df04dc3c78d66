"""Helpers every command shares: the story argument, exit codes, printing diagnostics."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine.errors import Diagnostic
from game.engine.model import Story

if TYPE_CHECKING:
    import argparse  # not imported to play: `million-miles` reads a player's command line without it (cli.py)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_story_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        metavar="PATH",
        help="story folder (default: the bundled story, A Million Miles Away)",
    )


def resolve_story(path: Path | None) -> Path:
    """The folder the user named, or the bundled story."""
    from game.bundled import bundled_story_path

    return path if path is not None else bundled_story_path()


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


def load_or_report(user_path: Path | None, command: str) -> Story | None:
    """Load the story the user named; on errors print them (stderr) with what to do, and return None."""
    from game.engine.loader import load_story_with_diagnostics

    story, diagnostics = load_story_with_diagnostics(resolve_story(user_path))
    if story is None:
        errors = print_diagnostics(diagnostics, user_path)
        print(f"million-miles {command}: the story has {plural(errors, 'error')}; fix them first", file=sys.stderr)
    return story


def print_diagnostics(diagnostics: Iterable[Diagnostic], user_path: Path | None) -> int:
    """Print each diagnostic, located, on standard error; return how many are errors."""
    errors = 0
    for diagnostic in diagnostics:
        print(located(diagnostic, user_path), file=sys.stderr)
        errors += diagnostic.severity == "error"
    return errors


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
