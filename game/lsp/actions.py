"""Code actions: every "did you mean" of the checker, applied in one click.

The engine writes a suggestion into its message (`unknown scene 'lamp_rom'
(did you mean 'lamp_room'?)`), at the place of the wrong name. The action
replaces that name, and only it, by the suggestion: the first quoted name of
the message, found where the diagnostic starts.
"""

from __future__ import annotations

import re

from lsprotocol import types

from game.lsp.diagnostics import DID_YOU_MEAN, SOURCE
from game.lsp.positions import LineIndex

_QUOTED = re.compile(r"'([^']+)'")


def did_you_mean(uri: str, lines: LineIndex, diagnostics: list[types.Diagnostic]) -> list[types.CodeAction]:
    actions = []
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE:
            continue
        suggestion = DID_YOU_MEAN.search(diagnostic.message)
        wrong = _QUOTED.search(diagnostic.message)
        if suggestion is None or wrong is None:
            continue
        line = diagnostic.range.start.line
        text = lines.line(line)
        start = lines.column(diagnostic.range.start)
        at = text.find(wrong.group(1), start)
        if at < 0 or at > lines.column(diagnostic.range.end):
            continue
        edit = types.TextEdit(lines.range(line, at, at + len(wrong.group(1))), suggestion.group(1))
        actions.append(
            types.CodeAction(
                title=f"Change '{wrong.group(1)}' to '{suggestion.group(1)}'",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: [edit]}),
            )
        )
    return actions
