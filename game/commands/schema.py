"""`million-miles schema`: JSON Schemas for editors (completion and validation of story files)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from game.commands.common import EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        help="print or write the JSON Schemas of story, scene and playthrough files",
        description="Print the JSON Schema (draft 2020-12) of one kind of file, or write all three into a "
        "folder with --output. Point an editor at them with a first line like "
        "'# yaml-language-server: $schema=schema/scenes.schema.json'.",
    )
    p.add_argument(
        "kind",
        nargs="?",
        choices=["story", "scenes", "playthrough"],
        default="scenes",
        help="which schema to print (default: scenes)",
    )
    p.add_argument("-o", "--output", type=Path, metavar="DIR", help="write all three schemas into DIR")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.schema import SCHEMAS
    from game.authoring.template import write_schemas

    if args.output is not None:
        for path in write_schemas(args.output):
            print(path)
        return EXIT_OK
    json.dump(SCHEMAS[args.kind](), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK
