"""`million-miles serve [PATH]`: the full-screen game in a browser, served from this machine.

Each browser tab gets its own game: textual-serve runs this game's `play` for it
(game/web/). The web server is imported only here, so `play` never pays for it.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_story_argument, resolve_story

if TYPE_CHECKING:
    import argparse

    from game.engine.model import Story

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="play a story in a web browser, served from this machine",
        description="Serve the full-screen game at http://127.0.0.1:8000, to be opened in a web browser; "
        "each browser tab plays its own game, with the same saves as `play` (in DIR with --save-dir, else "
        "in $MILLION_MILES_HOME, else in your user data folder). Ctrl+C stops the server. The server has "
        "no authentication: whoever can reach the address can play, and load or overwrite the saves.",
    )
    add_story_argument(p)
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only; 0.0.0.0 lets "
        "other machines on your network connect, and warns that anyone who can reach it can play)",
    )
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT}; 0 picks a free one)"
    )
    p.add_argument("--save-dir", type=Path, default=None, metavar="DIR", help="keep saves, endings and settings in DIR")
    p.add_argument(
        "--watch",
        action="store_true",
        help="for authors: every open tab reloads the story when one of its files changes, as `play --watch` does",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from game.commands.play import report_story_errors, wait_for_a_fix
    from game.engine.errors import StoryError
    from game.engine.saves import data_dir

    root = resolve_story(args.path)
    story: Story
    if args.watch:
        from game.engine.watch import StoryWatcher

        watcher = StoryWatcher(root)  # only to wait for a story that loads: each tab watches for itself
        first = watcher.reload()
        if first.story is None:
            report_story_errors(StoryError(first.diagnostics), args.path)
            story = wait_for_a_fix(watcher, args.path)
        else:
            story = first.story
    else:
        from game.engine.loader import load_story

        try:
            story = load_story(root)
        except StoryError as exc:
            report_story_errors(exc, args.path)
            return EXIT_USAGE
    if not 0 <= args.port <= 65535:
        print(f"million-miles serve: --port must be from 0 to 65535, not {args.port}", file=sys.stderr)
        return EXIT_USAGE
    save_dir = data_dir(args.save_dir).absolute()
    return _serve(story, root, save_dir, args.host, args.port, watch=args.watch)


def _serve(story: Story, root: Path, save_dir: Path, host: str, port: int, *, watch: bool) -> int:
    import asyncio

    from game.present.terminal import clean
    from game.web.server import GameServer, is_loopback, tab_command, url

    if not is_loopback(host):
        print(
            f"million-miles serve: warning: listening on {host or 'every address'}, not only this machine. "
            "The server has no authentication: anyone who can reach it can play, and load, overwrite "
            "or fill the saves in " + str(save_dir) + ". Serve only on a network you trust.",
            file=sys.stderr,
            flush=True,
        )
    title = clean(story.title)
    server = GameServer(tab_command(root, save_dir, watch=watch), host=host, port=port, title=title)

    def ready(port: int) -> None:
        here = url("127.0.0.1" if host in ("", "0.0.0.0", "::") else host, port)
        print(f"Serving {title} at {here}", flush=True)
        if not is_loopback(host):
            print(f"  from other machines: http://THIS-MACHINE'S-ADDRESS:{port}")
        print(f"Open that address in a web browser; each tab plays its own game. Saves: {save_dir}")
        print(f"{'Watching the story: open tabs reload it on every edit. ' if watch else ''}Ctrl+C stops.", flush=True)

    try:
        asyncio.run(server.run(ready))
    except OSError as exc:
        print(f"million-miles serve: {_why_not(exc, host, port)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _why_not(exc: OSError, host: str, port: int) -> str:
    """What to do when the address cannot be listened on."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is taken on {host} (another `million-miles serve`, or another program). "
            f"Stop that program, or serve on another port: million-miles serve --port {port + 1 if port else 8001}"
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"not allowed to listen on port {port} (ports below 1024 need privileges): try --port 8000"
    return f"cannot listen on {host} port {port}: {exc.strerror or exc}. Is {host} an address of this machine?"
