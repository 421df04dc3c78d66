"""Located diagnostics: every author mistake becomes one `path:line:col` message.

The loader never raises on the first problem; it collects `Diagnostic`s so an
author sees every mistake of a story at once, sorted like a compiler's output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from game.engine.records import field, record

Severity = Literal["error", "warning"]


@record(order=True)
class Loc:
    """A 1-based position in a story file, path relative to the story folder."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        if self.line <= 0:  # a whole file or folder, no position inside it
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@record
class Diagnostic:
    """One message for an author, printed in compiler format."""

    loc: Loc
    message: str
    severity: Severity = "error"
    code: str = "error"

    def __post_init__(self) -> None:
        # Messages quote author text: keep them on one line and free of terminal escapes.
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message}"

    def sort_key(self) -> tuple[str, int, int, int, str]:
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


@record(frozen=False)
class Diagnostics:
    """A collector the loader threads through every check."""

    items: list[Diagnostic] = field(default_factory=list)

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
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=Diagnostic.sort_key)


class StoryError(Exception):
    """Raised when a story cannot be loaded; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7F) if c != 0x0A} | {
    c: f"\\u{c:04x}" for c in (*range(0x80, 0xA0), 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E)
}
MAX_MESSAGE = 400


def printable(message: str) -> str:
    """One line, no control characters: story text quoted in a message cannot drive the terminal."""
    message = message.translate(_CONTROL).replace("\n", "⏎")
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close candidate exists, else ''."""
    import difflib  # only when a name is unknown: not on the way to the first screen

    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
