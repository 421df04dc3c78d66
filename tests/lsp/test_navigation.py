"""Go to definition, find references and hover, for scenes, variables and endings, across files."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import PLAYTHROUGH, SCENES, STORY, open_file, position_of, uri

pytestmark = pytest.mark.asyncio


def where(locations) -> list[tuple[str, int, int]]:
    return sorted((loc.uri.rsplit("/", 1)[-1], loc.range.start.line, loc.range.start.character) for loc in locations)


async def test_definition_of_a_scene_a_variable_and_an_ending(client, story):
    document = open_file(client, story / "chapter1.yaml")
    at = types.TextDocumentIdentifier(document)
    found = await client.text_document_definition_async(
        types.DefinitionParams(at, position_of(SCENES, "lighthouse\n      - text"))
    )
    assert where(found) == [("chapter1.yaml", 13, 2)]
    found = await client.text_document_definition_async(types.DefinitionParams(at, position_of(SCENES, "courage + 1")))
    assert where(found) == [("story.yaml", 3, 2)]
    found = await client.text_document_definition_async(types.DefinitionParams(at, position_of(SCENES, "lit\n")))
    assert where(found) == [("story.yaml", 5, 2)]


async def test_references_of_a_variable_and_a_scene_across_the_story_and_its_playthroughs(client, story):
    document = open_file(client, story / "chapter1.yaml")
    at = types.TextDocumentIdentifier(document)
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=at,
            position=position_of(SCENES, "courage}"),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    # The declaration, the text's braces, the condition, the set key and its value.
    assert where(found) == [
        ("chapter1.yaml", 5, 36),  # after 🚀: two UTF-16 code units
        ("chapter1.yaml", 8, 12),
        ("chapter1.yaml", 9, 14),
        ("chapter1.yaml", 9, 23),
        ("story.yaml", 3, 2),
    ]
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=at,
            position=position_of(SCENES, "lighthouse:"),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert where(found) == [("chapter1.yaml", 10, 14), ("row.playthrough.yaml", 4, 20)]


async def hover(client, document: str, position: types.Position) -> str:
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(document), position))
    assert result is not None
    return result.contents.value


async def test_hover_shows_a_scene_a_variable_an_ending_and_a_keys_documentation(client, story):
    document = open_file(client, story / "chapter1.yaml")
    text = await hover(client, document, position_of(SCENES, "harbor) > 0"))
    assert text.startswith("**scene** `harbor` — The Harbor") and "*The Storm*" in text and "> José 🚀 waits." in text
    text = await hover(client, document, position_of(SCENES, "courage >= 1"))
    assert text == "**variable** `courage`: integer, default `1`; shown as **Courage**; range 0 to 5"
    text = await hover(client, document, position_of(SCENES, "ashore"))
    assert text == "**ending** `ashore` — Ashore"
    text = await hover(client, document, position_of(SCENES, "once" if "once" in SCENES else "goto: morning"))
    assert text.startswith("**goto** (required, goto)")
    story_document = open_file(client, story / "story.yaml")
    text = await hover(client, story_document, position_of(STORY, "lit"))
    assert text == "**ending** `lit` — The Light Holds\n\nThe lamp burns again."


async def test_hover_in_a_playthrough(client, story):
    document = open_file(client, story / "tests" / "row.playthrough.yaml")
    text = await hover(client, document, position_of(PLAYTHROUGH, "lighthouse"))
    assert text.startswith("**scene** `lighthouse` — The Lighthouse")
    assert uri(story / "tests" / "row.playthrough.yaml") == document
