"""Story text made safe for a terminal: no escape sequences, no control characters.

Shared by the Textual app and plain mode (so it must not import Textual). The
Textual side also never parses story text as markup: it wraps it in
`Content(...)`, which is always literal.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which some terminals obey as ESC + x).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A whole ANSI/VT escape sequence: CSI ... final byte, OSC ... BEL/ST, or ESC + one char.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: object) -> str:
    """`text` as plain printable characters: escape sequences removed whole, other controls dropped."""
    value = str(text).replace("\r\n", "\n").replace("\t", "    ")
    return _CONTROL.sub("", _ESCAPE.sub("", value))
