"""The code type-checks: `mypy --strict` on the engine, `game.present` and the language server
(`game.lsp`), mypy's default mode on the rest.

mypy is pinned in pyproject.toml (the [test] extra), so its verdict cannot drift between
machines. Unused `# type: ignore` comments are errors in both runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.skip("mypy is not installed (it comes with the [test] extra)")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--warn-unused-ignores", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_the_engine_and_the_presentation_layer_pass_mypy_strict():
    result = _mypy("--strict", "game/engine", "game/present", "game/lsp")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rest_of_the_game_passes_mypy():
    result = _mypy("game")
    assert result.returncode == 0, result.stdout + result.stderr
