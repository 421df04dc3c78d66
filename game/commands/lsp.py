"""`million-miles lsp`: the language server for story authors, over standard input and output.

Editors start it and talk to it in the Language Server Protocol: diagnostics
as you type (everything `check` reports), completion, go to definition, find
references, hover, rename, symbols and quick fixes. See docs/editors.md.
pygls is imported here, when the server starts, never by the other commands.
"""

from __future__ import annotations

import argparse
import sys

from game.commands.common import EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lsp",
        help="run the language server for editors (Language Server Protocol on stdin/stdout)",
        description="Run the story language server: editors start it and speak the Language Server Protocol "
        "to it over standard input and output. It checks every story folder the editor opens as the author "
        "types, and completes, navigates and renames scenes, variables and endings. See docs/editors.md.",
    )
    p.add_argument(
        "--stdio",
        action="store_true",
        help="use standard input and output (the default and only transport; accepted because editors pass it)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.lsp.server import serve

    # The protocol's own stream is the real standard output, not the commands' wrapper around it
    # (game.cli); a stray print goes to standard error, so it can never corrupt the protocol.
    real = sys.__stdout__ if sys.__stdout__ is not None else sys.stdout
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, real.buffer)
    return EXIT_OK
