"""The terminal is always given back: SIGTERM, SIGHUP and a bug of ours during full-screen play;
and a terminal too small from the start shows what to do.

Each case runs the real game in a real pseudo-terminal (80x24), waits for the first scene on
it, then ends it. Afterwards the terminal must be as it was (tty modes restored), the
alternate screen left and mouse tracking stopped, the game autosaved, and a bug said in the
one line every command uses (exit status 70), not a traceback.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from contextlib import suppress
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.saves import story_folder

FIXTURE = Path(__file__).parent.parent / "tui" / "story"
ENTER_ALT, LEAVE_ALT = b"\x1b[?1049h", b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


class Terminal:
    """A pseudo-terminal running one process, its output collected as it comes."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.master, self.slave = pty.openpty()
        self.resize(size)
        self.modes = termios.tcgetattr(self.slave)
        self.output = bytearray()
        self.process = subprocess.Popen(
            args, stdin=self.slave, stdout=self.slave, stderr=self.slave, env=env, start_new_session=True
        )
        threading.Thread(target=self._read, daemon=True).start()

    def resize(self, size: tuple[int, int]) -> None:
        """Set the terminal's size (columns, rows); a process already running hears of it by SIGWINCH."""
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        if hasattr(self, "process"):
            self.process.send_signal(signal.SIGWINCH)

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, fragment: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while fragment not in self.output:
            assert self.process.poll() is None, f"the game ended early:\n{bytes(self.output)[-2000:]!r}"
            assert time.monotonic() < deadline, f"{fragment!r} never appeared:\n{bytes(self.output)[-2000:]!r}"
            time.sleep(0.02)

    def finish(self, timeout: float = 30) -> int:
        code = self.process.wait(timeout=timeout)
        time.sleep(0.2)  # let the reader take the last bytes the process wrote
        return code

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with suppress(OSError):
                os.close(fd)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def start(home: Path, code: str = "", size: tuple[int, int] = (80, 24)) -> Terminal:
    env = {**os.environ, "MILLION_MILES_HOME": str(home), "TERM": "xterm-256color"}
    for variable in ("MILLION_MILES_DEBUG", "COLUMNS", "LINES"):  # the terminal's own size, as a player's
        env.pop(variable, None)
    program = f"import sys; from game.cli import main\n{code}\nsys.exit(main(['play', {str(FIXTURE)!r}]))"
    return Terminal([sys.executable, "-c", program], env, size)


def assert_given_back(terminal: Terminal) -> None:
    out = bytes(terminal.output)
    assert ENTER_ALT in out and out.rfind(LEAVE_ALT) > out.rfind(ENTER_ALT), "the alternate screen was left"
    assert MOUSE_OFF in out[out.rfind(ENTER_ALT) :], "mouse tracking was stopped"
    assert termios.tcgetattr(terminal.slave) == terminal.modes, "the tty's modes are as they were"


def autosave_scene(home: Path) -> str:
    story = load_story(FIXTURE)
    data = json.loads((home / story_folder(story.identity) / "autosave.json").read_text(encoding="utf-8"))
    return str(data["state"]["scene"])


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_saves_the_game_and_gives_the_terminal_back(home, name):
    terminal = start(home)
    try:
        terminal.wait_for(b"First Light")
        os.write(terminal.master, b"1")  # a move, so that there is something to save
        terminal.wait_for(b"The Road North")
        number = getattr(signal, name)
        terminal.process.send_signal(number)
        assert terminal.finish() == 128 + number
        assert_given_back(terminal)
        assert autosave_scene(home) == "road"
    finally:
        terminal.close()


def test_quitting_gives_the_terminal_back_and_says_once_that_the_game_is_saved(home):
    terminal = start(home)
    try:
        terminal.wait_for(b"First Light")
        os.write(terminal.master, b"1")
        terminal.wait_for(b"The Road North")
        os.write(terminal.master, b"q")
        assert terminal.finish() == 0
        assert_given_back(terminal)
        after = bytes(terminal.output)[bytes(terminal.output).rfind(LEAVE_ALT) :]
        assert after.count(b"Your game is saved.") == 1, after
        assert autosave_scene(home) == "road"
    finally:
        terminal.close()


def test_a_bug_of_ours_is_one_line_and_exit_70_with_the_terminal_given_back(home):
    crash = (
        "from game.tui.widgets.key_bar import KeyBar\n"
        "def broken(self, *args, **kwargs):\n"
        "    raise RuntimeError('a bug planted by the test')\n"
        "KeyBar.on_click = broken\n"
        "import game.tui.screens.scene as scene\n"
        "original = scene.SceneScreen.on_mount\n"
        "def mount(self):\n"
        "    original(self)\n"
        "    self.set_timer(0.3, lambda: (_ for _ in ()).throw(RuntimeError('a bug planted by the test')))\n"
        "scene.SceneScreen.on_mount = mount\n"
    )
    terminal = start(home, crash)
    try:
        assert terminal.finish() == 70
        out = bytes(terminal.output).decode("utf-8", "replace")
        assert "million-miles: internal error: RuntimeError: a bug planted by the test" in out
        assert "Traceback" not in out and "locals" not in out
        assert_given_back(terminal)
        assert autosave_scene(home) == "dawn", "the game was saved before it stopped"
    finally:
        terminal.close()


def test_a_terminal_too_small_from_the_start_says_so_then_shows_the_game_when_enlarged(home):
    """In a real terminal the first size arrives before the app has mounted: the "please enlarge"
    message went up, then opening the game popped it, leaving a broken layout at 50x15 (Pilot's
    headless start gives the size later, so only a real terminal showed it)."""
    terminal = start(home, size=(50, 15))
    try:
        terminal.wait_for(b"Please enlarge the terminal")
        terminal.resize((50, 16))  # still too small: the message, still on top, says the new size
        terminal.wait_for("this one is 50×16".encode())
        out = bytes(terminal.output)
        assert b"First Light" not in out[out.find(b"Please enlarge") :], "the game opened under it, not over it"
        terminal.resize((80, 24))
        terminal.wait_for(b"First Light")
        os.write(terminal.master, b"q")
        assert terminal.finish() == 0
    finally:
        terminal.close()
