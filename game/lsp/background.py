"""The slow half of `check`: authoring warnings and the explorer's findings, in a process of their own.

`million-miles check` reports the loader's diagnostics, then `lint` and the
exhaustive explorer's findings. The explorer walks every state of the story
(0.3 s on the bundled story, far more on a big one), and it cannot be stopped
half-way from another thread. Typing must never wait for it, so the server
runs this half in a child process once the author pauses: `python -m
game.lsp.background` reads the story folder and the open buffers as JSON on
standard input, loads the story as the server did (its unchanged files come
from the cache on disk), and prints every warning and finding as JSON. When
the author types again, the server kills the child and starts a new one later;
results from an older text are never shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from game.engine.errors import Diagnostic, Loc


def findings(root: Path, overlays: Mapping[str, str], max_states: int | None = None) -> list[Diagnostic]:
    """What `check` adds to the loader's diagnostics for the story at `root` with `overlays` in place."""
    from game.authoring.lint import lint
    from game.commands.check import exploration_findings
    from game.engine.loader import StoryLoader

    story, _ = StoryLoader(root).load(overlays)
    if story is None:
        return []
    return lint(story) + exploration_findings(story, max_states)


def main() -> int:
    request: dict[str, Any] = json.load(sys.stdin)
    found = findings(Path(request["root"]), request.get("overlays") or {}, request.get("max_states"))
    json.dump([d.as_json() for d in found], sys.stdout, ensure_ascii=False)
    return 0


def decode(items: list[dict[str, Any]]) -> list[Diagnostic]:
    return [
        Diagnostic(Loc(str(d["path"]), int(d["line"]), int(d["col"])), str(d["message"]), d["severity"], str(d["code"]))
        for d in items
    ]


class Background:
    """At most one child process at a time, computing the slow findings of one story's one version."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None

    def cancel(self) -> None:
        """Stop the child at work, if any: its text is out of date."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()

    async def run(self, root: Path, overlays: Mapping[str, str], max_states: int | None) -> list[Diagnostic] | None:
        """The findings, or None if the run was cancelled or failed."""
        self.cancel()
        request = json.dumps({"root": str(root), "overlays": dict(overlays), "max_states": max_states}).encode()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "game.lsp.background",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        self._process = process
        try:
            out, _ = await process.communicate(request)
        except (asyncio.CancelledError, ConnectionError):
            self.cancel()
            raise
        finally:
            if self._process is process:
                self._process = None
        if process.returncode != 0:
            return None
        try:
            return decode(json.loads(out))
        except (ValueError, KeyError, TypeError):
            return None


if __name__ == "__main__":
    raise SystemExit(main())
