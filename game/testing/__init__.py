"""Prove a story works without playing it by hand: scripted playthroughs, from files or from code.

From code (for tests that need loops or fixtures)::

    from game.testing import play

    def test_the_twelfth_application_reaches_houston():
        player = play("scenes", start="nasa_eleventh_letter", state={"applications": 11})
        player.choose("Drive to Houston").expect(scene="sturckow_office", state={"applications": 12})

From files: `run_file(path)` / `run_paths(paths)` run `*.playthrough.yaml`
files (the format is in docs/testing.md); `million-miles test` and the pytest
plugin are built on them.
"""

from game.testing.playthrough import Choose, Expect, Playthrough, Type, check_against, read_playthrough
from game.testing.runner import (
    Player,
    PlaythroughFailure,
    Result,
    StoryCache,
    find_playthroughs,
    play,
    run_file,
    run_paths,
    run_playthrough,
    take_step,
)

__all__ = [
    "Choose",
    "Expect",
    "Player",
    "Playthrough",
    "PlaythroughFailure",
    "Result",
    "StoryCache",
    "Type",
    "check_against",
    "find_playthroughs",
    "play",
    "read_playthrough",
    "run_file",
    "run_paths",
    "run_playthrough",
    "take_step",
]
