"""`million-miles check [PATH]`: load and validate a story, printing every problem.

One command tells an author everything: the loader's errors, the authoring
warnings (game/authoring/lint.py) and, once a story loads, the explorer's
reachability findings. Output is compiler format so editors and CI can jump
to each line; `--format json` is the same for tools.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands.common import EXIT_FAILED, EXIT_OK, add_story_argument, resolve_story
from game.engine.errors import Diagnostic
from game.engine.model import Story
from game.present.diagnostics import display_path, located
from game.present.words import plural

if TYPE_CHECKING:
    from game.engine.explore import ExhaustiveResult  # imported when a story is explored, not to parse a command

EXIT_CODES = """exit status:
  0  no errors (warnings allowed, unless --strict)
  1  the story has errors (or warnings, with --strict)
  2  usage error (bad option, missing folder)"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="load and validate a story, reporting every mistake",
        description="Load and validate a story folder and report every problem as "
        "PATH:LINE:COL: SEVERITY: MESSAGE: YAML and format errors, unknown references, expression "
        "and type errors, unused or constant variables, scenes too long for 80x24, conditions that "
        "are always true, and what the exhaustive exploration finds.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_story_argument(p)
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument(
        "--stats",
        action="store_true",
        help="also report words per scene, per chapter and per way to each ending, with reading times",
    )
    p.add_argument(
        "--max-states",
        type=int,
        default=None,
        metavar="N",
        help="bound of the exhaustive exploration, in distinct states (default: 200,000)",
    )
    p.set_defaults(handler=run)


def diagnose(story_path: Path, max_states: int | None = None) -> tuple[Story | None, list[Diagnostic]]:
    """Load the story and gather every finding about it, sorted."""
    story, diagnostics, _ = examine(story_path, max_states)
    return story, diagnostics


def examine(
    story_path: Path, max_states: int | None = None
) -> tuple[Story | None, list[Diagnostic], ExhaustiveResult | None]:
    """`diagnose`, and the exhaustive exploration it ran (None when the story did not load)."""
    from game.authoring.findings import story_findings
    from game.engine.loader import load_story_with_diagnostics

    story, diagnostics = load_story_with_diagnostics(story_path)
    explored = None
    if story is not None:
        found, explored = story_findings(story, max_states)
        diagnostics = diagnostics + found
    return story, sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key), explored


def run(args: argparse.Namespace) -> int:
    root = resolve_story(args.path)
    if not root.exists():
        print(f"million-miles check: {root}: no such folder", file=sys.stderr)
        return 2
    story, diagnostics, explored = examine(root, args.max_states)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    failed = story is None or errors > 0 or (args.strict and warnings > 0)
    stats = None
    if args.stats and story is not None and explored is not None:
        from game.authoring.stats import story_stats

        stats = story_stats(story, explored)
    elif args.stats:
        print("million-miles check: --stats needs a story that loads: fix its errors first", file=sys.stderr)
    if args.format == "json":
        report: dict[str, object] = {
            "story": getattr(story, "title", None),
            "ok": not failed,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [{**d.as_json(), "path": display_path(d, args.path)} for d in diagnostics],
        }
        if stats is not None:
            report["stats"] = stats.as_json()
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_FAILED if failed else EXIT_OK
    for diagnostic in diagnostics:
        print(located(diagnostic, args.path))
    if stats is not None:
        from game.authoring.stats import render

        print("\n".join(render(stats)))
    summary = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    if story is not None:
        summary = (
            f"{story.title}: {plural(len(story.scenes), 'scene')}, {plural(len(story.endings), 'ending')}; {summary}"
        )
    if args.strict and warnings and not errors:
        summary += " (--strict: warnings count as failures)"
    print(summary)
    return EXIT_FAILED if failed else EXIT_OK
