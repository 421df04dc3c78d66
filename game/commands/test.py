"""`million-miles test [PATHS...]`: run playthrough files, a line each, then a summary."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from game.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from game.present.words import plural


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "test",
        help="run playthrough files (*.playthrough.yaml)",
        description="Run scripted playthroughs: every *.playthrough.yaml named, or under the folders named "
        "(searched recursively). A failing step is reported with the file and line of the step, what was "
        "expected and what was found, the choices offered and the path so far. The format is in "
        "docs/testing.md. Exit status: 0 all passed, 1 a playthrough failed, 2 nothing to run.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(".")],
        metavar="PATH",
        help="playthrough files or folders (default: the current folder)",
    )
    p.add_argument(
        "--story",
        type=Path,
        metavar="FOLDER",
        help="the story to test: playthroughs that name no story run against it (default: the bundled story), "
        "and a playthrough may name it even when it lies outside the playthrough's own folders",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.testing.runner import StoryCache, find_playthroughs, run_file

    files, missing = find_playthroughs(args.paths)
    for path in missing:
        print(f"million-miles test: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    if not files:
        where = ", ".join(str(p) for p in args.paths)
        print(f"million-miles test: no *.playthrough.yaml files under {where}", file=sys.stderr)
        return EXIT_USAGE
    began = time.perf_counter()
    stories = StoryCache()
    failed = 0
    for file in files:
        result = run_file(file, stories, args.story)
        if result.passed:
            print(f"PASS {result.display}  ({result.name}, {plural(result.total, 'step')})")
            continue
        failed += 1
        where = f"step {result.failed_step} of {result.total}" if result.failed_step else "not run"
        print(f"FAIL {result.display}  ({result.name}, {where})")
        print("\n".join(f"  {line}" for line in result.message.splitlines()))
    passed = len(files) - failed
    print(f"{passed} passed, {failed} failed in {time.perf_counter() - began:.2f}s")
    return EXIT_FAILED if failed else EXIT_OK
