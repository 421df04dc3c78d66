"""docs/reliability.md names real tests: a renamed or deleted test fails here, not silently there."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)?)(?:::(\w+))?`")


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def references() -> list[tuple[int, str, str | None]]:
    """(line, file, test or None) for every test the page names; `::name` continues the last file."""
    found: list[tuple[int, str, str | None]] = []
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), 1):
        current = ""
        for match in REFERENCE.finditer(line):
            file, test = match.group(1), match.group(2)
            if not file and not test:
                continue
            current = file or current
            assert current, f"reliability.md:{number}: '::{test}' with no file before it"
            found.append((number, current, test))
    return found


def test_every_test_the_page_names_exists():
    refs = references()
    assert len(refs) > 50  # the scan works
    missing = []
    for number, file, test in refs:
        path = ROOT / file
        if not path.is_file():
            missing.append(f"line {number}: {file}")
        elif test is not None and test not in functions_in(path):
            missing.append(f"line {number}: {file}::{test}")
    assert missing == []


def test_every_hardening_test_is_on_the_page():
    """A new test here proves some promise: say which on the page."""
    named = {(file, test) for _, file, test in references()}
    for path in sorted((ROOT / "tests" / "hardening").glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        file = path.relative_to(ROOT).as_posix()
        for test in sorted(t for t in functions_in(path) if t.startswith("test_")):
            assert (file, test) in named, f"{file}::{test} is not in docs/reliability.md"
