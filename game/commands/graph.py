"""`million-miles graph [PATH]`: the story map as Mermaid or Graphviz DOT."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_story_argument, load_or_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "graph",
        help="draw the story map (Mermaid or Graphviz DOT)",
        description="Print the story map: scenes as nodes grouped by chapter, choices as arrows "
        "(dashed when they depend on a condition), endings marked. Exit status: 0, or 1 if the story has errors.",
    )
    add_story_argument(p)
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid", help="output format (default: mermaid)")
    p.add_argument("--labels", action="store_true", help="write each choice's text on its arrow (DOT always does)")
    p.add_argument(
        "--coverage",
        type=Path,
        metavar="FILE",
        help="JSON from `million-miles explore --json`: draw what was never reached in red",
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.graph import load_coverage, to_dot, to_mermaid

    story = load_or_report(args.path, "graph")
    if story is None:
        return EXIT_FAILED
    coverage = None
    if args.coverage is not None:
        try:
            coverage = load_coverage(args.coverage)
        except (OSError, ValueError, AttributeError) as exc:
            print(f"million-miles graph: cannot read coverage from {args.coverage}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    text = to_dot(story, coverage) if args.format == "dot" else to_mermaid(story, coverage, labels=args.labels)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK
