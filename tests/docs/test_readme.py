"""The README stays true: its story map is the current story's, its commands are the CI's."""

from __future__ import annotations

import re
from pathlib import Path

from game.authoring.graph import to_mermaid
from game.bundled import bundled_story_path
from game.engine.loader import load_story

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(name: str) -> str:
    match = re.search(rf"<!-- {name} -->\n```\w*\n(.*?)```\n<!-- /{name} -->", README, re.S)
    assert match, f"README has no {name} block"
    return match.group(1)


def test_the_story_map_is_the_bundled_story_as_it_is_now():
    assert block("map") == to_mermaid(load_story(bundled_story_path())), (
        "README's map is stale: run `million-miles graph` and paste it between <!-- map --> markers"
    )


def test_exactly_two_setup_commands_and_ci_runs_the_test_one():
    commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", README)
    assert len(commands) == 2
    play, test = commands
    assert play.endswith("million-miles") and test.endswith("pytest")
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace(" -q", "")


def test_the_capture_shows_the_game():
    capture = block("capture")
    assert "NASA applications" in capture
    assert "The Fields" in capture
