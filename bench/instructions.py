"""Instructions for one cold load, counted by callgrind: a figure that repeats on a shared machine.

    python -m bench.instructions [STORY] [--bink COMPILED.ink.json]

Wall-clock times on a shared machine wander by a third and more; instruction
counts repeat to the million. For each side this runs two processes under
`valgrind --tool=callgrind` (the same imports, once with the load and once
without) and prints the difference, in millions of instructions: ours for
`load_story` on STORY with an empty cache (default: the bench's 1,000-scene
synthetic story), bink's for `story_from_file` on the compiled JSON when given.
Useful to compare two versions of the loader; not a ratio of speeds (Python's
instructions and Rust's do not take the same time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_STORY = Path(tempfile.gettempdir()) / "million-miles-bench" / "synthetic_1000"

OURS = """
import os, sys, tempfile
os.environ["MILLION_MILES_CACHE"] = tempfile.mkdtemp()
import game.engine.compiler
from game.engine.loader import load_story
if sys.argv[1] == "load":
    load_story(sys.argv[2])
"""
BINK = """
import sys
from bink.story import story_from_file
if sys.argv[1] == "load":
    story_from_file(sys.argv[2])
"""
_COLLECTED = re.compile(r"Collected : (\d+)")


def count(code: str, *args: str) -> int:
    """Instructions of one `python -c code args` run under callgrind."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled once, then read: not counted twice
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind said no count:\n{done.stderr[-1000:]}")
    return int(found.group(1))


def load_instructions(code: str, target: str) -> int:
    count(code, "none", target)  # untimed: writes the bytecode every later run reads
    return count(code, "load", target) - count(code, "none", target)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.instructions", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "story",
        nargs="?",
        type=Path,
        default=DEFAULT_STORY,
        help="story folder (default: the bench's 1,000-scene synthetic story; run `python -m bench "
        "--only load --sizes 1000` once to write it)",
    )
    p.add_argument("--bink", type=Path, default=None, help="compiled ink JSON to count bink's load of, too")
    opts = p.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind); nothing counted", file=sys.stderr)
        return 2
    if not (opts.story / "story.yaml").is_file():
        print(f"no story at {opts.story}", file=sys.stderr)
        return 2
    print(f"ours: {load_instructions(OURS, str(opts.story)) / 1e6:,.0f} M instructions to load {opts.story}")
    if opts.bink is not None:
        print(f"bink: {load_instructions(BINK, str(opts.bink)) / 1e6:,.0f} M instructions to load {opts.bink}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
