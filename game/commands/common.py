"""Helpers every command shares: the story argument, exit codes, printing diagnostics."""

from __future__ import annotations

import argparse
from pathlib import Path

from game.engine.errors import Diagnostic

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


def located(diagnostic: Diagnostic, user_path: Path | None) -> str:
    """The diagnostic with its path as the user would type it (story folder + file)."""
    if user_path is None:
        return str(diagnostic)
    root = str(user_path).rstrip("/")
    if diagnostic.loc.line <= 0 and diagnostic.loc.path == root:
        return str(diagnostic)
    return f"{root}/{diagnostic}" if root not in (".", "") else str(diagnostic)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
