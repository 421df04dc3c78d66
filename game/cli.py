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
from typing import TYPE_CHECKING

from game import __version__

if TYPE_CHECKING:
    import argparse

#: Command modules under game/commands/, in the order `--help` lists them.
COMMANDS = ["play", "serve", "check", "test", "explore", "new", "graph", "schema", "lsp"]


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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "play")  # `million-miles` and `million-miles PATH` play
    args = build_parser(only=argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    if argv[0] != "play":  # the player draws the screen itself; every other command prints story text
        from game.present.terminal import VisibleControls

        sys.stdout, sys.stderr = VisibleControls(sys.stdout), VisibleControls(sys.stderr)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `million-miles graph | head` is not an error
        return 0
    except Exception as exc:  # a bug of ours: say so in one line, keep the traceback for who asks
        if os.environ.get("MILLION_MILES_DEBUG"):
            raise
        return report_bug(exc)


def report_bug(exc: BaseException) -> int:
    """A bug of ours, said in one line (the traceback only under MILLION_MILES_DEBUG=1); the exit status."""
    print(
        f"million-miles: internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in million-miles, not in your story. Run again with MILLION_MILES_DEBUG=1 "
        "to see the traceback, and please report it.",
        file=sys.stderr,
    )
    return 70  # EX_SOFTWARE
