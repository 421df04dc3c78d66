"""Any file in a saves folder, however strange, is listed as damaged and left alone: never a hang or a crash.

A FIFO would block a naive read for ever, a sparse file of gigabytes would fill memory, a
link could lead anywhere, and a timestamp without a time zone could not be sorted with the
others. Each is listed with its reason, quickly, and nothing is written to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game
from game.engine.saves import DamagedSave, SaveInfo, SaveStore, story_folder

FIXTURE = Path(__file__).parent.parent / "tui" / "story"
STORY = load_story(FIXTURE)


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    store = SaveStore(tmp_path / "home", STORY)
    game = Game(STORY)
    game.choose(1)
    store.save(game, "Good")
    return store


def listed(store: SaveStore) -> dict[str, str]:
    """Each file of the saves list: its name, and 'ok' or the reason it is damaged."""
    started = time.monotonic()
    entries = store.slots()
    assert time.monotonic() - started < 5, "listing the saves must never be slow"
    return {e.path.name: "ok" if isinstance(e, SaveInfo) else e.reason for e in entries}


def test_a_fifo_is_listed_as_damaged_without_waiting(store):
    os.mkfifo(store.folder / "save-pipe.json")
    assert listed(store)["save-pipe.json"] == "not a save file: a FIFO (named pipe), not a regular file"


def test_a_huge_sparse_file_is_listed_as_damaged_without_being_read(store):
    path = store.folder / "save-huge.json"
    with open(path, "wb") as handle:
        handle.truncate(8 * 1024**3)
    assert listed(store)["save-huge.json"] == "not a save file: 8,589,934,592 bytes, far more than any save"


def test_a_link_is_listed_as_damaged_and_not_followed(store, tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_bytes((store.folder / "save-good.json").read_bytes())
    (store.folder / "save-link.json").symlink_to(target)
    (store.folder / "save-loop.json").symlink_to("save-loop.json")
    found = listed(store)
    assert found["save-link.json"] == found["save-loop.json"] == "not a save file: a link, not a file"
    assert found["save-good.json"] == "ok"


def test_a_time_without_a_time_zone_is_listed_as_damaged_not_a_crash_in_sorting(store):
    data = json.loads((store.folder / "save-good.json").read_text(encoding="utf-8"))
    data["saved_at"] = "2026-01-01T10:00:00"
    data["name"] = "Naive"
    (store.folder / "save-naive.json").write_text(json.dumps(data), encoding="utf-8")
    assert listed(store)["save-naive.json"] == "the save time has no time zone"


def test_strange_files_are_left_as_they_were_by_saving_and_loading(store):
    os.mkfifo(store.folder / "save-pipe.json")
    naive = store.folder / "save-naive.json"
    naive.write_text('{"format": "million-miles-save"}', encoding="utf-8")
    before = naive.read_bytes()
    game = Game(STORY)
    store.save(game, "Another")
    store.autosave(game)
    assert naive.read_bytes() == before
    assert (store.folder / "save-pipe.json").is_fifo()
    assert isinstance(next(e for e in store.slots() if e.path.name == "save-naive.json"), DamagedSave)


def test_a_fifo_as_the_autosave_does_not_hang_the_line_player(tmp_path):
    home = tmp_path / "home"
    folder = home / story_folder(STORY.identity)
    folder.mkdir(parents=True)
    os.mkfifo(folder / "autosave.json")
    done = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", str(FIXTURE)],
        input="5\n",
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "MILLION_MILES_HOME": str(home)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_your_game_is_saved_is_said_only_when_it_was(tmp_path):
    """The line player says the game is saved on leaving only when the save worked."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "MILLION_MILES_HOME": str(home)}
    command = [sys.executable, "-m", "game", "play", "--plain", str(FIXTURE)]
    ok = subprocess.run(command, input="1\nquit\n", capture_output=True, text=True, timeout=20, env=env)
    assert "Your game is saved." in ok.stdout
    folder = home / story_folder(STORY.identity)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("not a folder", encoding="utf-8")  # nothing can be saved under it now (even as root)
    failed = subprocess.run(command, input="1\nquit\n", capture_output=True, text=True, timeout=20, env=env)
    assert "Your game is saved." not in failed.stdout
    assert "Autosave failed" in failed.stdout
