"""Completion: scene ids, variables, endings, keys with their documentation, and choice texts in playthroughs."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import PLAYTHROUGH, SCENES, STORY, open_file, position_of

pytestmark = pytest.mark.asyncio


async def complete(client, document: str, position: types.Position) -> dict[str, types.CompletionItem]:
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(document), position)
    )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return {item.label: item for item in items}


async def test_scene_ids_after_goto_with_their_titles(client, story):
    text = SCENES.replace("goto: lighthouse", "goto: li")
    document = open_file(client, story / "chapter1.yaml", text)
    items = await complete(client, document, position_of(text, "goto: li", len("goto: li")))
    assert {"harbor", "lighthouse", "morning"} <= set(items)
    assert items["lighthouse"].detail == "The Lighthouse"
    edit = items["lighthouse"].text_edit
    assert isinstance(edit, types.TextEdit) and edit.new_text == "lighthouse"
    assert edit.range.start == position_of(text, "li\n")  # replaces what is typed


async def test_scene_ids_in_visits_and_variables_in_expressions(client, story):
    document = open_file(client, story / "chapter1.yaml")
    items = await complete(client, document, position_of(SCENES, "harbor) > 0"))
    assert set(items) == {"harbor", "lighthouse", "morning"}
    items = await complete(client, document, position_of(SCENES, "courage >= 1"))
    assert "courage" in items and {"and", "not", "visits"} <= set(items)
    assert items["courage"].detail == "default 1 · Courage"


async def test_variables_as_set_keys_in_set_values_and_between_braces(client, story):
    text = SCENES.replace("set: {courage: courage + 1}", "set: {c").replace("{courage}.", "{cou")
    document = open_file(client, story / "chapter1.yaml", text)
    items = await complete(client, document, position_of(text, "set: {c", len("set: {c")))
    assert list(items) == ["courage"] and items["courage"].text_edit.new_text == "courage: "
    items = await complete(client, document, position_of(text, "{cou", len("{cou")))
    assert list(items) == ["courage"] and items["courage"].text_edit.new_text == "courage}"


async def test_ending_ids_after_ending(client, story):
    text = SCENES.replace("ending: lit", "ending: ")
    document = open_file(client, story / "chapter1.yaml", text)
    items = await complete(client, document, position_of(text, "ending: \n", len("ending: ")))
    assert set(items) == {"lit", "ashore"} and items["lit"].detail == "The Light Holds"


async def test_keys_with_the_format_tables_documentation(client, story):
    text = SCENES.replace("        goto: morning\n", "        goto: morning\n        o\n")
    document = open_file(client, story / "chapter1.yaml", text)
    items = await complete(client, document, position_of(text, "        o\n", len("        o")))
    # A choice's keys not written yet: `text` and `goto` are already there.
    assert set(items) == {"if", "set", "once"}
    assert items["once"].documentation.value == "Offer this choice only until it has been taken once."
    document = open_file(client, story / "story.yaml", STORY.split("variables:")[0] + "\n")
    items = await complete(client, document, types.Position(2, 0))
    # title and start are written; `snippets` is format 2's, and this story declares no format
    assert set(items) == {"format", "variables", "endings"}
    assert items["variables"].text_edit.new_text == "variables: "


async def test_a_playthrough_completes_the_choices_offered_at_its_step(client, story):
    text = PLAYTHROUGH.replace("  - choose: Row out\n", "  - choose: Row out\n  - choose: \n")
    document = open_file(client, story / "tests" / "row.playthrough.yaml", text)
    at_second = position_of(text, "choose: \n", len("choose: "))
    items = await complete(client, document, at_second)
    assert list(items) == []  # after "Row out" the story has ended: nothing to choose
    text = PLAYTHROUGH.replace("  - choose: Row out\n", "  - choose: \n")
    document = open_file(client, story / "tests" / "row.playthrough.yaml", text, version=2)
    items = await complete(client, document, position_of(text, "choose: \n", len("choose: ")))
    assert list(items) == ["Row out", "Wait for morning"]
    items = await complete(client, document, position_of(text, "lighthouse, "))
    assert {"harbor", "lighthouse", "morning"} <= set(items)
