"""A broken or hostile story is reported by every command as located messages, never a traceback.

Each command that reads a story (play, check, explore, graph, test) is run on
each kind of broken story; the answer must be a failing exit status, at least
one `file[:line:col]: error: …` line, no Python traceback, no "internal error"
(which would mean a bug of ours), and no terminal escape from the story.
"""

from __future__ import annotations

import os
import re

import pytest

from game.cli import main
from game.engine.format import MAX_FILE_BYTES

HEADER = "title: T\nstart: a\nendings: {done: {title: D}}\n"
SCENE = "scenes:\n  a:\n    text: Hi.\n    ending: done\n"
BOMB = "\n".join(
    [
        "a: &a [lol, lol, lol, lol]",
        *(f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}]" for p, n in zip("abcdefg", "bcdefgh", strict=True)),
    ]
)

BROKEN = {
    "yaml syntax": ({"a.yaml": "scenes:\n  a: [\n"}, HEADER),
    "alias bomb": ({"a.yaml": SCENE, "bomb.yaml": BOMB}, HEADER),
    "unknown start": ({"a.yaml": SCENE}, HEADER.replace("start: a", "start: nowhere")),
    "bad expression": (
        {
            "a.yaml": SCENE.replace(
                "    ending: done\n", "    choices:\n      - text: Go\n        if: 1 +\n        goto: a\n"
            )
        },
        HEADER,
    ),
    "python tag": ({"a.yaml": SCENE.replace("Hi.", "!!python/object/apply:os.system ['true']")}, HEADER),
    "escape in a key": ({"a.yaml": SCENE + '    "\\e]0;pwned\\a": 1\n'}, HEADER),
    "not a mapping": ({"a.yaml": "- just\n- a list\n"}, HEADER),
    "empty story.yaml": ({"a.yaml": SCENE}, ""),
    "link outside": ({"a.yaml": SCENE}, HEADER),
    "huge file": ({"a.yaml": SCENE}, HEADER),
}
PLAYTHROUGH = "name: Straight to the end\nstory: .\nsteps:\n  - expect: {ending: done}\n"
COMMANDS = [["play", "--plain"], ["check"], ["explore"], ["graph"], ["test"]]
LOCATED = re.compile(r"^\s*\S+\.yaml(:\d+:\d+)?: error: \S", re.M)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(params=sorted(BROKEN))
def broken(request, make_story, tmp_path):
    files, header = BROKEN[request.param]
    root = make_story({**files, "t.playthrough.yaml": PLAYTHROUGH}, story=header)
    if request.param == "link outside":
        (tmp_path / "secret.yaml").write_text(SCENE)
        os.symlink(tmp_path / "secret.yaml", root / "b.yaml")
    if request.param == "huge file":
        (root / "b.yaml").write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    return root


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_reports_a_broken_story_in_located_lines(broken, command, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("1\n"))
    status = main([*command, str(broken)])
    out, err = capsys.readouterr()
    both = out + err
    assert status in (1, 2), both
    assert "Traceback" not in both and "internal error" not in both
    assert LOCATED.search(both), both
    assert not CONTROL.search(both), repr(both)
