"""A bug of ours, wherever it strikes, loses no play and prints no traceback.

Failures inside a move are covered in tests/tui/test_flows.py (the error screen,
after the autosave). These are the last lines of defence for a failure anywhere
else: the app autosaves before Textual shuts down, and the command line turns any
unexpected exception into one line that says it is our bug.
"""

from __future__ import annotations

import pytest

from game.cli import main
from game.engine.saves import SaveStore


def test_a_crash_outside_a_move_autosaves_before_the_app_stops(tui, fixture_story, home, monkeypatch):
    from game.tui.screens.journal import JournalScreen

    store = SaveStore(home, fixture_story)
    app = tui.app(fixture_story, store)
    played: dict[str, object] = {}

    def broken_compose(self):
        raise RuntimeError("the journal broke")

    async def scenario(pilot):
        await pilot.press("n", "2", "1")
        played["path"] = list(app.session.game.path)
        (store.folder / "autosave.json").unlink()  # only the last line of defence can write it now
        monkeypatch.setattr(JournalScreen, "compose", broken_compose)
        await pilot.press("j")

    with pytest.raises(RuntimeError, match="the journal broke"):
        tui.drive(app, scenario)
    auto = store.autosave_entry()
    assert auto is not None and auto.scene == "rows"
    assert store.load(auto).game.path == played["path"]


def test_an_unexpected_error_in_a_command_is_one_line_not_a_traceback(capsys, monkeypatch):
    import game.commands.check as check

    def broken(args):
        raise KeyError("oops")

    monkeypatch.setattr(check, "run", broken)  # the parser is built afresh and takes this one
    monkeypatch.delenv("MILLION_MILES_DEBUG", raising=False)
    assert main(["check"]) == 70
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.startswith("million-miles: internal error: KeyError: 'oops'\n")
    assert "not in your story" in err and "MILLION_MILES_DEBUG=1" in err
