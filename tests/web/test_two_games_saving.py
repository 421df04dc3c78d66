"""Two copies of the game writing one saves folder at the same instant (two browser tabs of
`serve` are two processes; a terminal beside them is a third): nothing is lost, nothing torn.

Writes are atomic, so no file is ever half-written. What could still be lost is a
read-then-write done by two at once: two endings recorded at the same moment (each would write
the record it read plus its own ending), or two new named saves whose names make the same file
name (each would find the name free). `game.engine.saves.folder_lock` serialises both. Each
round here releases two processes from a barrier onto the same folder; run without the lock,
these lose an ending or a save within a few rounds.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game
from game.engine.saves import SaveInfo, SaveStore

STORY = Path(__file__).parents[1] / "tui" / "story"
ROUNDS = 40

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the folder lock is POSIX's (flock)")


def _worker(side: int, root: str, barrier, rounds: int, action: str) -> None:
    story = load_story(STORY)
    game = Game(story)
    for round_ in range(rounds):
        store = SaveStore(Path(root) / f"round-{round_}", story)
        barrier.wait(timeout=30)
        if action == "ending":
            assert store.record_ending(f"ending-{side}") is None
        else:  # two names, one file name: "Night shift" and "Night-shift" are both save-night-shift
            store.save(game, ("Night shift", "Night-shift")[side])


def _race(tmp_path: Path, action: str) -> None:
    context = multiprocessing.get_context("spawn")  # a clean interpreter each, as a second tab is
    barrier = context.Barrier(2)
    workers = [context.Process(target=_worker, args=(side, str(tmp_path), barrier, ROUNDS, action)) for side in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0, f"a worker failed ({worker.exitcode})"


def test_two_endings_recorded_at_the_same_instant_are_both_kept(tmp_path):
    _race(tmp_path, "ending")
    story = load_story(STORY)
    for round_ in range(ROUNDS):
        reached, problem = SaveStore(tmp_path / f"round-{round_}", story).reached()
        assert problem is None and sorted(reached) == ["ending-0", "ending-1"], f"round {round_}"


def test_two_new_saves_made_at_the_same_instant_are_both_kept(tmp_path):
    _race(tmp_path, "save")
    story = load_story(STORY)
    for round_ in range(ROUNDS):
        store = SaveStore(tmp_path / f"round-{round_}", story)
        slots = store.slots()
        assert all(isinstance(s, SaveInfo) for s in slots), f"round {round_}: {slots}"
        assert sorted(s.name for s in slots) == ["Night shift", "Night-shift"], f"round {round_}"
        assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]
