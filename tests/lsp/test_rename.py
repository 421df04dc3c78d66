"""Rename a scene, a variable or an ending in every file, as one workspace edit the checker finds clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from game.commands.check import diagnose
from tests.lsp.conftest import SCENES, STORY, open_file, position_of
from tests.lsp.conftest import apply_workspace_edit as apply

pytestmark = pytest.mark.asyncio


async def rename(client, document: str, position: types.Position, new: str) -> types.WorkspaceEdit:
    edit = await client.text_document_rename_async(
        types.RenameParams(types.TextDocumentIdentifier(document), position, new)
    )
    assert edit is not None and edit.changes
    return edit


def errors(root: Path) -> list[str]:
    story, found = diagnose(root)
    assert story is not None, [str(d) for d in found]
    return [str(d) for d in found if d.severity == "error"]


async def test_renaming_a_scene_renames_it_everywhere_and_the_story_stays_clean(client, story):
    document = open_file(client, story / "chapter1.yaml")
    prepared = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(types.TextDocumentIdentifier(document), position_of(SCENES, "harbor) > 0"))
    )
    assert prepared.placeholder == "harbor"
    edit = await rename(client, document, position_of(SCENES, "harbor) > 0"), "quay")
    texts = apply(edit)
    assert set(texts) == {"chapter1.yaml", "story.yaml"}
    assert "  quay:\n" in texts["chapter1.yaml"] and "visits(quay)" in texts["chapter1.yaml"]
    assert "start: quay" in texts["story.yaml"] and "harbor" not in texts["chapter1.yaml"] + texts["story.yaml"]
    edit = await rename(client, document, position_of(SCENES, "lighthouse:"), "beacon")
    texts = apply(edit)
    assert set(texts) == {"chapter1.yaml", "row.playthrough.yaml"}
    assert "scene: beacon" in texts["row.playthrough.yaml"]
    assert errors(story) == []


async def test_renaming_a_variable_and_an_ending(client, story):
    document = open_file(client, story / "story.yaml")
    texts = apply(await rename(client, document, position_of(STORY, "courage"), "nerve"))
    assert "{nerve}" in texts["chapter1.yaml"] and "set: {nerve: nerve + 1}" in texts["chapter1.yaml"]
    assert "  nerve: {default: 1" in texts["story.yaml"]
    texts = apply(await rename(client, document, position_of(STORY, "lit:"), "lamp"))
    assert "ending: lamp" in texts["chapter1.yaml"] and "ending: lamp}" in texts["row.playthrough.yaml"]
    assert errors(story) == []


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("2nd", "is not a name"),
        ("yes", "would be read by YAML"),
        ("not", "word of the expression"),
        ("x y", "not a name"),
    ],
)
async def test_a_name_the_story_cannot_take_is_refused(client, story, new, why):
    document = open_file(client, story / "story.yaml")
    with pytest.raises(Exception, match=why):
        await client.text_document_rename_async(
            types.RenameParams(types.TextDocumentIdentifier(document), position_of(STORY, "courage"), new)
        )


async def test_a_name_that_exists_is_refused(client, story):
    document = open_file(client, story / "chapter1.yaml")
    with pytest.raises(Exception, match="already has a scene named 'morning'"):
        await client.text_document_rename_async(
            types.RenameParams(types.TextDocumentIdentifier(document), position_of(SCENES, "lighthouse:"), "morning")
        )
