"""The editor set-ups stay true: the VS Code extension starts this server, and the server's own
diagnostic codes (beyond `check`'s, which docs/authoring.md lists) are documented for authors."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VSCODE = REPO / "editors" / "vscode"


def test_the_vscode_extension_starts_million_miles_lsp_for_yaml_files():
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    assert manifest["contributes"]["configuration"]["properties"]["millionMiles.server"]["default"] == [
        "million-miles",
        "lsp",
    ]
    assert "onLanguage:yaml" in manifest["activationEvents"] and manifest["main"] == "./extension.js"
    source = (VSCODE / "extension.js").read_text(encoding="utf-8")
    assert 'language: "yaml"' in source and '["million-miles", "lsp"]' in source


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_vscode_extension_is_valid_javascript():
    subprocess.run(["node", "--check", str(VSCODE / "extension.js")], check=True)


def test_the_servers_own_codes_are_documented():
    codes = set()
    for path in (REPO / "game" / "lsp").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Diagnostic" and len(node.args) >= 4:
                code = node.args[3]
                if isinstance(code, ast.Constant):
                    codes.add(code.value)
    assert codes == {"step", "story"}
    guide = (REPO / "docs" / "editors.md").read_text(encoding="utf-8")
    assert all(f"code `{code}`" in guide or f"code `{code}`" in guide.replace("warning code", "code") for code in codes)
