"""`play --plain --watch`: line mode looks at the story files before each prompt."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.saves import SaveStore
from game.engine.watch import StoryWatcher
from game.plain_watch import run_plain_watching

FIXTURE = Path(__file__).parent / "tui" / "story"
GRAPES = "The grapes hang heavy in the heat."


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MILLION_MILES_HOME", str(home))
    return home


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "live-story"
    shutil.copytree(FIXTURE, copy)
    return copy


def edit(root: Path, name: str, old: str, new: str) -> Callable[[], None]:
    """An edit to make between two answers, as an editor's save would (a later modification time)."""

    def run() -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        before = path.stat().st_mtime_ns
        path.write_text(text.replace(old, new), encoding="utf-8")
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))

    return run


class Script(io.StringIO):
    """Standard input that answers line by line and makes the scripted edits between answers."""

    def __init__(self, *steps: str | Callable[[], None]) -> None:
        super().__init__()
        self.steps = list(steps)

    def readline(self, size: int = -1) -> str:
        while self.steps:
            step = self.steps.pop(0)
            if callable(step):
                step()
            else:
                return step + "\n"
        return ""


def play(root: Path, home: Path, *steps: str | Callable[[], None]) -> str:
    story = load_story(root)
    out = io.StringIO()
    assert run_plain_watching(story, SaveStore(home, story), StoryWatcher(root), stdin=Script(*steps), stdout=out) == 0
    return out.getvalue()


def test_an_edit_is_reloaded_when_the_player_answers_and_the_scene_printed_again(root, private_home):
    out = play(
        root,
        private_home,
        "1",
        "1",  # help with the ropes, continue: the rows
        edit(root, "1_fields.yaml", GRAPES, "The grapes are ripe."),
        "",
        "1",
    )
    after = out[out.index("Reloaded: 1 file changed.") :]
    assert "== The Fields · The Rows ==" in after and "The grapes are ripe." in after
    assert "Grit: 2" in after
    assert "== The Applications · The Desk ==" in after  # play went on, on the new version


ATTIC = """
  attic:
    title: The Attic
    text: Dust.
    goto: dawn
"""


def test_what_check_finds_follows_the_reloaded_scene_and_is_said_again_only_when_it_changes(root, private_home):
    def add_attic() -> None:
        path = root / "1_fields.yaml"
        path.write_text(path.read_text(encoding="utf-8") + ATTIC, encoding="utf-8")

    out = play(
        root,
        private_home,
        "1",
        add_attic,
        "",
        edit(root, "1_fields.yaml", ATTIC, ""),
        "",
        "quit",
    )
    first, second = [out.index("Reloaded: 1 file changed.", at) for at in (0, out.index("Reloaded") + 1)]
    after_first = out[first:second]
    scene_at = after_first.index("== The Fields · The Road North ==")
    found_at = after_first.index("check finds 2 problems in this version:")
    assert scene_at < found_at, "the reloaded scene is printed first, what check finds after it"
    attic = f"{root}/1_fields.yaml:42:3: warning: scene 'attic' is never reached: no path from the start leads here"
    assert attic in after_first and "warning: scene 'desk' needs 20 lines" in after_first
    after_second = out[second:]
    assert "check finds 1 problem in this version:" in after_second and attic not in after_second
    assert out.count("scene 'desk' needs 20 lines") <= 3  # at the start (if it came in time), then on each change


def test_an_answer_typed_for_the_old_version_is_set_aside(root, private_home):
    out = play(
        root,
        private_home,
        "1",
        "1",
        edit(
            root,
            "1_fields.yaml",
            "      - text: Mail your first application to NASA\n"
            "        set: {applications: applications + 1}\n"
            "        goto: desk\n",
            "",
        ),
        "3",
        "2",
        "quit",
    )
    after = out[out.index("Reloaded: 1 file changed.") :]
    assert "(Your choice '3' was for the old version: it was not taken. Choose again.)" in after
    assert "1. Write a letter home\n2. Stay in the valley" in after
    assert "THE END: Home" in after  # the 2 typed after the reload


def test_a_command_typed_after_an_edit_is_taken(root, private_home):
    out = play(root, private_home, "1", edit(root, "1_fields.yaml", GRAPES, "Ripe."), "undo")
    after = out[out.index("Reloaded: 1 file changed.") :]
    assert "(undone)" in after and "== The Fields · First Light ==" in after
    assert out.rstrip().endswith("Goodbye.")


def test_a_broken_edit_prints_located_errors_once_and_play_goes_on(root, private_home):
    out = play(
        root,
        private_home,
        "1",
        "1",
        edit(root, "1_fields.yaml", "        goto: desk", "        goto: dek"),
        "1",
        "look",
        edit(root, "1_fields.yaml", "        goto: dek", "        goto: desk"),
        "",
        "quit",
    )
    line = f"{root}/1_fields.yaml:34:15: error: unknown scene 'dek' (did you mean 'desk'?)"
    assert "The story on disk has 1 error; you are playing the last version that loaded:" in out
    assert out.count(line) == 1
    broken = out.index(line)
    assert "== The Applications · The Desk ==" in out[broken:]  # the answer was taken on the last good version
    assert "Reloaded: 1 file changed." in out[broken:]


def test_a_reload_on_the_title_menu_takes_the_answer_and_prints_no_scene(root, private_home):
    out = play(
        root, private_home, "menu", edit(root, "story.yaml", "title: Fixture Orbit", "title: Orbit Two"), "5", "7"
    )
    after = out[out.index("Reloaded: 1 file changed.") :]
    assert "Endings found: 0 of 3" in after
    assert "== " not in after


def test_the_command_line_takes_watch_in_plain_mode(root, private_home):
    env = {**os.environ, "MILLION_MILES_HOME": str(private_home), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", "--watch", str(root)],
        input="1\n1\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "== The Fields · The Road North ==" in result.stdout and result.stderr == ""


def test_watching_a_story_broken_at_launch_waits_for_a_fix(root, private_home):
    """An author who starts `play --watch` mid-edit is shown the errors and the game starts once they
    are fixed, instead of the command giving up."""
    import threading

    fields = root / "1_fields.yaml"
    good = fields.read_text(encoding="utf-8")
    fields.write_text(good.replace("goto: road", "goto: raod", 1), encoding="utf-8")
    env = {**os.environ, "MILLION_MILES_HOME": str(private_home), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", "play", "--plain", "--watch", str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    arrived = threading.Condition()

    def read() -> None:
        for line in iter(proc.stderr.readline, ""):  # type: ignore[union-attr]
            with arrived:
                lines.append(line)
                arrived.notify_all()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()

    def wait_for(text: str) -> None:
        """Wait, up to 30 seconds, for `text` on the game's error stream (woken by each line read)."""
        with arrived:
            assert arrived.wait_for(lambda: text in "".join(lines), timeout=30), "".join(lines)

    try:
        wait_for("the game starts as soon as it loads")
        assert "unknown scene 'raod' (did you mean 'road'?)" in "".join(lines)
        edit(root, "1_fields.yaml", "goto: raod", "goto: rod")()  # still wrong
        wait_for("1 file changed; still:")
        wait_for("unknown scene 'rod'")
        edit(root, "1_fields.yaml", "goto: rod", "goto: road")()  # fixed: the game starts
        out = proc.communicate("1\n1\n", timeout=30)[0]  # new game, then the first choice
    finally:
        proc.kill()
    assert proc.returncode == 0, "".join(lines)
    assert "== The Fields · The Road North ==" in out
