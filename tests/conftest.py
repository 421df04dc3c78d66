"""Shared fixtures: tiny stories written to a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

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
