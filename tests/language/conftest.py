"""Stories of format 2, written small, for the tests of each feature of the language."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.errors import Diagnostic
from game.engine.loader import load_story_with_diagnostics
from game.engine.model import Story

STORY_2 = """\
format: 2
title: Two
start: a
variables:
  n: {default: 0, label: Count, min: 0, max: 9}
  name: "Ana"
  flag: false
  bag: {default: [], label: Bag}
endings:
  done: {title: Done}
  other: {title: Other}
"""


def load(root: Path) -> tuple[Story | None, list[Diagnostic]]:
    return load_story_with_diagnostics(root, use_cache=False)


@pytest.fixture
def story2(make_story):
    """A loaded story of format 2 from its scene file (and story.yaml, STORY_2 unless given)."""

    def make(scenes: str, story: str = STORY_2) -> Story:
        loaded, diagnostics = load(make_story({"s.yaml": scenes}, story=story))
        errors = [d for d in diagnostics if d.severity == "error"]
        assert loaded is not None and not errors, [str(d) for d in errors]
        return loaded

    return make


@pytest.fixture
def messages2(make_story):
    """Every message about a story of format 2, as `line:col: message (code)`."""

    def make(scenes: str, story: str = STORY_2) -> list[str]:
        _, diagnostics = load(make_story({"s.yaml": scenes}, story=story))
        return [f"{d.loc.path}:{d.loc.line}:{d.loc.col}: {d.message} ({d.code})" for d in diagnostics]

    return make
