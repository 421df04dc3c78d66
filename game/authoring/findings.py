"""The slow half of `check`: authoring warnings and the explorer's findings, and a child process to run them.

`million-miles check` reports the loader's diagnostics, then what this module
adds: `lint` and the findings of the bounded exhaustive exploration
(`story_findings`). The exploration walks every state of the story (0.3 s on
the bundled story, far more on a big one), and it cannot be stopped half-way
from another thread. A face that answers at once (the language server as the
author types, `play --watch` after a reload) must never wait for it, so it runs
in a child process: `python -m game.authoring.findings` reads the story folder
and any unsaved buffers as JSON on standard input, loads the story as its
parent did (the unchanged files come from the cache on disk), and prints every
warning and finding as JSON. The parent kills the child when the text it is
checking is out of date; results from an older text are never shown.

Two handles on that one child: `Background` for the language server, which
awaits it on pygls's event loop, and `FindingsJob` for the players (the line
player between prompts, the full-screen player in a thread worker: a child
owned by Textual's event loop could outlive it when the app closes).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from game.engine.errors import Diagnostic, Loc

if TYPE_CHECKING:
    from game.engine.explore import ExhaustiveResult
    from game.engine.model import Story

#: The child's command line: this module, run by the same Python as its parent.
CHILD = [sys.executable, "-m", "game.authoring.findings"]


def explore(story: Story, max_states: int | None = None) -> ExhaustiveResult:
    """The bounded exhaustive exploration `check` runs (`CHECK_MAX_STATES` states unless told)."""
    from game.engine.explore import CHECK_MAX_STATES, explore_exhaustive

    return explore_exhaustive(story, CHECK_MAX_STATES if max_states is None else max_states)


def story_findings(story: Story, max_states: int | None = None) -> tuple[list[Diagnostic], ExhaustiveResult]:
    """What `check` adds to the loader's diagnostics of a story that loaded: the authoring warnings,
    then the explorer's findings (dead ends, unreachable scenes…); and the exploration itself."""
    from game.authoring.lint import lint

    explored = explore(story, max_states)
    return lint(story) + list(explored.diagnostics()), explored


def findings(root: Path, overlays: Mapping[str, str], max_states: int | None = None) -> list[Diagnostic]:
    """`story_findings` of the story at `root` with `overlays` (path → unsaved text) in place; none if it
    does not load (the loader's own errors are the parent's to report)."""
    from game.engine.loader import StoryLoader

    story, _ = StoryLoader(root).load(overlays)
    if story is None:
        return []
    return story_findings(story, max_states)[0]


def main() -> int:
    request: dict[str, Any] = json.load(sys.stdin)
    found = findings(Path(request["root"]), request.get("overlays") or {}, request.get("max_states"))
    json.dump([d.as_json() for d in found], sys.stdout, ensure_ascii=False)
    return 0


def _request(root: Path, overlays: Mapping[str, str], max_states: int | None) -> bytes:
    return json.dumps({"root": str(root), "overlays": dict(overlays), "max_states": max_states}).encode()


def decode(out: bytes) -> list[Diagnostic] | None:
    """The child's answer as diagnostics; None if it is not one (the child died half-way)."""
    try:
        items = json.loads(out)
        return [
            Diagnostic(
                Loc(str(d["path"]), int(d["line"]), int(d["col"])), str(d["message"]), d["severity"], str(d["code"])
            )
            for d in items
        ]
    except (ValueError, KeyError, TypeError):
        return None


class Background:
    """At most one child at a time, computing the findings of one story's one version (asyncio)."""

    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None

    def cancel(self) -> None:
        """Stop the child at work, if any: its text is out of date."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()

    async def run(
        self, root: Path, overlays: Mapping[str, str] | None = None, max_states: int | None = None
    ) -> list[Diagnostic] | None:
        """The findings, or None if the run was cancelled or failed."""
        self.cancel()
        process = await asyncio.create_subprocess_exec(
            *CHILD,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        self._process = process
        try:
            out, _ = await process.communicate(_request(root, overlays or {}, max_states))
        except (asyncio.CancelledError, ConnectionError):
            self.cancel()
            with contextlib.suppress(asyncio.CancelledError, ProcessLookupError):
                await process.wait()  # reaped while its event loop runs: no child or pipe outlives it
            raise
        finally:
            if self._process is process:
                self._process = None
        return decode(out) if process.returncode == 0 else None


class FindingsJob:
    """One child computing one version's findings, for a parent without an event loop: start it, go on
    with other work, and ask for the answer when convenient (`result`)."""

    def __init__(self, root: Path, max_states: int | None = None) -> None:
        self._process = subprocess.Popen(
            CHILD, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._answer: list[Diagnostic] | None = None
        self._done = threading.Event()
        request = _request(root, {}, max_states)
        threading.Thread(target=self._talk, args=(request,), name="findings", daemon=True).start()

    def _talk(self, request: bytes) -> None:
        try:
            out, _ = self._process.communicate(request)
            if self._process.returncode == 0:
                self._answer = decode(out)
        except (OSError, ValueError):  # killed half-way (`cancel`): no answer
            pass
        finally:
            self._done.set()

    def result(self, timeout: float | None = 0) -> list[Diagnostic] | None:
        """The findings, waiting at most `timeout` seconds (None: as long as it takes); None if they are not
        ready yet or the child failed (`done` tells which)."""
        self._done.wait(timeout)
        return self._answer if self._done.is_set() else None

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def cancel(self) -> None:
        """Stop the child if it is still at work: its version is out of date."""
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()
        self._done.wait(5)


if __name__ == "__main__":
    raise SystemExit(main())
