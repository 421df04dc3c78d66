"""Shared fixtures: tiny stories written to a temporary folder, private user folders for every test,
and what the full-screen player shows, read the way a player sees it."""

from __future__ import annotations

import html
import re
import textwrap
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from game.engine.model import Story

StoryMaker = Callable[..., Path]

BASIC_STORY = """\
title: Test
start: a
variables:
  n: {default: 0, label: Count, min: 0, max: 3}
  name: "Ana"
  flag: false
endings:
  done: {title: Done, description: The end.}
"""


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch) -> None:
    """No test may touch the real user folders: saves, settings and the story cache go to temporary ones."""
    monkeypatch.setenv("MILLION_MILES_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("MILLION_MILES_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def make_story(tmp_path: Path) -> StoryMaker:
    """Write `files` (name → YAML text, dedented) into a fresh story folder."""

    def make(files: dict[str, str] | None = None, story: str = BASIC_STORY, **more: str) -> Path:
        root = tmp_path / "story"
        root.mkdir(exist_ok=True)
        (root / "story.yaml").write_text(textwrap.dedent(story), encoding="utf-8")
        for name, text in {**(files or {}), **more}.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def assert_same_story(expected: Story, got: Story) -> None:
    """The two stories are the same in every way a player or a tool can see."""
    assert (got.title, got.start, got.root, got.files, got.start_loc) == (
        expected.title,
        expected.start,
        expected.root,
        expected.files,
        expected.start_loc,
    )
    assert got.variables == expected.variables and got.endings == expected.endings
    assert list(got.variables) == list(expected.variables) and list(got.endings) == list(expected.endings)
    assert list(got.scenes) == list(expected.scenes) and len(got.scenes) == len(expected.scenes)
    for sid, scene in expected.scenes.items():
        assert scene == got.scenes[sid], sid
    assert got.labelled == expected.labelled


@pytest.fixture
def same_story() -> Callable[[Story, Story], None]:
    return assert_same_story


# --------------------------------------------------------------------------- the player's screen
#
# Read through Textual's public API only, so that these survive a change inside the player or
# inside Textual: the screen from `App.export_screenshot()` (the same composed frame, background
# screens under a dialog included, that Textual would write to the terminal), the notifications
# from the toasts drawn on it, and every wait a bounded wait for a condition.

#: One run of text in the SVG that `App.export_screenshot()` returns (Rich's `Console.export_svg`):
#: where it starts (x), how wide it is drawn, the screen line it is on, and the text, escaped.
_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([^"]*)" y="[^"]*" textLength="([^"]*)" '
    r'clip-path="url\(#[^")]*-line-(\d+)\)">([^<]*)</text>'
)


def read_screen(app: Any) -> str:
    """What the terminal shows right now, as plain text: one line per row, each as wide as the
    terminal (modal backgrounds and notifications included), read from the app's screenshot."""
    from rich.cells import cell_len

    width, height = app.size
    found = _SVG_TEXT.findall(app.export_screenshot())
    # As many rows as the terminal has, or as the frame has while a resize is being laid out.
    rows: list[list[tuple[int, str]]] = [[] for _ in range(max([height, *(int(row) + 1 for *_, row, _ in found)]))]
    for x, length, row, escaped in found:
        # Spaces are written as &#160; (a real no-break space stays as it is); runs of spaces alone
        # are not written at all, and each row ends with a newline of its own.
        text = html.unescape(escaped.replace("&#160;", " ")).replace("\n", "")
        if text:
            cell = float(length) / len(text)  # textLength is the cell width times the characters
            rows[int(row)].append((round(float(x) / cell), text))
    lines = []
    for pieces in rows:
        line, column = [], 0
        for start, text in sorted(pieces, key=lambda piece: piece[0]):
            line.append(" " * (start - column) + text)
            column = start + cell_len(text)
        line.append(" " * (width - column))
        lines.append("".join(line))
    return "\n".join(lines)


def shown_notifications(app: Any) -> list[str]:
    """The notifications drawn on the current screen, as their toasts read (oldest first).
    Toasts are drawn only when the app runs with notifications on: `run_test(notifications=True)`."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def await_condition(pilot: Any, condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds; fail, saying `what` was awaited and showing the
    screen, after `timeout` seconds. Each turn waits for the app to go idle (`Pilot.pause()`)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            app = pilot.app
            pytest.fail(
                f"waited {timeout:g}s for {what}; the screen shows:\n{read_screen(app)}\n"
                f"notifications: {shown_notifications(app)}"
            )
        await pilot.pause()


@pytest.fixture
def screen_text() -> Callable[[Any], str]:
    return read_screen


@pytest.fixture
def notifications() -> Callable[[Any], list[str]]:
    return shown_notifications


@pytest.fixture
def wait_until() -> Callable[..., Awaitable[None]]:
    """`await wait_until(pilot, condition, what)`: see `await_condition`."""
    return await_condition
