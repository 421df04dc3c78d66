"""The codebase stays ruff-clean and ruff-formatted: style is checked by the same command that runs the tests.

ruff is pinned in pyproject.toml, so the formatter's output cannot drift between machines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        import ruff  # noqa: F401
    except ImportError:
        pytest.skip("ruff is not installed (it comes with the [test] extra)")
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_reports_nothing():
    result = _ruff("check", "--quiet", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_would_change_nothing():
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
