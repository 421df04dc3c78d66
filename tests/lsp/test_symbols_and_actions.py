"""Document and workspace symbols, and the quick fix of every "did you mean"."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SCENES, apply_edits, diagnostics_until, open_file, position_of

pytestmark = pytest.mark.asyncio


async def test_the_outline_of_a_scene_file_and_of_story_yaml(client, story):
    document = open_file(client, story / "chapter1.yaml")
    [chapter] = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(document))
    )
    assert (chapter.name, chapter.kind) == ("The Storm", types.SymbolKind.Namespace)
    assert [(s.name, s.detail) for s in chapter.children] == [
        ("harbor", "The Harbor"),
        ("lighthouse", "The Lighthouse"),
        ("morning", "Morning"),
    ]
    assert chapter.children[1].selection_range.start == position_of(SCENES, "lighthouse:")
    document = open_file(client, story / "story.yaml")
    groups = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(types.TextDocumentIdentifier(document))
    )
    assert [(g.name, [c.name for c in g.children]) for g in groups] == [
        ("variables", ["courage"]),
        ("endings", ["lit", "ashore"]),
    ]


async def test_workspace_symbols_find_scenes_and_endings_by_name_or_title(client, story):
    open_file(client, story / "chapter1.yaml")
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="light"))
    names = sorted(s.name for s in found)
    assert names == ["lighthouse — The Lighthouse", "lit — The Light Holds"]


async def test_did_you_mean_is_one_quick_fix_away(client, story):
    broken = SCENES.replace("goto: morning", "goto: mornin").replace("    title: The Harbor", "    titel: The Harbor")
    document = open_file(client, story / "chapter1.yaml", broken)
    found = await diagnostics_until(client, document, lambda ds: len(ds) >= 2, "both mistakes")
    fixed = broken
    for diagnostic in found:
        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                types.TextDocumentIdentifier(document), diagnostic.range, types.CodeActionContext([diagnostic])
            )
        )
        [action] = actions
        assert action.kind == types.CodeActionKind.QuickFix and action.title.startswith("Change '")
        fixed = apply_edits(fixed, action.edit.changes[document])
    assert fixed == SCENES
