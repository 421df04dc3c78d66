"""The `million-miles` command: thin wiring from arguments to the engine and the faces.

Heavy imports (Textual above all) happen inside the command that needs them,
so `check`, `--help` and `--version` start fast and never load the TUI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from game import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _story_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        metavar="PATH",
        help="story folder (default: the bundled story, A Million Miles Away)",
    )


def _resolve_story(path: Path | None) -> Path:
    from game.bundled import bundled_story_path

    return path if path is not None else bundled_story_path()


def _display_root(path: Path | None, root: Path) -> str:
    return str(path) if path is not None else "scenes"


# --------------------------------------------------------------------------- play


def _add_play(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        help="play a story in the terminal (the default command)",
        description="Play a story in a full-screen terminal interface.",
    )
    _story_arg(p)
    p.set_defaults(handler=_cmd_play)


def _cmd_play(args: argparse.Namespace) -> int:
    from game.engine.errors import StoryError
    from game.engine.loader import load_story

    root = _resolve_story(args.path)
    try:
        story = load_story(root)
    except StoryError as exc:
        for diagnostic in exc.diagnostics:
            print(_prefixed(diagnostic, args.path), file=sys.stderr)
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        print(f"{_plural(errors, 'error')}: the story cannot be played until they are fixed", file=sys.stderr)
        return EXIT_USAGE
    from game.tui.app import MillionMilesApp

    MillionMilesApp(story).run()
    return EXIT_OK


# --------------------------------------------------------------------------- check


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="load and validate a story, reporting every mistake",
        description="Load and validate a story folder. Prints every problem as "
        "PATH:LINE:COL: SEVERITY: MESSAGE. Exit status: 0 clean, 1 errors found, 2 usage error.",
    )
    _story_arg(p)
    p.set_defaults(handler=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    from game.engine.loader import load_story_with_diagnostics

    root = _resolve_story(args.path)
    story, diagnostics = load_story_with_diagnostics(root)
    for diagnostic in diagnostics:
        print(_prefixed(diagnostic, args.path))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if story is None:
        print(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}")
        return EXIT_FAILED
    print(
        f"{story.title}: {_plural(len(story.scenes), 'scene')}, {_plural(len(story.endings), 'ending')}; "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    )
    return EXIT_OK


# --------------------------------------------------------------------------- helpers


def _prefixed(diagnostic, user_path: Path | None) -> str:  # noqa: ANN001 - Diagnostic
    """Paths in messages are relative to the story folder, as the user named it."""
    if user_path is None or diagnostic.loc.line <= 0 and diagnostic.loc.path == str(user_path):
        return str(diagnostic)
    root = str(user_path).rstrip("/")
    return f"{root}/{diagnostic}" if root not in (".", "") else str(diagnostic)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="million-miles",
        description="A Million Miles Away: a text adventure, and the story engine under it. "
        "Run with no command to play the bundled story.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_play, _add_check]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv or (argv[0] not in _command_names(parser) and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "play")
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()
