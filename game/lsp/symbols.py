"""Document and workspace symbols: the outline of a file (chapters, scenes, endings, variables, snippets) and of
the story."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lsprotocol import types

from game.lsp.index import FileIndex, Symbol
from game.lsp.positions import LineIndex

_KINDS: dict[str, types.SymbolKind] = {
    "chapter": types.SymbolKind.Namespace,
    "scene": types.SymbolKind.Class,
    "ending": types.SymbolKind.EnumMember,
    "variable": types.SymbolKind.Variable,
    "snippet": types.SymbolKind.Constant,
    "group": types.SymbolKind.Module,
}


def document_symbols(found: FileIndex, lines: LineIndex) -> list[types.DocumentSymbol]:
    return [_document_symbol(symbol, lines) for symbol in found.symbols]


def _document_symbol(symbol: Symbol, lines: LineIndex) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name,
        kind=_KINDS[symbol.kind],
        detail=symbol.detail or None,
        range=lines.range_at(symbol.start, symbol.end),
        selection_range=lines.range_at(symbol.select_start, symbol.select_end),
        children=[_document_symbol(child, lines) for child in symbol.children] or None,
    )


def flatten(symbols: Iterable[Symbol], container: str | None = None) -> Iterable[tuple[Symbol, str | None]]:
    """Every symbol of an outline with the name of what holds it (groups are left out)."""
    for symbol in symbols:
        if symbol.kind != "group":
            yield symbol, container
        yield from flatten(symbol.children, symbol.name if symbol.kind != "group" else container)


def matches(query: str, name: str) -> bool:
    """The query's characters appear in the name in order, ignoring case (how editors filter symbols)."""
    at = 0
    name = name.casefold()
    for char in query.casefold():
        at = name.find(char, at) + 1
        if at == 0:
            return False
    return True


def workspace_symbols(
    files: Iterable[tuple[str, FileIndex]], query: str, lines_of: Callable[[FileIndex], LineIndex | None]
) -> list[types.WorkspaceSymbol]:
    """Chapters, scenes, endings and variables of every file whose name or detail matches `query`."""
    out = []
    for uri, found in files:
        lines = None
        for symbol, container in flatten(found.symbols):
            if not (matches(query, symbol.name) or (symbol.detail and matches(query, symbol.detail))):
                continue
            lines = lines or lines_of(found)
            if lines is None:
                break
            out.append(
                types.WorkspaceSymbol(
                    name=symbol.name
                    if not symbol.detail or symbol.kind == "chapter"
                    else f"{symbol.name} — {symbol.detail}",
                    kind=_KINDS[symbol.kind],
                    location=types.Location(uri, lines.range_at(symbol.select_start, symbol.select_end)),
                    container_name=container,
                )
            )
    return out
