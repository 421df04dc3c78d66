"""`million-miles serve` without a browser: what it says, what it refuses, and what happens to a
game whose connection is cut without a goodbye.

The websocket here is spoken by hand over a plain socket (`Socket`), so a test can send exactly
what a page sends, claim to come from another site, or cut the connection dead (a TCP reset: no
closing handshake, as when a browser crashes or a laptop's network drops).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.bundled import bundled_story_path
from game.engine.loader import load_story
from game.engine.saves import SaveInfo, SaveStore
from game.web.server import is_loopback, tab_command


def run_serve(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", "serve", *args], capture_output=True, text=True, timeout=timeout
    )


# --------------------------------------------------------------------------- the command line


def test_a_host_other_than_loopback_is_warned_about_on_stderr():
    """192.0.2.1 is a documentation address, on no machine: the warning comes first, then a plain
    refusal to listen there, and nothing is sent anywhere."""
    done = run_serve("--host", "192.0.2.1", "--port", "0")
    assert done.returncode == 1
    assert "warning: listening on 192.0.2.1" in done.stderr
    assert "no authentication" in done.stderr
    assert "cannot listen on 192.0.2.1" in done.stderr and "Traceback" not in done.stderr
    assert "Serving" not in done.stdout


def test_a_taken_port_is_named_with_what_to_do():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_serve("--port", str(port))
    assert done.returncode == 1
    assert f"port {port} is taken" in done.stderr
    assert f"million-miles serve --port {port + 1}" in done.stderr
    assert "warning" not in done.stderr, "127.0.0.1 is this machine only: no warning"


def test_a_broken_story_is_refused_before_anything_is_served(tmp_path):
    (tmp_path / "story.yaml").write_text("title: Broken\n", encoding="utf-8")
    done = run_serve(str(tmp_path), "--port", "0")
    assert done.returncode == 2
    assert "missing required key 'start'" in done.stderr
    assert "Serving" not in done.stdout


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("", False),
        ("::", False),
        ("192.168.1.20", False),
        ("example.org", False),
    ],
)
def test_which_hosts_are_this_machine_only(host, loopback):
    assert is_loopback(host) is loopback


def test_each_tab_runs_this_games_own_play_on_absolute_paths():
    command = tab_command(Path("my-story"), Path("saves"), watch=True)
    assert command[:4] == [sys.executable, "-m", "game", "play"]
    assert command[4] == str(Path("my-story").absolute())
    assert command[5:] == ["--save-dir", str(Path("saves").absolute()), "--watch"]
    assert "--watch" not in tab_command(Path("s"), Path("d"))


def test_playing_never_loads_the_web_server():
    """textual-serve and aiohttp cost about 0.4 s to import: only `serve` may load them."""
    code = (
        "import sys, game.cli\n"
        "game.cli.build_parser()\n"
        "import game.commands.play, game.tui.app\n"
        "print(sorted(m for m in ('aiohttp', 'textual_serve', 'game.web.server') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- the websocket by hand


class Socket:
    """A websocket client in a few lines: the handshake, text frames, and a dead cut."""

    def __init__(self, port: int, *, origin: str | None = None, host: str | None = None) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /ws?width=100&height=30 HTTP/1.1",
            f"Host: {host or f'127.0.0.1:{port}'}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            *([f"Origin: {origin}"] if origin else []),
        ]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            head += chunk
        head, _, self.received = head.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1])

    def send(self, message: object) -> None:
        """One masked text frame, as browsers send them."""
        payload = json.dumps(message).encode()
        assert len(payload) < 126
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def wait_for(self, piece: bytes, timeout: float = 15) -> None:
        """Read what the game draws until `piece` has gone by."""
        deadline = time.monotonic() + timeout
        while piece not in self.received:
            assert time.monotonic() < deadline, f"waited {timeout:g}s for {piece!r}"
            chunk = self.sock.recv(65536)
            assert chunk, f"the server closed the connection before {piece!r}"
            self.received += chunk

    def cut(self) -> None:
        """Drop the connection dead: a TCP reset, no closing handshake."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


def test_a_websocket_from_another_sites_page_is_refused(serve):
    served = serve()
    port = int(served.url.rsplit(":", 1)[1])
    foreign = Socket(port, origin="http://evil.example")
    assert foreign.status == 403
    rebound = Socket(port, origin=f"http://evil.example:{port}", host=f"evil.example:{port}")
    assert rebound.status == 403, "a name pointed at 127.0.0.1 is not this game's page"
    assert served.games() == []
    own = Socket(port, origin=served.url)
    assert own.status == 101
    own.wait_for(b"Choose")
    served.wait_for_games(1)
    own.cut()
    served.wait_for_games(0)


def test_a_connection_cut_dead_in_the_middle_of_a_move_loses_nothing(serve):
    """Each round sends a choice and cuts the connection dead after a delay, from none at all to
    long enough for the move to be made and saved: the autosave is whole every time, and holds
    the game before or after that move; the game stops; no temporary file is left."""
    served = serve()
    port = int(served.url.rsplit(":", 1)[1])
    store = SaveStore(served.save_dir, load_story(bundled_story_path()))
    moved = 0
    for delay in (0, 0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.3):
        tab = Socket(port, origin=served.url)
        tab.wait_for(b"Choose")
        before = store.autosave_entry()
        assert isinstance(before, SaveInfo)
        tab.send(["stdin", "1"])
        time.sleep(delay)  # the moment of the cut is what this test varies
        tab.cut()
        served.wait_for_games(0)
        after = store.autosave_entry()
        assert isinstance(after, SaveInfo), f"after a cut {delay}s into a move the autosave is {after}"
        old_path = list(before.data["path"])
        assert after.data["path"] in (old_path, [*old_path, 1])
        moved += after.data["path"] != before.data["path"]
        assert store.load(after).game.path == after.data["path"]
        assert not [p for p in store.folder.iterdir() if p.name.endswith(".tmp")]
    assert moved, "no move was ever saved before the cut: the test proved nothing"
