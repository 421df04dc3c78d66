"""The Textual driver a browser tab's game runs under (`serve` names it in $TEXTUAL_DRIVER).

It is textual-serve's web driver with the two ways out that driver lacks, so that no game
outlives its page. The game autosaved after its last move (game/engine/saves.py), so
stopping here loses nothing; it stops the way a closed tab stops it (Textual's `ExitApp`).

- The server's end of the pipe closes (the server was killed or crashed): textual's web
  driver just stops reading, and the game would wait, orphaned, for ever.
- SIGHUP (the terminal that ran `serve` was closed): by default it kills the game on the
  spot; now it stops it as SIGTERM and SIGINT already do.
"""

from __future__ import annotations

import asyncio
import signal
from contextlib import suppress

from textual import messages
from textual.drivers.web_driver import WebDriver


class GameWebDriver(WebDriver):
    def start_application_mode(self) -> None:
        super().start_application_mode()
        hangup = getattr(signal, "SIGHUP", None)  # none on Windows
        if hangup is not None:
            with suppress(NotImplementedError):
                asyncio.get_running_loop().add_signal_handler(hangup, self._stop_the_game)

    def run_input_thread(self) -> None:
        """Textual's input loop; when it ends without the app having asked (`exit_event`),
        the server is gone: stop the game."""
        super().run_input_thread()
        if not self.exit_event.is_set():
            self._stop_the_game()

    def _stop_the_game(self) -> None:
        self._app.post_message(messages.ExitApp())  # thread-safe: Textual hands it to the app's loop
