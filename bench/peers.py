"""The ink runtimes the engine is measured against, run as separate processes.

inkjs (node) compiles the synthetic story's ink source to JSON; bink (Python
bindings over the Rust ink runtime) loads that JSON and plays it, with the
peers' own scripts in `../shared/peers`. Either may be missing: the bench then
says so and shows our absolute figures only.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

INSTALL_HINT = (
    "to compare with the ink runtimes: npm install --prefix {peers} inkjs@2.4.0 && "
    "{python} -m pip install bink   (bink is not a dependency of the game)"
)


def find_inkjs(candidates: list[Path]) -> Path | None:
    """The first folder holding node_modules/inkjs, when node is installed."""
    if shutil.which("node") is None:
        return None
    for folder in candidates:
        if (folder / "node_modules" / "inkjs").is_dir():
            return folder
    return None


def bink_available() -> bool:
    return importlib.util.find_spec("bink") is not None


def _numbers(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}


def compile_ink(peers: Path, inkjs_dir: Path, ink_file: Path, json_file: Path, plays: int) -> dict[str, float]:
    """Compile with inkjs (and play `plays` playthroughs with it); write the JSON."""
    out = subprocess.run(
        ["node", str(peers / "inkjs_bench.js"), str(ink_file), str(plays), str(json_file)],
        cwd=inkjs_dir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return _numbers(out)


def whole_process_ms(args: list[str], cwd: Path | None = None) -> float:
    """Wall-clock time of one whole process, start to exit, its output thrown away."""
    import time

    t0 = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return 1000 * (time.perf_counter() - t0)


def run_bink(peers: Path, json_file: Path, plays: int) -> dict[str, float]:
    """bink's load time and choices per second, from the peers' own script."""
    out = subprocess.run(
        [sys.executable, str(peers / "bink_bench.py"), str(json_file), str(plays)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ},
    ).stdout
    return _numbers(out)
