"""The engine's diagnostics as the protocol's: a range to underline, a severity, a code.

An engine `Diagnostic` has a start (`Loc`, 1-based, columns in characters) and
no end. The editor needs a range, so the end is read from the text at that
place: the name the message quotes when it is written there (`unknown scene
'lamp_rom'` underlines exactly `lamp_rom`), else the quoted scalar or the word
that starts there, else the rest of the line. A message about a whole file
(line 0) underlines the file's first line. Positions are then counted in the
client's code units (`positions.LineIndex`).
"""

from __future__ import annotations

import re
from typing import Final

from lsprotocol import types

from game.engine.errors import Diagnostic
from game.lsp.positions import LineIndex

SOURCE: Final = "million-miles"
_QUOTED = re.compile(r"'([^']+)'")
_WORD = re.compile(r"[\w.-]+")
#: Codes whose message is about all that is written from its place on (a playthrough's step).
WHOLE_LINE: Final = frozenset({"step"})
#: "(did you mean 'x'?)": the suggestion a code action applies.
DID_YOU_MEAN = re.compile(r"\(did you mean '([^']+)'\?\)")


def span(diagnostic: Diagnostic, lines: LineIndex) -> tuple[int, int, int]:
    """The 0-based line and the character columns [start, end) a diagnostic underlines."""
    loc = diagnostic.loc
    if loc.line <= 0:
        first = lines.line(0)
        return 0, 0, len(first)
    line = min(loc.line - 1, max(0, lines.line_count - 1))
    text = lines.line(line)
    start = min(max(0, loc.col - 1), len(text))
    rest = text[start:]
    if diagnostic.code in WHOLE_LINE:
        return line, start, start + len(rest.split(" #", 1)[0].rstrip())
    quoted = _QUOTED.search(diagnostic.message)
    if quoted and rest.startswith(quoted.group(1)):
        return line, start, start + len(quoted.group(1))
    if rest[:1] in ("'", '"'):
        close = rest.find(rest[0], 1)
        return line, start, start + (close + 1 if close > 0 else len(rest))
    word = _WORD.match(rest)
    if word:
        return line, start, start + word.end()
    content = rest.split(" #", 1)[0].rstrip()
    if content:
        return line, start, start + len(content)
    if start > 0:  # the end of a line: underline the character before it
        return line, start - 1, start
    return line, start, min(len(text), start + 1)


def to_lsp(diagnostic: Diagnostic, lines: LineIndex) -> types.Diagnostic:
    line, start, end = span(diagnostic, lines)
    return types.Diagnostic(
        range=lines.range(line, start, end),
        message=diagnostic.message,
        severity=types.DiagnosticSeverity.Error if diagnostic.severity == "error" else types.DiagnosticSeverity.Warning,
        code=diagnostic.code,
        source=SOURCE,
    )
