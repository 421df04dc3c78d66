"""`million-miles play [PATH]`: load a story and open the player on it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands.common import EXIT_OK, EXIT_USAGE, add_story_argument, resolve_story
from game.present.diagnostics import print_diagnostics
from game.present.words import plural

if TYPE_CHECKING:
    import argparse

    from game.engine.errors import StoryError
    from game.engine.model import Story
    from game.engine.saves import SaveStore
    from game.engine.watch import StoryWatcher
    from game.tui.app import MillionMilesApp


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        help="play a story in the terminal (the default command)",
        description="Play a story in a full-screen terminal interface, or line by line with --plain. "
        "Saves, the endings reached and settings are kept in DIR (--save-dir), else in "
        "$MILLION_MILES_HOME, else in your user data folder.",
    )
    add_story_argument(p)
    p.add_argument(
        "--plain",
        action="store_true",
        help="play line by line on standard input and output (screen readers, pipes, SSH); "
        "chosen automatically when either is not a terminal",
    )
    p.add_argument("--save-dir", type=Path, default=None, metavar="DIR", help="keep saves, endings and settings in DIR")
    p.add_argument(
        "--watch",
        action="store_true",
        help="for authors: reload the story whenever one of its files changes and replay your choices "
        "to the same point; while an edit has errors they are listed and play goes on with the last "
        "version that loaded (with --plain: checked each time you answer; press Enter to see an edit)",
    )
    p.add_argument(
        "--title",
        action="store_true",
        help="open on the title screen (new game, continue, load, endings) instead of going "
        "straight to the game in progress or a new one",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.engine.errors import StoryError
    from game.engine.loader import load_story

    root = resolve_story(args.path)
    watcher = None
    if args.watch:
        # The files' signature is taken before they are read, so an edit made while they load is
        # seen; and the watcher's loader keeps what it compiled, so a later edit compiles one file.
        from game.engine.watch import StoryWatcher

        watcher = StoryWatcher(root)
        first = watcher.reload()
        if first.story is not None:
            story = first.story
        else:
            report_story_errors(StoryError(first.diagnostics), args.path)
            if _served():  # a browser tab: nobody sees this wait; its page says the game ended instead
                return EXIT_USAGE
            story = wait_for_a_fix(watcher, args.path)
    else:
        try:
            story = load_story(root)
        except StoryError as exc:
            report_story_errors(exc, args.path)
            return EXIT_USAGE
    from game.engine.saves import SaveStore, data_dir

    store = SaveStore(data_dir(args.save_dir), story)
    if args.plain or not _has_a_screen():
        if watcher is not None:
            from game.plain_watch import run_plain_watching  # never imports Textual either

            return run_plain_watching(story, store, watcher)
        from game.plain import run_plain  # never imports Textual

        return run_plain(story, store)
    app = open_player(story, store, watch=watcher, title=args.title)
    app.run()
    if app.crash is not None:  # the terminal is given back by now: say it as every command does
        from game.cli import report_bug

        return report_bug(app.crash)
    if not _served():  # a browser tab has no terminal to say it in: its page says the game ended
        say_saved(app)
    return app.return_code or EXIT_OK


def say_saved(app: MillionMilesApp) -> None:
    """Once the terminal is given back, one line saying that the game is saved, as the line player
    says it (or why it could not be); nothing when no game was played."""
    from contextlib import suppress

    from game.present.messages import GAME_SAVED
    from game.present.terminal import clean

    session = app.session
    if session is None:
        return
    lines = [GAME_SAVED] if session.autosave() else [clean(note) for note in session.take_notes()]
    with suppress(OSError):  # the terminal went away (SIGHUP): the game is saved all the same
        print("\n".join(lines), flush=True)


def _has_a_screen() -> bool:
    """Whether the full-screen player can draw: a terminal on both ends, or a Textual driver
    chosen for it. Otherwise play goes line by line."""
    return _served() or (sys.stdin.isatty() and sys.stdout.isatty())


def _served() -> bool:
    """Whether this is a browser tab's game: `serve` runs `play` on pipes with a web driver in
    $TEXTUAL_DRIVER (game/web/), and the browser is the screen."""
    import os

    return bool(os.environ.get("TEXTUAL_DRIVER"))


def report_story_errors(error: StoryError, user_path: Path | None) -> None:
    errors = print_diagnostics(error.diagnostics, user_path)
    print(f"{plural(errors, 'error')}: the story cannot be played until they are fixed", file=sys.stderr)


def wait_for_a_fix(watcher: StoryWatcher, user_path: Path | None) -> Story:
    """`play --watch` on a story that does not load yet: say so, look at the files twice a
    second, report each new version's errors, and return the first version that loads.
    Ctrl+C ends the wait (the command line turns it into exit status 130)."""
    import time

    from game.engine.errors import StoryError
    from game.engine.watch import POLL_SECONDS

    print("Watching the story: the game starts as soon as it loads (Ctrl+C to stop).", file=sys.stderr, flush=True)
    while True:
        time.sleep(POLL_SECONDS)
        changes = watcher.poll()
        if changes is None:
            continue
        result = watcher.reload()
        if result.story is not None:
            return result.story
        print(f"\n{changes.summary()}; still:", file=sys.stderr)
        report_story_errors(StoryError(result.diagnostics), user_path)
        sys.stderr.flush()


def open_player(
    story: Story, store: SaveStore, *, watch: StoryWatcher | None = None, title: bool = False
) -> MillionMilesApp:
    """The full-screen player as `play` starts it (bench/startup.py times exactly this)."""
    import gc

    from game.tui.app import MillionMilesApp

    # Everything alive by now (Textual, the engine, the story) lives as long as the process:
    # keep it out of the cyclic collector's sight, which would otherwise walk it all again
    # and again while the first screen is built (about 50 ms of startup; docs/performance.md).
    gc.freeze()
    return MillionMilesApp(story, store, watch=watch, opening="title" if title else "story")
