"""docs/testing.md tells the truth: its example playthrough passes, and fails as the doc shows."""

from __future__ import annotations

import os
import re
from pathlib import Path

from game.testing import run_file

DOC = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def _example(tmp_path: Path) -> Path:
    text = DOC.read_text(encoding="utf-8")
    for body in re.findall(r"^```yaml\n(# file: (\S+)\n.*?)^```", text, re.S | re.M):
        path = tmp_path / body[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body[0], encoding="utf-8")
    return tmp_path / "playthroughs" / "sail.playthrough.yaml"


def test_the_documented_playthrough_passes(tmp_path: Path):
    result = run_file(_example(tmp_path))
    assert result.passed, result.message
    assert result.name == "Selling the hat pays the ferry"


def test_the_documented_failure_is_what_the_runner_prints(tmp_path: Path, monkeypatch):
    path = _example(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("coins: 2}", "coins: 3}"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    shown = re.search(r"^```text\n(playthroughs/sail.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
    assert shown is not None
    assert run_file(Path(os.path.join("playthroughs", "sail.playthrough.yaml"))).message + "\n" == shown.group(1)


def test_the_documented_python_examples_run(tmp_path: Path):
    _example(tmp_path)
    code = re.search(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.S | re.M)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(code.group(1).replace('"stories/harbour"', repr(str(tmp_path))), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_")]
    assert len(tests) == 3
    for test in tests:
        test()  # type: ignore[operator]
