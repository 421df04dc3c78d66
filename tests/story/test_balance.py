"""docs/balance.md is the bundled story's stat report as it is now, and the story meets its targets.

Regenerate the file with `python -m game.authoring.balance > docs/balance.md`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.authoring.balance import BUNDLED_COMMAND, report
from game.bundled import bundled_story_path
from game.engine.explore import explore_exhaustive
from game.engine.loader import load_story

ROOT = Path(__file__).resolve().parents[2]
#: No stat may spend more than this share of random play at its maximum.
CAP_SHARE = 0.20


@pytest.fixture(scope="module")
def balance():
    folder = bundled_story_path()
    return report(load_story(folder), playthroughs=sorted((folder / "playthroughs").glob("*.playthrough.yaml")))


def test_docs_balance_is_current(balance):
    committed = (ROOT / "docs" / "balance.md").read_text(encoding="utf-8")
    assert committed == balance.markdown(BUNDLED_COMMAND), f"docs/balance.md is stale: run `{BUNDLED_COMMAND}`"


def test_the_stats_are_study_family_and_resolve(balance):
    assert list(balance.random.shares) == ["study", "family", "resolve"]


def test_every_ending_is_reached_in_random_play_and_by_some_path(balance):
    assert balance.unreached == [] and balance.random.unfinished == 0
    assert set(balance.shortest) == set(balance.story.endings)


def test_no_stat_sits_at_its_maximum_for_long(balance):
    for share in balance.random.shares.values():
        assert share.share_at_max < CAP_SHARE, share.label
        assert share.share_at_min < CAP_SHARE, share.label


def test_the_stats_decide_endings(balance):
    assert len(balance.endings_depending_on_stats()) >= 2
    by_stat = {d.name: d for d in balance.dependences}
    assert by_stat["study"].depends("washout") and by_stat["family"].depends("distance")
    assert by_stat["resolve"].depends("livermore") and by_stat["resolve"].depends("ground")


def test_the_canonical_path_keeps_its_stats_off_the_ceiling(balance):
    name, ending, shares, first_cap = next(p for p in balance.paths if p[0] == "Twelve applications, and the launch")
    assert ending == "launch"
    assert first_cap > 23  # the first edition had all three at their maximum by step 23
    assert all(s.share_at_max < 0.5 for s in shares.values())


def test_every_path_is_explored_quickly():
    """The state space stays well inside `check`'s bound of 200,000 states (about 120,000 today:
    the three stats, 0 to 7, are the only variables a choice or a branch reads)."""
    result = explore_exhaustive(load_story(bundled_story_path()))
    assert result.complete and result.states < 150_000
