"""Startup as a player meets it: a real pseudo-terminal at 80x24, timed until the text is on the screen.

    python -m bench.terminal [STORY]     prints bare/play/title-n times, one run each (the bench repeats it)
    python -m bench.terminal --instructions [STORY]
                                         the same three, counted in instructions under callgrind
    python -m bench.terminal app         (internal) the bare Textual app, run for real in the terminal

The headless probe (`bench.startup`) stops the clock when Textual has laid the first frame
out; a player waits until the terminal shows it. Here each side runs as a player starts it,
in a pseudo-terminal of 80x24 whose output is read as it comes, and the clock stops when the
awaited words have been written to the terminal: the bare app's greeting, the first scene's
first words (`play`), or the title menu and then, after the key `n`, the first scene
(`play --title`). Also reported: when each side switched the terminal to its full screen
(the alternate screen), which is when Textual's driver starts.

Instructions are counted up to the moment callgrind is told to dump, a little after the words
reach the terminal; under callgrind the game runs some fifty times slower while timers keep the
clock's pace, so what a timer starts just after the words (the chapter card that fades in over a
new game's first scene) may or may not be counted: the title-then-n count moves by up to 150 M
between runs for that reason alone. Compare `play` and the title by instructions, and the
title-then-n path by the clock.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROWS, COLUMNS = 24, 80
ENTER_ALT = b"\x1b[?1049h"
GREETING = "Hello from a bare Textual app"
REPO = Path(__file__).resolve().parent.parent


class Terminal:
    """A pseudo-terminal running one process, its output collected (and timed) as it comes."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.output = bytearray()
        self.lock = threading.Condition()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "TERM": "xterm-256color", **(env or {})},
            start_new_session=True,
        )
        os.close(slave)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            with self.lock:
                if chunk:
                    self.output += chunk
                self.lock.notify_all()
            if not chunk:
                return

    def wait_for(self, fragment: bytes, timeout: float = 60) -> float:
        """Milliseconds from the start until `fragment` has been written to the terminal."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while fragment not in self.output:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None and fragment not in self.output:
                    tail = bytes(self.output[-400:])
                    raise RuntimeError(f"{fragment!r} never reached the terminal; it shows {tail!r}")
                self.lock.wait(min(left, 0.05))
            return (time.perf_counter() - self.started) * 1000

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)


def bare_app() -> None:
    """The baseline: a bare Textual app (Header, Static, Footer), run as any app runs."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(GREETING, id="hello")
            yield Footer()

    Bare().run()


def first_words(story: Path) -> bytes:
    """The first words of the story's first scene, as the full-screen game writes them."""
    from game.engine.loader import load_story
    from game.engine.runtime import Game

    paragraphs = Game(load_story(story)).paragraphs
    return " ".join(paragraphs[0].split()[:3]).encode()


def sides(story: Path) -> list[tuple[str, list[str], list[bytes]]]:
    """What is started and awaited: the bare app, `play`, and `play --title` then `n` (the
    command, then the words awaited before and after the key)."""
    words = first_words(story)
    python = sys.executable
    return [
        ("bare", [python, "-m", "bench.terminal", "app"], [GREETING.encode()]),
        ("play", [python, "-m", "game", "play", str(story)], [words]),
        ("title_n", [python, "-m", "game", "play", str(story), "--title"], [b"New game", words]),
    ]


def measure(story: Path) -> dict[str, float]:
    """One run of each side: the bare app, `play`, and `play --title` then `n`."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home:
        env = {"MILLION_MILES_HOME": home}
        for name, args, waits in sides(story):
            terminal = Terminal(args, env)
            try:
                out[f"{name}_alt_ms"] = terminal.wait_for(ENTER_ALT)
                out[f"{name}_ms"] = terminal.wait_for(waits[0])
                if len(waits) > 1:
                    terminal.send(b"n")
                    out[f"{name}_ms"] = terminal.wait_for(waits[1])
            finally:
                terminal.close()
            # a new game each time: the next `play` must not open on this one's autosave
            for folder in Path(home).iterdir():
                subprocess.run(["rm", "-rf", str(folder)], check=False)
    return out


def _instructions_so_far(pid: int, folder: Path) -> float:
    """Millions of instructions process `pid` ran since the last dump (callgrind zeroes its
    counters at each dump): dump now, read the totals of the dump files not yet read."""
    subprocess.run(["callgrind_control", "--dump", str(pid)], capture_output=True, timeout=300, check=False)
    total = 0
    for dump in sorted(folder.glob(f"cg.{pid}*")):
        if dump.suffix == ".read":
            continue
        total += sum(
            int(line.split()[1]) for line in dump.read_text(errors="replace").splitlines() if line.startswith("totals:")
        )
        dump.rename(dump.with_name(dump.name + ".read"))
    return total / 1e6


def instructions(story: Path) -> dict[str, float]:
    """`measure`'s three sides counted in instructions (callgrind) until the words reach the
    terminal: the same each run to a few percent, where this machine's clock wanders by a third.
    About a minute; needs valgrind. PYTHONHASHSEED is fixed so that dicts iterate alike."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as dumps:
        folder = Path(dumps)
        env = {"MILLION_MILES_HOME": home, "PYTHONHASHSEED": "0"}
        grind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/cg.%p"]
        for name, args, waits in sides(story):
            terminal = Terminal(grind + args, env)
            try:
                terminal.wait_for(waits[0], timeout=600)
                out[f"{name}_M"] = _instructions_so_far(terminal.process.pid, folder)
                if len(waits) > 1:
                    out["title_M"] = out[f"{name}_M"]
                    terminal.send(b"n")
                    terminal.wait_for(waits[1], timeout=600)
                    out[f"{name}_M"] += _instructions_so_far(terminal.process.pid, folder)
            finally:
                terminal.close()
            for folder_in_home in Path(home).iterdir():
                subprocess.run(["rm", "-rf", str(folder_in_home)], check=False)
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["app"]:
        bare_app()
        return 0
    if argv[:1] == ["--instructions"]:
        story = Path(argv[1]) if len(argv) > 1 else REPO / "scenes"
        counted = instructions(story)
        ratios = " ".join(f"{k[:-2]}/bare={v / counted['bare_M']:.3f}" for k, v in counted.items() if k != "bare_M")
        print(" ".join(f"{k}={v:.0f}" for k, v in counted.items()), ratios)
        return 0
    story = Path(argv[0]) if argv else REPO / "scenes"
    print(" ".join(f"{k}={v:.1f}" for k, v in measure(story).items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
