"""Shared fixtures: tiny stories written to a temporary folder, and the quick compiler held to the careful one."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine import quick_compiler
from game.engine.expressions import Expression
from game.engine.model import Story
from game.engine.records import fields

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


def same_value(a: object, b: object) -> bool:
    """Model equality, with expressions compared by what they are (closures differ by identity)."""
    if isinstance(a, Expression) and isinstance(b, Expression):
        return (a.source, a.node, a.type) == (b.source, b.node, b.type)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if hasattr(a, "__record_fields__") and type(a) is type(b):
        return all(same_value(getattr(a, name), getattr(b, name)) for name in fields(a))
    return a == b


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
        assert same_value(scene, got.scenes[sid]), sid
    assert got.labelled == expected.labelled


def careful_load(root: Path) -> tuple[Story | None, list]:
    """The careful compiler's answer alone: every file through libyaml, every mistake reported."""
    from game.engine.compiler import StoryCompiler

    compiler = StoryCompiler(Path(root))
    story = compiler.run()
    return (None if compiler.diags.has_errors else story), compiler.diags.sorted()


@pytest.fixture(autouse=True)
def _quick_compiler_agrees_with_the_careful_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every story any test loads the quick way is loaded the careful way too, and must be the same.

    The quick compiler may only ever skip work: a story it accepts that the careful
    compiler refuses, or reads differently, fails whichever test loaded it.
    """
    real = quick_compiler.compile_quickly

    def checked(root: Path, sources: list[tuple[str, bytes]]) -> quick_compiler.QuickStory | None:
        quick = real(root, sources)
        if quick is not None:
            story, diagnostics = careful_load(root)
            assert not diagnostics, f"the quick compiler accepted a story the compiler refuses: {diagnostics}"
            assert story is not None
            assert_same_story(story, quick.story)
        return quick

    monkeypatch.setattr(quick_compiler, "compile_quickly", checked)


@pytest.fixture
def same_story() -> Callable[[Story, Story], None]:
    return assert_same_story


@pytest.fixture
def careful() -> Callable[[Path], tuple[Story | None, list]]:
    return careful_load
