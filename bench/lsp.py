"""The language server under a scripted editor, in a process of its own.

    python -m bench.lsp latency STORY EDITS [SETTLE]    an edit to one file, to that file's diagnostics
    python -m bench.lsp memory STORY           the server's resident memory with the story checked and indexed

The client here is a few lines of JSON-RPC over the server's standard input and
output, as an editor speaks it: `million-miles lsp` is started as a process,
initialized on the story folder, and one scene file is opened. `latency` then
types into that file, one character at a time at a typist's pace (an
incremental change, as editors send them), and times each keystroke from the
moment it is sent to the `publishDiagnostics` of that version of the file.
`memory` reads the server's resident memory from /proc once the story is
checked, its index of names built (a workspace symbol request asks for it) and
the author has paused long enough for the slow findings.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Any

#: Seconds between keystrokes: a quick typist (the server's pause before its slow findings is longer).
KEYSTROKE_GAP = 0.12


class Client:
    """A minimal Language Server Protocol client over a server process's pipes."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "game", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any], timeout: float = 600) -> Any:
        self._next += 1
        self._send({"id": self._next, "method": method, "params": params})
        answer = self.wait(lambda m: m.get("id") == self._next and "method" not in m, timeout)
        return answer.get("result")

    def wait(self, wanted: Any, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                raise TimeoutError(f"nothing wanted in {timeout} s") from None
            if wanted(message):
                return message

    def diagnostics(self, uri: str, version: int | None, timeout: float = 600) -> dict[str, Any]:
        def wanted(m: dict[str, Any]) -> bool:
            params = m.get("params") or {}
            return (
                m.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and (version is None or params.get("version") == version)
            )

        return self.wait(wanted, timeout)

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=30)
            self.notify("exit", {})
            self.process.wait(timeout=30)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()


def _open(client: Client, root: Path) -> tuple[str, str]:
    files = sorted(p for p in root.glob("*.yaml") if p.name != "story.yaml")
    edited = files[len(files) // 2]
    uri = edited.resolve().as_uri()
    text = edited.read_text(encoding="utf-8")
    client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}
    )
    client.diagnostics(uri, 1)
    return uri, text


def latency(story: str, edits: int, settle: float = 3.0) -> str:
    root = Path(story).resolve()
    client = Client(root)
    try:
        uri, text = _open(client, root)
        time.sleep(settle)  # the index and the slow findings of the opened story, not timed
        line = next(i for i, t in enumerate(text.splitlines()) if "text:" in t and "Scene" in t)
        column = text.splitlines()[line].index("Scene") + len("Scene")
        times = []
        for version in range(2, edits + 2):
            change = {
                "range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column}},
                "text": "s",
            }
            started = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            client.diagnostics(uri, version)
            times.append(1000 * (time.perf_counter() - started))
            time.sleep(KEYSTROKE_GAP)
    finally:
        client.close()
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return f"median_ms={statistics.median(times):.2f} p95_ms={p95:.2f} edits={len(times)}"


def _rss(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak, in MB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def memory(story: str) -> str:
    root = Path(story).resolve()
    client = Client(root)
    try:
        started = time.perf_counter()
        _open(client, root)
        first = time.perf_counter() - started
        symbols = client.request("workspace/symbol", {"query": "k1"})
        time.sleep(5)  # the author pauses: the slow findings run (in a child process, not counted here)
        rss, peak = _rss(client.process.pid)
    finally:
        client.close()
    return f"rss_mb={rss:.1f} peak_mb={peak:.1f} first_diagnostics_s={first:.2f} symbols={len(symbols or [])}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["latency"]:
        print(latency(argv[1], int(argv[2]), *(float(a) for a in argv[3:4])))
    elif argv[:1] == ["memory"]:
        print(memory(argv[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
