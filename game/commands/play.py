"""`million-miles play [PATH]`: load a story and open the player on it."""

from __future__ import annotations

import argparse
import sys

from game.commands.common import EXIT_OK, EXIT_USAGE, add_story_argument, located, plural, resolve_story


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        help="play a story in the terminal (the default command)",
        description="Play a story in a full-screen terminal interface.",
    )
    add_story_argument(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.engine.errors import StoryError
    from game.engine.loader import load_story

    root = resolve_story(args.path)
    try:
        story = load_story(root)
    except StoryError as exc:
        for diagnostic in exc.diagnostics:
            print(located(diagnostic, args.path), file=sys.stderr)
        errors = sum(d.severity == "error" for d in exc.diagnostics)
        print(f"{plural(errors, 'error')}: the story cannot be played until they are fixed", file=sys.stderr)
        return EXIT_USAGE
    from game.tui.app import MillionMilesApp

    MillionMilesApp(story).run()
    return EXIT_OK
