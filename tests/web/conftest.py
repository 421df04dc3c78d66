"""Fixtures for the game served to a browser: a real `million-miles serve`, and Debian's Chromium
driven by Playwright.

The server runs as a player starts it (`python -m game serve`), on a port it picks itself
(`--port 0`, announced on its first line), with saves in a folder of the test's own. The browser
is the system's (`/usr/bin/chromium`, installed by .ci/run); Playwright never downloads one.
Without it the browser tests skip, saying why.

The page draws the game on a canvas with xterm.js, and textual-serve keeps its terminal out of
reach; `SEE_THE_TERMINAL` (run before the page's own script) keeps a hand on it as the page
creates it, and `GamePage.text` reads its screen buffer: exactly the characters the player sees,
row by row. Every wait is a bounded wait for a condition.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # as root, Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Chromium's own calls home: on a machine without the internet they only fail, and slowly
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000

#: xterm.js's Terminal is created by the page's script as `this.terminal = new Terminal(...)`: a
#: setter on Object.prototype sees it go by, keeps it in `window.__terminal`, and steps aside.
SEE_THE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active && !window.__terminal) window.__terminal = value;
  },
});
"""

#: The terminal's screen as text, one line per row (null until the page has made its terminal).
READ_SCREEN = """() => {
  const terminal = window.__terminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (it comes with the [test] extra)")
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it when it can)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:  # a browser that is there but cannot start here
            pytest.skip(f"Chromium ({executable}) does not start here: {str(exc).splitlines()[0]}")
        yield launched
        launched.close()


# --------------------------------------------------------------------------- the server


class Served:
    """A running `million-miles serve`: its address, saves folder and the games it runs."""

    def __init__(self, save_dir: Path, *args: str, timeout: float = 20.0) -> None:
        self.save_dir = save_dir
        # Its own folders for everything (a module's server starts before a test's private ones
        # are set), and files rather than pipes for what it prints: a pipe nobody reads fills up.
        env = {**os.environ, "MILLION_MILES_HOME": str(save_dir), "MILLION_MILES_CACHE": f"{save_dir}-cache"}
        env.pop("PYTHONUNBUFFERED", None)  # as a player's shell has it: what serve prints must be flushed by serve
        self.out, self.err = Path(f"{save_dir}-stdout.txt"), Path(f"{save_dir}-stderr.txt")
        command = [sys.executable, "-m", "game", "serve", *args, "--port", "0", "--save-dir", str(save_dir)]
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        deadline = time.monotonic() + timeout
        while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)", self.out.read_text())):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"serve did not start:\n{self.out.read_text()}\n{self.err.read_text()}")
            time.sleep(0.05)
        self.url = found.group(1)

    def games(self) -> list[int]:
        """The pids of the server's children: one game per open tab, and nothing else."""
        return children_of(self.process.pid)

    def wait_for_games(self, count: int, timeout: float = 10.0) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(games := self.games()) != count:
            if time.monotonic() > deadline:
                pytest.fail(f"waited {timeout:g}s for {count} game(s); the server runs {len(games)}: {games}")
            time.sleep(0.05)
        return games

    def stop(self) -> tuple[int, str]:
        """Stop the server as Ctrl+C does; its exit status and what it wrote to stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"serve did not stop on SIGINT within 20 s: {self.err.read_text()}")
        return self.process.returncode, self.err.read_text()


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid`, read from /proc (zombies included: a game not yet reaped
    is a game left behind)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


ServeFactory = Callable[..., Served]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeFactory]:
    """`serve(*args)`: start `million-miles serve *args` with a saves folder of this test's own;
    every server started is stopped at the end, and must stop cleanly, leaving no game behind."""
    started: list[Served] = []

    def start(*args: str, save_dir: Path | None = None) -> Served:
        served = Served(save_dir or tmp_path / f"saves-{len(started)}", *args)
        started.append(served)
        return served

    yield start
    for served in started:
        games = served.games()
        status, err = served.stop()
        assert status == 0, err
        assert "Traceback" not in err, err
        assert not [pid for pid in games if alive(pid)], "games outlived their server"


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server of the bundled story for the tests that only open pages and read them."""
    served = Served(tmp_path_factory.mktemp("shared-saves"))
    yield served
    status, err = served.stop()
    assert status == 0 and "Traceback" not in err, err


# --------------------------------------------------------------------------- the page


class GamePage:
    """One browser tab on the game: what it shows, keys pressed into it, and what it fetched."""

    def __init__(self, browser: Any, url: str, width: int = 800, height: int = 600) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.add_init_script(SEE_THE_TERMINAL)
        self.page.goto(url)

    def text(self) -> str:
        return self.page.evaluate(READ_SCREEN) or ""

    def wait_for(self, *pieces: str, timeout: int = WAIT_MS) -> str:
        """Wait until the screen shows every one of `pieces`; return the screen."""
        try:
            self.page.wait_for_function(
                f"pieces => {{ const text = ({READ_SCREEN})(); return text && pieces.every(p => text.includes(p)); }}",
                arg=list(pieces),
                timeout=timeout,
            )
        except Exception as exc:
            if type(exc).__name__ != "TimeoutError":
                raise
            pytest.fail(f"waited {timeout / 1000:g}s for {pieces}; the page shows:\n{self.text()}")
        return self.text()

    def press(self, *keys: str) -> None:
        """Keys typed into the terminal (its input field must have the focus, as after a click)."""
        self.page.focus(".xterm-helper-textarea")
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(text)

    def ended(self) -> bool:
        """Whether the page says the session ended (textual-serve's "Session ended" dialog)."""
        return bool(self.page.evaluate("() => document.body.classList.contains('-closed')"))

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., GamePage]]:
    """`open_page(url, width=800, height=600)`: a new tab on the game; all are closed at the end."""
    pages: list[GamePage] = []

    def open_(url: str, **size: int) -> GamePage:
        page = GamePage(browser, url, **size)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        if not page.page.is_closed():
            page.close()
