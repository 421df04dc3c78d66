"""Hostile story files are refused with a clear message, never obeyed."""

from __future__ import annotations

import os
import time

import pytest

from game.engine.format import MAX_FILE_BYTES
from game.engine.loader import load_story, load_story_with_diagnostics
from game.engine.yaml_source import MAX_NESTING

HEADER = "title: T\nstart: a\nendings: {done: {title: D}}\n"
SCENE = "scenes:\n  a:\n    text: Hi.\n    ending: done\n"


def errors(root) -> list[str]:
    story, diagnostics = load_story_with_diagnostics(root)
    assert story is None
    return [str(d) for d in diagnostics if d.severity == "error"]


def test_billion_laughs_is_refused_at_the_first_anchor_and_quickly(make_story):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    root = make_story({"bomb.yaml": "\n".join(lines) + "\n"}, story=HEADER)
    started = time.perf_counter()
    found = errors(root)
    assert time.perf_counter() - started < 2
    assert found[0] == "bomb.yaml:1:4: error: anchors and aliases ('&name', '*name') are not supported in story files"


def test_over_deep_documents_are_refused(make_story):
    deep = "scenes:\n  a:\n    text: " + "[" * 5000 + "]" * 5000 + "\n    ending: done\n"
    [message] = errors(make_story({"deep.yaml": deep}, story=HEADER))
    assert message.startswith("deep.yaml:3:") and "nesting depth" in message
    nested = "scenes:\n  a:\n    text: " + "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5) + "\n    ending: done\n"
    [message] = errors(make_story({"deep.yaml": nested}, story=HEADER))
    assert f"nested more than {MAX_NESTING} levels deep" in message


def test_files_over_the_size_limit_are_refused_unread(make_story):
    root = make_story({"a.yaml": SCENE}, story=HEADER)
    (root / "huge.yaml").write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    [message] = errors(root)
    assert message == (
        f"huge.yaml: error: file is {MAX_FILE_BYTES + 3:,} bytes; story files may be at most {MAX_FILE_BYTES:,} bytes"
    )


@pytest.mark.parametrize("target", ["/etc/hostname", "../outside.yaml"])
def test_a_story_cannot_read_files_outside_its_folder(make_story, tmp_path, target):
    root = make_story({"a.yaml": SCENE}, story=HEADER)
    (tmp_path / "outside.yaml").write_text(SCENE.replace("a:", "b:"))
    os.symlink(target, root / "leak.yaml")
    assert errors(root) == ["leak.yaml: error: this file links outside the story folder and was not read"]


def test_symlinked_folders_are_not_followed(make_story, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "b.yaml").write_text(SCENE.replace("a:", "b:"))
    root = make_story({"a.yaml": SCENE}, story=HEADER)
    os.symlink(outside, root / "more")
    story = load_story(root)
    assert "b" not in story.scenes


def test_story_yaml_itself_may_not_link_outside(tmp_path):
    (tmp_path / "real.yaml").write_text(HEADER)
    root = tmp_path / "story"
    root.mkdir()
    (root / "a.yaml").write_text(SCENE)
    os.symlink(tmp_path / "real.yaml", root / "story.yaml")
    assert errors(root) == ["story.yaml: error: story.yaml links outside the story folder and was not read"]


def test_python_tags_are_not_constructed(make_story):
    root = make_story(
        {"a.yaml": "scenes:\n  a:\n    text: !!python/object/apply:os.system ['touch /tmp/pwned']\n    ending: done\n"},
        story=HEADER,
    )
    [message] = errors(root)
    assert (
        message
        == "a.yaml:3:11: error: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in story files"
    )


def test_messages_never_carry_terminal_escapes(make_story):
    root = make_story(
        {"a.yaml": 'scenes:\n  a:\n    text: Hi.\n    ending: done\n    "\\e[2J\\e]0;pwned\\a": 1\n'}, story=HEADER
    )
    [message] = errors(root)
    assert "\x1b" not in message and "\x07" not in message
    assert "\\x1b[2J" in message


def test_interpolation_cannot_reach_attributes_at_load_time(make_story):
    header = HEADER + "variables: {x: 1}\n"
    for placeholder in ("{x.__class__}", "{x.__class__.__mro__}", "{x[0]}", "{x!r}", "{x:>99999999}"):
        root = make_story({"a.yaml": f"scenes:\n  a:\n    text: 'Hi {placeholder}'\n    ending: done\n"}, story=header)
        [message] = errors(root)
        assert "only a plain variable name may stand between braces" in message
