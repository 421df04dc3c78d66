"""Authoring commands print story text with its control characters shown, never sent to the terminal."""

from __future__ import annotations

import subprocess
import sys

import pytest

STORY = 'title: "Evil \\e]0;pwned\\a\\e[2J"\nstart: a\nendings: {done: {title: "Bad \\e[5m end"}}\n'
SCENES = (
    'scenes:\n  a:\n    title: "\\e[31mRed"\n    text: Hi.\n    choices:\n      - {text: "Go \\e[1m", goto: b}\n'
    "  b:\n    text: Bye.\n    ending: done\n"
)


@pytest.mark.parametrize("command", [["check"], ["explore", "--exhaustive"], ["graph"], ["graph", "--format", "dot"]])
def test_escape_sequences_in_a_story_are_printed_as_text(make_story, command):
    root = make_story({"a.yaml": SCENES}, story=STORY)
    result = subprocess.run([sys.executable, "-m", "game", *command, str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b" in result.stdout
