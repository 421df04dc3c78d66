"""pytest plugin: every `*.playthrough.yaml` under pytest's paths is a test.

Registered through the package's `pytest11` entry point, so an author's own
story project needs nothing but `pytest`: a failing playthrough is reported
exactly as `million-miles test` reports it (file and line of the step,
expected and found, the choices offered, the path so far), without a Python
traceback. Stories are loaded once per session, however many files use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from game.testing.playthrough import SUFFIX, default_name, read_playthrough
from game.testing.runner import StoryCache, run_file

if TYPE_CHECKING:
    from _pytest._code.code import TracebackStyle  # pytest's own name for the styles it passes

_STORIES = pytest.StashKey[StoryCache]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return PlaythroughFile.from_parent(parent, path=file_path)
    return None


class PlaythroughFile(pytest.File):
    """One playthrough file: one test, named by the file's `name:`."""

    def collect(self) -> Iterator[pytest.Item]:
        playthrough, _ = read_playthrough(self.path)
        name = playthrough.name if playthrough is not None else default_name(self.path)
        yield PlaythroughItem.from_parent(self, name=name)


class PlaythroughFailed(Exception):
    """Carries the runner's readable report to `repr_failure`."""


class PlaythroughItem(pytest.Item):
    #: No fixtures. Said anyway because pytest-lsp 1.0.1's `pytest_runtest_call` wrapper returns
    #: without yielding for an item that has no `funcargs` (a non-function item like this one),
    #: which fails every such test once pytest-lsp is installed (the [test] extra has it).
    funcargs: dict[str, object] = {}

    def runtest(self) -> None:
        stories = self.config.stash.setdefault(_STORIES, StoryCache())
        result = run_file(self.path, stories)
        if not result.passed:
            raise PlaythroughFailed(result.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: TracebackStyle | None = None) -> str:
        if isinstance(excinfo.value, PlaythroughFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"playthrough: {self.name}"
