"""The command line: what a player types starts the game, and anything else gets argparse's answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import build_parser, main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["play"], {"path": None, "plain": False, "watch": False, "title": False, "save_dir": None}),
        (["play", "--plain", "my story"], {"path": "my story", "plain": True}),
        (["play", "story", "--save-dir", "saves", "--watch"], {"path": "story", "save_dir": "saves", "watch": True}),
        (["play", "--title"], {"title": True}),
    ],
)
def test_a_players_command_line(argv, expected):
    args = vars(build_parser(only="play").parse_args(argv))
    got = {key: str(value) if isinstance(value, Path) else value for key, value in args.items()}
    assert {key: got[key] for key in expected} == expected


def test_a_bare_path_or_nothing_at_all_plays(monkeypatch):
    seen = []
    monkeypatch.setattr("game.commands.play.run", lambda args: seen.append(args.path) or 0)
    assert main([]) == 0 and main(["some-story"]) == 0
    assert [None if p is None else str(p) for p in seen] == [None, "some-story"]


@pytest.mark.parametrize("argv", [["play", "--tilte"], ["play", "a", "b"], ["play", "--save-dir"]])
def test_a_mistyped_line_gets_argparses_answer(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "usage: million-miles" in capsys.readouterr().err
