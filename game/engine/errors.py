"""Located diagnostics: every author mistake becomes one `path:line:col` message.

The loader never raises on the first problem; it collects `Diagnostic`s so an
author sees every mistake of a story at once, sorted like a compiler's output.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from msgspec import Struct

Severity = Literal["error", "warning"]


class Loc(Struct, frozen=True, order=True, array_like=True, gc=False):
    """A 1-based position in a story file, path relative to the story folder (line 0: the whole file)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        if self.line <= 0:  # a whole file or folder, no position inside it
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message for an author, printed in compiler format.

    A dataclass rather than a `msgspec.Struct` like the model: diagnostics are never
    stored, and `__post_init__`, which cleans the message, is looked up on each
    construction (the message catalogue's test watches it to see which checks run).
    """

    loc: Loc
    message: str
    severity: Severity = "error"
    code: str = "error"

    def __post_init__(self) -> None:
        # Messages quote author text: keep them on one line and free of terminal escapes.
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message}"

    def sort_key(self) -> tuple[str, int, int, bool, str]:
        return (self.loc.path, self.loc.line, self.loc.col, self.severity != "error", self.message)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.loc.path,
            "line": self.loc.line,
            "col": self.loc.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class Diagnostics:
    """A collector the compiler threads through every check."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, loc: Loc, message: str, code: str = "error") -> None:
        self.items.append(Diagnostic(loc, message, "error", code))

    def warning(self, loc: Loc, message: str, code: str = "warning") -> None:
        self.items.append(Diagnostic(loc, message, "warning", code))

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        self.items.extend(diags)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sort_diagnostics(self.items)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once, in compiler order: by file, line, column, errors before warnings."""
    return sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)


class StoryError(Exception):
    """Raised when a story cannot be loaded; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sort_diagnostics(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


#: Every character that can drive a terminal or reorder what it shows: C0 and C1 controls, DEL,
#: line and paragraph separators, and the bidirectional marks, embeddings, overrides and
#: isolates. Text from a story, a save or a file name never reaches a terminal with one of these
#: in it; this is the one list of them (`game.present.terminal` builds its players' and
#: authors' filters from it).
CONTROL_CHARACTERS = frozenset(
    (
        *range(0x00, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        0x061C,  # Arabic letter mark
        0x200E,  # left-to-right mark
        0x200F,  # right-to-left mark
        0x2028,  # line separator
        0x2029,  # paragraph separator
        *range(0x202A, 0x202F),  # embeddings and overrides
        *range(0x2066, 0x206A),  # isolates
    )
)


def escape_table(keep: str = "") -> dict[int, str]:
    """A `str.translate` table that shows each control character as an escape (`\\x1b`), but those in `keep`."""
    return {c: (f"\\x{c:02x}" if c <= 0x7F else f"\\u{c:04x}") for c in CONTROL_CHARACTERS if chr(c) not in keep}


_MESSAGE_ESCAPES = escape_table(keep="\n")
MAX_MESSAGE = 400


def printable(message: str) -> str:
    """One line, no control characters: story text quoted in a message cannot drive the terminal."""
    message = message.translate(_MESSAGE_ESCAPES).replace("\n", "⏎")
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close candidate exists, else ''."""
    match = closest(name, candidates)
    return f" (did you mean '{match}'?)" if match is not None else ""


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate `name` is most likely a misspelling of, if one is close enough."""
    import difflib  # only when a name is unknown: not on the way to the first screen

    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
