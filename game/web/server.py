"""textual-serve's server, with what a game served to players needs on top of it.

textual-serve (1.1) serves the page, holds one websocket per browser tab and runs one
process per websocket. Each tab here runs this game's own `play` (`tab_command`) on
`game.web.driver`, and on top of upstream:

- the process is started without a shell: a story's path may hold any character;
- the page's addresses are the ones the browser used: upstream builds them from the
  address the server listens on, so a game served on 0.0.0.0 sent browsers to ws://0.0.0.0;
- the page fetches nothing from the internet: upstream asks Google Fonts for Roboto Mono,
  whose files textual-serve ships itself, so the page asks this server for them;
- a websocket opened by a page of another site is refused: browsers let any page open one
  to 127.0.0.1, and any site visited could otherwise play (and overwrite) the player's game;
- a tab whose game ended (quit, crash, a story that no longer loads) is told so, and the
  page says "Session ended" instead of waiting for ever; a game that does not stop when its
  page closes is terminated, then killed; and stopping the server stops every game first.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import re
import signal
import sys
from asyncio.subprocess import PIPE, Process
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("million-miles.web")

DRIVER = "game.web.driver:GameWebDriver"
#: How long a game may take to stop once its page has gone, before it is terminated (then killed).
STOP_SECONDS = 5.0
#: The server pings each page this often; a page that stops answering (a laptop shut, a network
#: gone) is closed, and its game stopped, within about two of these.
HEARTBEAT_SECONDS = 15.0


def tab_command(story: Path, save_dir: Path, *, watch: bool = False) -> list[str]:
    """What each browser tab runs: the game's own `play`, on absolute paths (the server's
    working folder is no concern of the game's)."""
    command = [sys.executable, "-m", "game", "play", str(story.absolute()), "--save-dir", str(save_dir.absolute())]
    return [*command, "--watch"] if watch else command


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`: 'localhost' or a loopback address.
    Anything else (0.0.0.0, '', a name, a network address) may be reached from outside."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class Tab(AppService):
    """One browser tab's game: textual-serve's process, started without a shell, which never
    outlives its page."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TEXTUAL_DRIVER"] = DRIVER
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=self._build_environment(width, height)
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Upstream's, then the page hears that the game ended, however it ended. Upstream has
        just copied what the game wrote to stderr (a story's errors) to the server's output: it
        is flushed, so that an author reading a log sees it now, not when the server stops."""
        await super().run()
        sys.stdout.flush()
        with suppress(Exception):  # the page may be gone already
            await self.remote_close()

    async def stop(self) -> None:
        """Stop the game as a closed tab does (upstream asks it to quit and waits for ever);
        one still running `STOP_SECONDS` later is terminated, then killed."""
        process = self._process
        try:
            await asyncio.wait_for(asyncio.shield(super().stop()), STOP_SECONDS)
            if process is not None:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except TimeoutError:
            log.warning("a game did not stop when its page closed: stopping it")
        if process is None or process.returncode is not None:
            return
        for end in (process.terminate, process.kill):
            with suppress(ProcessLookupError):
                end()
            with suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
                return

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid


class GameServer(Server):
    """The page and one game per tab, for `million-miles serve`."""

    def __init__(self, argv: Sequence[str], *, host: str, port: int, title: str) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title=title)
        self.argv = list(argv)
        self.tabs: set[Tab] = set()

    # ------------------------------------------------------------------ running

    async def run(self, ready: Callable[[int], None]) -> None:
        """Listen, call `ready(port)` (the port chosen, if asked for 0), serve until SIGINT,
        SIGTERM or SIGHUP, then stop every game before closing. Raises OSError when the
        address cannot be listened on (the port is taken, the host is not this machine's)."""
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=STOP_SECONDS)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            ready(int(runner.addresses[0][1]))
            stopping = asyncio.Event()
            loop = asyncio.get_running_loop()
            for name in ("SIGINT", "SIGTERM", "SIGHUP"):
                with suppress(AttributeError, NotImplementedError):  # Windows: Ctrl+C raises KeyboardInterrupt
                    loop.add_signal_handler(getattr(signal, name), stopping.set)
            await stopping.wait()
        finally:
            await runner.cleanup()  # calls on_shutdown first

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the `serve` command says what to open (upstream prints its logo and command)."""

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(tab.stop() for tab in list(self.tabs)))

    # ------------------------------------------------------------------ the page

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """Upstream's page, with addresses relative to the browser's and fonts from here."""
        origin = f"{request.scheme}://{request.host}"
        static = f"{origin}/static/"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ("wss" if request.scheme == "https" else "ws") + f"://{request.host}/ws",
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.text = offline_page(response.text or "", static, self.title)
        return response

    # ------------------------------------------------------------------ one game per tab

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Upstream's, with a `Tab` for the game, kept in `tabs` until it has stopped."""
        if not self.trusted(request):
            raise web.HTTPForbidden(text="This game answers only its own page.\n")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        await websocket.prepare(request)
        tab = Tab(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.tabs.add(tab)
        try:
            width = to_int(request.query.get("width", "80"), 80)
            await tab.start(width, to_int(request.query.get("height", "24"), 24))
            await self._process_messages(websocket, tab)
        except asyncio.CancelledError:
            pass  # the server is stopping: the game is stopped below
        except ConnectionError:
            pass  # the page went while we wrote to it (a pong, a frame): it has closed, nothing is wrong
        except Exception as error:  # a malformed message from the page: end this tab only
            log.exception(error)
        finally:
            await tab.stop()
            self.tabs.discard(tab)
            with suppress(Exception):
                await websocket.close()
        return websocket

    def trusted(self, request: web.Request) -> bool:
        """Whether a websocket request comes from this game's own page. Browsers always send
        Origin, and a page of another site cannot forge it. On a loopback-only server the
        address must be a loopback one too, so a site whose name was pointed at 127.0.0.1
        (DNS rebinding) cannot pass as the game's page."""
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
            return False
        return not is_loopback(self.host) or is_loopback(urlsplit(f"//{request.host}").hostname or "")


#: Upstream's page asks Google Fonts for Roboto Mono; textual-serve ships the same font.
_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
_FONT_FACES = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
        src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
        src: url("{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>
    <link rel="preload" href="{static}fonts/RobotoMono-VariableFont_wght.ttf" as="font" type="font/ttf" crossorigin />"""


def offline_page(page: str, static: str, title: str) -> str:
    """The page with its font served from `static` and a title for the browser's tab.
    (If textual-serve's page changes, tests/web/test_browser.py sees any request that leaves
    the machine, and fails.)"""
    page = _FONT_LINK.sub(lambda _: _FONT_FACES.replace("{static}", static), page, count=1)
    return page.replace("<head>", f"<head>\n    <title>{html.escape(title)}</title>", 1)
