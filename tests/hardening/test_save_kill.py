"""Saves survive the process being killed mid-write: the file on disk is always a whole save.

A child process (forked, so each round costs milliseconds, not an interpreter
start) resumes the autosave and then saves in a tight loop, reporting each
finished save down a pipe. The parent kills it with SIGKILL, at random moments
in some rounds and in others the instant it sees the temporary file of a write
in progress, then checks that the autosave is the last save the child
finished, or the one it was finishing, and that it loads through the real API.

    MILLION_MILES_KILL_ROUNDS=300 .venv/bin/pytest -s tests/hardening/test_save_kill.py
"""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import time
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game
from game.engine.saves import STALE_TEMP_SECONDS, SaveInfo, SaveStore, Session, sweep_stale_temps

ROUNDS = int(os.environ.get("MILLION_MILES_KILL_ROUNDS", "30"))
#: Choices already made when the first save is written: about 70 KB of JSON, several ms per save.
BASE_PATH = 10_000

LOOP_STORY = """\
title: Kill Test
start: loop
variables:
  n: {default: 0, label: Rounds, min: 0, max: 1000000000}
endings:
  done: {title: Done}
"""
LOOP_SCENES = """\
scenes:
  loop:
    title: Round and round
    text: "Round {n}."
    choices:
      - text: Again
        set: {n: n + 1}
        goto: loop
      - text: Stop
        goto: end
  end:
    text: Over.
    ending: done
"""

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")


@pytest.fixture
def store(make_story, tmp_path) -> SaveStore:
    story = load_story(make_story({"loop.yaml": LOOP_SCENES}, story=LOOP_STORY))
    store = SaveStore(tmp_path / "home", story)
    game = Game(story)
    for _ in range(BASE_PATH):
        game.choose(1)
    store.autosave(game)
    return store


def temp_files(store: SaveStore) -> list[Path]:
    return sorted(p for p in store.folder.iterdir() if p.name.endswith(".tmp"))


def saving_child(store: SaveStore) -> tuple[int, int]:
    """Fork a process that resumes the autosave and saves forever; return (pid, pipe to read)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            session = Session.load(store, store.folder / "autosave.json")  # itself a save
            while True:
                session.choose(1)  # one more choice, autosaved: each save is one choice longer
                if session.take_notes():  # an autosave failed
                    os._exit(3)
                os.write(write_end, f"{len(session.game.path)}\n".encode())
        finally:
            os._exit(2)
    os.close(write_end)
    return pid, read_end


def kill_at(store: SaveStore, pid: int, read_end: int, rng: random.Random, targeted: bool) -> int:
    """Kill the child while it saves; return the path length of the last save it finished."""
    reports = b""
    while b"\n" not in reports:  # wait until it is in its loop
        chunk = os.read(read_end, 4096)
        assert chunk, "the saving child died on its own"
        reports += chunk
    if targeted:  # the instant a new write is under way
        known = {p.name for p in temp_files(store)}
        deadline = time.monotonic() + 5
        while not any(n.endswith(".tmp") and n not in known for n in os.listdir(store.folder)):
            assert time.monotonic() < deadline, "the child never started a write"
    else:
        time.sleep(rng.uniform(0, 0.04))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    while chunk := os.read(read_end, 65536):
        reports += chunk
    os.close(read_end)
    return int(reports.rstrip(b"\n").rsplit(b"\n", 1)[-1])


def test_sigkill_while_saving_never_leaves_a_broken_save(store):
    rng = random.Random(8)
    autosave = store.folder / "autosave.json"
    mid_write, seen = 0, set()
    for round_ in range(ROUNDS):
        before = len(json.loads(autosave.read_text(encoding="utf-8"))["path"])
        pid, read_end = saving_child(store)
        finished = kill_at(store, pid, read_end, rng, targeted=round_ % 2 == 1)
        assert finished > before
        left = set(temp_files(store))
        assert len(left - seen) <= 1
        mid_write += len(left - seen)  # this kill interrupted a write
        seen |= left

        entry = store.autosave_entry()  # the real listing and loading API, not just json.loads
        assert isinstance(entry, SaveInfo), f"round {round_}: {entry}"
        loaded = store.load(entry)
        assert loaded.note is None  # the whole history came back
        assert len(loaded.game.path) in (finished, finished + 1), (round_, finished, len(loaded.game.path))
        assert loaded.game.state.variables["n"] == len(loaded.game.path)
        assert store.slots() == []  # a leftover temp file is never listed as a save

    print(f"\n{ROUNDS} kills, {mid_write} in the middle of a write")
    assert mid_write, "no kill landed in the middle of a write: the test proved nothing"
    leftovers = temp_files(store)
    assert len(leftovers) == mid_write  # one per interrupted write, none from a finished one

    # A later successful save removes the leftovers once they are old enough to be nobody's.
    store.autosave(Game(store.story))
    assert temp_files(store) == leftovers  # fresh: perhaps another copy of the game is writing it
    old = time.time() - STALE_TEMP_SECONDS - 5
    for path in leftovers:
        os.utime(path, (old, old))
    store.save(Game(store.story), "After the storm")
    assert temp_files(store) == []
    # (progress.json: the scene read, written once by the first choice of the first child)
    assert sorted(p.name for p in store.folder.iterdir()) == [
        "autosave.json",
        "progress.json",
        "save-after-the-storm.json",
    ]


def test_the_sweep_only_touches_temporary_files_of_saves(tmp_path):
    old = time.time() - STALE_TEMP_SECONDS - 5
    names = [
        ".autosave.json.k3j_9x2a.tmp",
        ".save-x.json.abcdefgh.tmp",
        "notes.tmp",
        ".hidden.tmp",
        "save-x.json",
        ".autosave.json",
    ]
    for name in names:
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (old, old))
    removed = sweep_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == [".autosave.json.k3j_9x2a.tmp", ".save-x.json.abcdefgh.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


def test_the_file_and_its_folder_are_synced_before_and_after_the_rename(tmp_path, monkeypatch):
    from game.engine.saves import write_json_atomic

    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"))
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append(("replace", Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_json_atomic(tmp_path / "save-a.json", {"a": 1})
    assert events == [("fsync", "file"), ("replace", "save-a.json"), ("fsync", "folder")]
