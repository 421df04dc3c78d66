"""`million-miles lsp` is a command like the others, and pygls loads only when the server starts."""

from __future__ import annotations

import subprocess
import sys


def test_the_command_is_listed_and_explains_itself():
    done = subprocess.run([sys.executable, "-m", "game", "lsp", "--help"], capture_output=True, text=True, check=True)
    assert "Language Server Protocol" in " ".join(done.stdout.split()) and "--stdio" in done.stdout
    listed = subprocess.run([sys.executable, "-m", "game", "--help"], capture_output=True, text=True, check=True)
    assert "lsp" in listed.stdout


def test_no_other_command_imports_pygls():
    probe = (
        "import sys\n"
        "from game.cli import build_parser\n"
        "build_parser()\n"  # every command's parser, the language server's included
        "import game.commands.check\n"
        "assert not [m for m in sys.modules if m.startswith(('pygls', 'lsprotocol'))], 'pygls imported'\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
