"""The `million-miles` command: parses arguments and hands over to one command module.

Each command lives in its own module under `game/commands/` (`register(sub)`
adds its parser, `run(args)` does the work); to add a command, write a module
there and list it in `COMMANDS`. Heavy imports (Textual above all) happen
inside the command that needs them, so `check`, `--help` and `--version`
never load the TUI.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, TextIO

from game import __version__

if TYPE_CHECKING:
    import argparse

#: Command modules under game/commands/, in the order `--help` lists them.
COMMANDS = ["play", "check", "test", "explore", "new", "graph", "schema"]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` the one command about to run: its options,
    help and errors are the same, and the other commands' modules are not imported."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="million-miles",
        description="A Million Miles Away: a text adventure, and the story engine under it. "
        "Run with no command to play the bundled story.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in [only] if only is not None else COMMANDS:
        importlib.import_module(f"game.commands.{name}").register(sub)
    return parser


class TerminalSafe:
    """A text stream that shows control characters as escapes instead of sending them.

    Story titles, choice texts and file names come from strangers; printed raw by
    `check`, `explore`, `graph` or `test`, an escape sequence in them would drive
    the author's terminal. Line breaks and tabs pass through.
    """

    _TABLE = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F) if c not in (0x09, 0x0A)} | {
        c: f"\\u{c:04x}" for c in (*range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F))
    }

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text.translate(self._TABLE))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


_PLAY_FLAGS = {"--plain": "plain", "--watch": "watch", "--title": "title"}


def player_args(argv: list[str]) -> SimpleNamespace | None:
    """`play [PATH] [--plain] [--watch] [--title] [--save-dir DIR]`, read without argparse.

    This is how players start the game, and importing argparse and building the
    parser is some 7 ms of every start. Anything else (help, a typo, an abbreviated
    option, a missing value) returns None, and argparse reads the line and answers
    as always; tests/test_cli.py checks that both read these lines alike.
    """
    if not argv or argv[0] != "play":
        return None
    values: dict[str, object] = {"path": None, "plain": False, "save_dir": None, "watch": False, "title": False}
    tokens = iter(argv[1:])
    for token in tokens:
        if token in _PLAY_FLAGS:
            values[_PLAY_FLAGS[token]] = True
        elif token == "--save-dir":
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
            values["save_dir"] = Path(value)
        elif token.startswith("-") or values["path"] is not None:
            return None
        else:
            values["path"] = Path(token)
    from game.commands.play import run

    return SimpleNamespace(**values, handler=run)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "play")  # `million-miles` and `million-miles PATH` play
    args = player_args(argv) or build_parser(only=argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    if argv[0] != "play":  # the player draws the screen itself; every other command prints story text
        sys.stdout, sys.stderr = TerminalSafe(sys.stdout), TerminalSafe(sys.stderr)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `million-miles graph | head` is not an error
        return 0
    except Exception as exc:  # a bug of ours: say so in one line, keep the traceback for who asks
        if os.environ.get("MILLION_MILES_DEBUG"):
            raise
        print(
            f"million-miles: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in million-miles, not in your story. Run again with MILLION_MILES_DEBUG=1 "
            "to see the traceback, and please report it.",
            file=sys.stderr,
        )
        return 70  # EX_SOFTWARE
