"""End to end in a real editor: headless Neovim, set up exactly as docs/editors.md says, opens a
broken story file, starts `million-miles lsp` and reads back the diagnostics, underlined where
they belong (Neovim counts bytes; the server sends UTF-16 code units: a line with an accent and
an emoji proves the conversion).

Neovim comes from Debian's package (.ci/run installs it); the test is skipped only where it
cannot be installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lsp.conftest import SCENES

SCRIPT = Path(__file__).with_name("neovim.lua")
REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "editors.md"


def documented_setup() -> str:
    """The Lua block under `<!-- neovim-config -->` in docs/editors.md."""
    found = re.search(r"<!-- neovim-config -->\n```lua\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert found, "docs/editors.md has no Neovim set-up block"
    return found.group(1)


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (.ci/run installs Debian's neovim)")
def test_neovim_shows_the_servers_diagnostics_where_they_belong(story, tmp_path):
    broken = SCENES.replace("{courage}", "{courag}")
    (story / "chapter1.yaml").write_text(broken, encoding="utf-8")
    out = tmp_path / "diagnostics.txt"
    init = tmp_path / "init.lua"
    init.write_text(documented_setup(), encoding="utf-8")
    env = {
        **os.environ,
        # The set-up runs `million-miles lsp`: this environment's, as an author's PATH would find it.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "MM_FILE": str(story / "chapter1.yaml"),
        "MM_OUT": str(out),
        "MM_WAIT_MS": "30000",
    }
    subprocess.run(
        ["nvim", "--headless", "-u", str(init), "-i", "NONE", "-n", "-c", f"luafile {SCRIPT}"],
        cwd=REPO,
        env=env,
        timeout=60,
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and not lines[0].startswith("TIMEOUT"), f"Neovim received no diagnostics in 30 s: {lines}"
    [found] = lines
    line, col, end_line, end_col, message = found.split(":", 4)
    assert message == "unknown variable 'courag' in text (did you mean 'courage'?)"
    text = broken.splitlines()[int(line)]
    start = len(text[: text.index("courag}")].encode("utf-8"))  # Neovim's columns are bytes
    assert (int(col), int(end_line), int(end_col)) == (start, int(line), start + len("courag"))
