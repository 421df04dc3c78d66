"""Positions: the engine counts characters, the Language Server Protocol counts code units.

The engine's `Loc` is 1-based and its columns count Unicode code points (Python
string indices). The protocol's `Position` is 0-based and, unless client and
server agree otherwise at `initialize`, its `character` counts UTF-16 code
units: `é` is one unit, but an emoji outside the Basic Multilingual Plane is
two. A line holding `José 🚀 lamp_rom` must still underline `lamp_rom`, so every
position the server sends or reads goes through `LineIndex`, made from the very
text the client holds (its unsaved buffer, or the file on disk).

Only the negotiated encodings exist: "utf-16" (the protocol's default), "utf-8"
and "utf-32" (which is code points, like the engine).
"""

from __future__ import annotations

import bisect
from typing import Final

from lsprotocol import types

from game.engine.yaml_source import line_starts

UTF8: Final = "utf-8"
UTF16: Final = "utf-16"
UTF32: Final = "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of `encoding` the characters of `text` take."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def characters(line: str, count: int, encoding: str = UTF16) -> int:
    """The character index in `line` that `count` code units of `encoding` reach (clamped to the line)."""
    if encoding == UTF32 or line.isascii():
        return max(0, min(count, len(line)))
    seen = 0
    for index, char in enumerate(line):
        if seen >= count:
            return index
        if encoding == UTF8:
            seen += len(char.encode("utf-8", "surrogatepass"))
        else:
            seen += 2 if ord(char) > 0xFFFF else 1
    return len(line)


class LineIndex:
    """One text's lines, to turn character offsets and engine columns into protocol positions and back."""

    __slots__ = ("text", "encoding", "_starts")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self._starts = line_starts(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line(self, number: int) -> str:
        """Line `number` (0-based) without its line break ('' past the end)."""
        if not 0 <= number < len(self._starts):
            return ""
        start = self._starts[number]
        end = self._starts[number + 1] if number + 1 < len(self._starts) else len(self.text)
        return self.text[start:end].removesuffix("\n").removesuffix("\r")

    def line_start(self, number: int) -> int:
        """The offset of line `number`'s first character."""
        if number < 0:
            return 0
        if number >= len(self._starts):
            return len(self.text)
        return self._starts[number]

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 0-based line and character column of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line, offset - self._starts[line]

    def position(self, line: int, column: int) -> types.Position:
        """The protocol position of 0-based `line` and character `column`."""
        text = self.line(line)
        return types.Position(line=max(0, line), character=units(text[: max(0, column)], self.encoding))

    def position_at(self, offset: int) -> types.Position:
        return self.position(*self.line_col(offset))

    def range(self, line: int, start: int, end: int) -> types.Range:
        """The protocol range of characters `start` to `end` (exclusive) of 0-based `line`."""
        return types.Range(self.position(line, start), self.position(line, end))

    def range_at(self, start: int, end: int) -> types.Range:
        """The protocol range of the character offsets `start` to `end`."""
        return types.Range(self.position_at(start), self.position_at(end))

    def column(self, position: types.Position) -> int:
        """The character column in its line of a protocol position."""
        return characters(self.line(position.line), position.character, self.encoding)

    def offset(self, position: types.Position) -> int:
        """The character offset in the text of a protocol position."""
        return min(self.line_start(position.line) + self.column(position), len(self.text))
