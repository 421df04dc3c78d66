"""Diagnostics as you type: every message `check` prints, at the right range, for buffers and files on disk."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SCENES, diagnostics_until, messages, open_file, position_of, replace_all

pytestmark = pytest.mark.asyncio


async def test_an_unsaved_typo_is_underlined_exactly_and_cleared_when_fixed(client, story):
    broken = SCENES.replace("goto: lighthouse", "goto: lighthose")
    document = open_file(client, story / "chapter1.yaml", broken)
    found = await diagnostics_until(
        client, document, lambda ds: any("lighthose" in m for m in messages(ds)), "the typo"
    )
    [typo] = [d for d in found if "lighthose" in d.message]
    assert typo.message == "unknown scene 'lighthose' (did you mean 'lighthouse'?)"
    assert typo.severity == types.DiagnosticSeverity.Error and typo.source == "million-miles"
    start = position_of(broken, "lighthose")
    assert typo.range == types.Range(start, types.Position(start.line, start.character + len("lighthose")))
    replace_all(client, document, SCENES, 2)
    await diagnostics_until(client, document, lambda ds: not any(d.severity == 1 for d in ds), "the fix to clear it")
