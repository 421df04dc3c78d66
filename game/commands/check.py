"""`million-miles check [PATH]`: load and validate a story, printing every problem."""

from __future__ import annotations

import argparse

from game.commands.common import EXIT_FAILED, EXIT_OK, add_story_argument, located, plural, resolve_story


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="load and validate a story, reporting every mistake",
        description="Load and validate a story folder. Prints every problem as "
        "PATH:LINE:COL: SEVERITY: MESSAGE. Exit status: 0 clean, 1 errors found, 2 usage error.",
    )
    add_story_argument(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.engine.loader import load_story_with_diagnostics

    root = resolve_story(args.path)
    story, diagnostics = load_story_with_diagnostics(root)
    for diagnostic in diagnostics:
        print(located(diagnostic, args.path))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if story is None:
        print(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}")
        return EXIT_FAILED
    print(
        f"{story.title}: {plural(len(story.scenes), 'scene')}, {plural(len(story.endings), 'ending')}; "
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
    return EXIT_OK
