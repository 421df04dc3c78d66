"""Values, counts and headings as a player reads them, in every face.

Each returns plain text (or, for a heading, pieces of text with a style name a
face may show or ignore); none cleans what it is given: the face does that,
once, where the text meets the terminal (`game.present.terminal.clean`).
"""

from __future__ import annotations

from game.engine.expressions import Value
from game.engine.saves import SaveInfo

#: A heading's pieces: (text, style), the style one of "", "bold", "italic".
Pieces = list[tuple[str, str]]


def shown(value: Value | None) -> str:
    """A variable's value as the side panel, the status line and a save's summary show it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):  # a set (format 2): its members, in order, or "none"
        return ", ".join(sorted(value)) if value else "none"
    return "–" if value is None else str(value)


def difference(old: Value | None, new: Value | None) -> str:
    """'+1' / '−2' for an integer that changed, '' for anything else."""
    if not (isinstance(old, int) and isinstance(new, int)) or isinstance(old, bool) or isinstance(new, bool):
        return ""
    diff = new - old
    if diff == 0:
        return ""
    return f"+{diff}" if diff > 0 else f"−{-diff}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def heading(chapter: str | None, title: str | None) -> Pieces:
    """'Chapter · Title': the chapter in italics beside a title, in bold alone."""
    pieces: Pieces = []
    if chapter:
        pieces += [(chapter, "italic"), ("  ·  ", "")] if title else [(chapter, "bold")]
    if title:
        pieces.append((title, "bold"))
    return pieces


def heading_line(chapter: str | None, title: str | None) -> str:
    """The heading as one line of plain text."""
    return " · ".join(p for p in (chapter, title) if p)


def save_where(entry: SaveInfo) -> str:
    """'Chapter · Scene title' (or the scene id when it has no title)."""
    return heading_line(entry.chapter, entry.scene_title or entry.scene)


def save_summary(entry: SaveInfo) -> str:
    """Where a save stands and its count: 'The Lab · Pay Phone · NASA applications 3'."""
    counter = f" · {entry.counter[0]} {shown(entry.counter[1])}" if entry.counter else ""
    return f"{save_where(entry)}{counter}"


def save_time(entry: SaveInfo) -> str:
    return entry.saved_at.strftime("%Y-%m-%d %H:%M")


def endings_found(found: int, total: int) -> str:
    return f"Endings found: {found} of {total}"
