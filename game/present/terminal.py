"""Text from strangers made safe for a terminal: no escape sequence, no control character.

Story text, save names and file names come from anyone. Two policies, built on
the engine's one list of dangerous characters (`CONTROL_CHARACTERS`):

* `clean` is for players: escape sequences are removed whole and other control
  characters dropped, so the story reads as written and cannot drive the screen.
  (The full-screen player also never parses story text as markup.)
* `VisibleControls` is for authors: a stream for the commands' output that shows
  each control character as an escape (`\\x1b`), so a broken file can be diagnosed.
"""

from __future__ import annotations

import re
from typing import TextIO

from game.engine.errors import CONTROL_CHARACTERS, escape_table

_KEPT = "\t\n"
#: Every control character a player's text may not hold (tab and newline are layout).
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(CONTROL_CHARACTERS) if chr(c) not in _KEPT) + "]")
#: A whole ANSI/VT escape sequence: CSI ... final byte, OSC ... BEL/ST, or ESC + one char.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: object) -> str:
    """`text` as plain printable characters: escape sequences removed whole, other controls dropped."""
    value = str(text).replace("\r\n", "\n").replace("\t", "    ")
    return _CONTROL.sub("", _ESCAPE.sub("", value))


class VisibleControls:
    """A text stream that shows control characters as escapes instead of sending them.

    Story titles, choice texts and file names come from strangers; printed raw by
    `check`, `explore`, `graph` or `test`, an escape sequence in them would drive
    the author's terminal. Line breaks and tabs pass through.
    """

    _TABLE = escape_table(keep=_KEPT)

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(text.translate(self._TABLE))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
