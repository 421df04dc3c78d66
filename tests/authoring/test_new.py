"""`million-miles new` gives an author a story that passes `check --strict` and `test` at once."""

from __future__ import annotations

import json

import pytest

from game.cli import main
from game.engine.loader import load_story


def test_new_story_passes_strict_check_and_its_own_tests(tmp_path, capsys):
    target = tmp_path / "my-first-story"
    assert main(["new", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"created {target / 'story.yaml'}" in out
    assert (target / "schema" / "scenes.schema.json").is_file()
    first_line = (target / "chapter1.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=schema/scenes.schema.json"
    assert "title: My First Story" in (target / "story.yaml").read_text(encoding="utf-8")

    assert main(["check", "--strict", str(target)]) == 0, capsys.readouterr().out
    capsys.readouterr()
    assert main(["test", str(target)]) == 0, capsys.readouterr().out


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert main(["new", str(tmp_path / "taken")]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_schema_command_prints_and_writes(tmp_path, capsys):
    assert main(["schema", "story"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("A Million Miles Away story")
    assert main(["schema", "--output", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "playthrough.schema.json",
        "scenes.schema.json",
        "story.schema.json",
    ]


@pytest.mark.parametrize(
    "title",
    ["Part 1: The Sea", "Война и мир", "A # in it", "\"Quoted\" and 'single'", "- dash", "yes", "123", "{braces}"],
)
def test_new_writes_any_title_as_given(tmp_path, capsys, title):
    target = tmp_path / "story"
    assert main(["new", str(target), "--title", title]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", str(target)]) == 0, capsys.readouterr().out
    assert load_story(target).title == title
