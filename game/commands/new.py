"""`million-miles new PATH`: start a new story from a small working template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands.common import EXIT_OK, EXIT_USAGE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new",
        help="create a new story folder from a small working template",
        description="Create PATH with a four-scene story (two endings), playthrough tests and editor schemas. "
        "`million-miles check --strict PATH` and `million-miles test PATH` pass on it at once.",
    )
    p.add_argument("path", type=Path, metavar="PATH", help="folder to create (must not exist, or be empty)")
    p.add_argument("--title", help="the story's title (default: from the folder name)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.template import NewStoryError, create_story

    try:
        written = create_story(args.path, args.title)
    except NewStoryError as exc:
        print(f"million-miles new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"created {path}")
    print(f"\nNext: million-miles play {args.path}    (or: check --strict, test, graph)")
    return EXIT_OK
