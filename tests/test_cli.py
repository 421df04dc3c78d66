"""The command line: a player's way in is read without argparse, exactly as argparse reads it."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from game.cli import build_parser, player_args

PLAYER_LINES = [
    ["play"],
    ["play", "story"],
    ["play", "", "--title"],
    ["play", "--plain", "my story"],
    ["play", "story", "--save-dir", "saves", "--watch"],
    ["play", "--save-dir", "a", "--save-dir", "b"],
    ["play", "--title", "--title", "x"],
    *(["play", *combo] for combo in itertools.permutations(["s", "--plain", "--watch", "--title"], 3)),
]


@pytest.mark.parametrize("argv", PLAYER_LINES, ids=" ".join)
def test_a_players_command_line_reads_as_argparse_reads_it(argv):
    quick = player_args(list(argv))
    assert quick is not None
    assert vars(quick) == vars(build_parser(only="play").parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["play", "--help"],
        ["play", "--tit"],
        ["play", "a", "b"],
        ["play", "--save-dir"],
        ["play", "--save-dir", "-x"],
        ["play", "--save-dir=d"],
        ["play", "--", "x"],
        ["play", "-"],
        ["check", "x"],
        [],
    ],
)
def test_anything_else_is_left_to_argparse(argv):
    assert player_args(list(argv)) is None


def test_starting_the_game_does_not_import_argparse(tmp_path):
    code = (
        "import sys, game.cli, game.commands.play as play;"
        "play.run = lambda args: print(sorted(m for m in sys.modules if m == 'argparse')) or 0;"
        "sys.exit(game.cli.main(['--title']))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
