"""Shared fixtures: tiny stories written to a temporary folder, private user folders for every test."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

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
