"""Helpers every command shares: the story argument, exit codes, printing diagnostics."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.engine.model import Story
from game.present.diagnostics import print_diagnostics
from game.present.words import plural

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


def load_or_report(user_path: Path | None, command: str) -> Story | None:
    """Load the story the user named; on errors print them (stderr) with what to do, and return None."""
    from game.engine.loader import load_story_with_diagnostics

    story, diagnostics = load_story_with_diagnostics(resolve_story(user_path))
    if story is None:
        errors = print_diagnostics(diagnostics, user_path)
        print(f"million-miles {command}: the story has {plural(errors, 'error')}; fix them first", file=sys.stderr)
    return story
