"""The language server on a story of format 2: effects, calls, input, snippets, tags and the brace language.

Each test is an author's session in an editor: go to a definition from inside an
effect, a `call:` or a `{if …}`, complete after `{>` or in a set value, rename a
snippet, hover on `roll(`, and see a playthrough's `draws:` checked as it is typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from game.commands.check import diagnose
from tests.lsp.conftest import apply_workspace_edit as apply
from tests.lsp.conftest import diagnostics_until, messages, open_file, position_of

pytestmark = pytest.mark.asyncio

STORY = """\
format: 2
title: Ferry
start: dock
variables:
  name: {default: Sam, label: Name}
  luck: {default: 0, min: 0, max: 12}
  bag: {default: [], label: Bag}
snippets:
  wind: The wind rises.
  storm: "{>wind} Rain, {name}."
endings:
  across: {title: Across}
  swept: {title: Swept Away}
"""
SCENES = """\
scenes:
  dock:
    title: "{name} at the dock"
    tags: [calm]
    input:
      variable: name
      prompt: Who crosses?
    text: "{>storm} {if visits(dock) > 1: Again. | else: First time.}"
    goto: bank
  bank:
    effects:
      - if: count(bag) > 1
        set: {luck: luck + 1}
    text: "{if 'rope' in bag: You have a rope. | else: Nothing.}"
    choices:
      - text: Ask the ferryman
        call: ferryman
        then: bank
      - text: Cross
        set: {luck: 'roll(2, 6)'}
        goto:
          - {if: "luck >= 7", scene: far}
          - {scene: river}
  ferryman:
    set: {bag: bag + 'rope'}
    text: Take this rope.
    return: true
  far:
    text: Across.
    ending: across
  river:
    text: Gone.
    ending: swept
"""
PLAYTHROUGH = """\
name: Cross on a seven
story: ..
steps:
  - type: Rosa
  - choose: Cross
    draws: [7]
  - expect: {ending: across}
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    root = tmp_path / "ferry"
    (root / "tests").mkdir(parents=True)
    (root / "story.yaml").write_text(STORY, encoding="utf-8")
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    (root / "tests" / "cross.playthrough.yaml").write_text(PLAYTHROUGH, encoding="utf-8")
    return root


def where(locations) -> list[tuple[str, int, int]]:
    return sorted((loc.uri.rsplit("/", 1)[-1], loc.range.start.line, loc.range.start.character) for loc in locations)


async def definition(client, document: str, position: types.Position) -> list[tuple[str, int, int]]:
    found = await client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(document), position)
    )
    return where(found)


async def references(client, document: str, position: types.Position) -> list[tuple[str, int, int]]:
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(document),
            position=position,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    return where(found)


async def complete(client, document: str, position: types.Position) -> dict[str, types.CompletionItem]:
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(document), position)
    )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return {item.label: item for item in items}


async def hover(client, document: str, position: types.Position) -> str:
    result = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(document), position))
    assert result is not None
    return result.contents.value


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n")


# --------------------------------------------------------------------------- navigation


async def test_definition_from_a_call_a_then_an_input_and_names_inside_braces(client, story):
    document = open_file(client, story / "scenes.yaml")
    assert await definition(client, document, position_of(SCENES, "ferryman\n        then")) == [
        ("scenes.yaml", line_of(SCENES, "  ferryman:"), 2)
    ]
    assert await definition(client, document, position_of(SCENES, "bank\n      - text: Cross")) == [
        ("scenes.yaml", line_of(SCENES, "  bank:"), 2)
    ]
    assert await definition(client, document, position_of(SCENES, "name\n      prompt")) == [("story.yaml", 4, 2)]
    assert await definition(client, document, position_of(SCENES, "name} at")) == [("story.yaml", 4, 2)]
    assert await definition(client, document, position_of(SCENES, "dock) > 1")) == [("scenes.yaml", 1, 2)]
    assert await definition(client, document, position_of(SCENES, "bag) > 1")) == [("story.yaml", 6, 2)]
    assert await definition(client, document, position_of(SCENES, "rope. |")) == []  # prose, not a name


async def test_a_snippet_leads_to_story_yaml_and_its_references_are_every_use(client, story):
    document = open_file(client, story / "scenes.yaml")
    assert await definition(client, document, position_of(SCENES, "storm}")) == [("story.yaml", 9, 2)]
    story_document = open_file(client, story / "story.yaml")
    assert await references(client, story_document, position_of(STORY, "wind:")) == [("story.yaml", 9, 12)]
    assert await references(client, story_document, position_of(STORY, "storm:")) == [("scenes.yaml", 7, 13)]


async def test_references_of_a_variable_reach_effects_sets_input_and_braces(client, story):
    document = open_file(client, story / "story.yaml")
    found = await references(client, document, position_of(STORY, "bag:"))
    assert found == [
        ("scenes.yaml", line_of(SCENES, "count(bag)"), 18),
        ("scenes.yaml", line_of(SCENES, "'rope' in bag"), 25),
        ("scenes.yaml", line_of(SCENES, "bag: bag + 'rope'"), 10),
        ("scenes.yaml", line_of(SCENES, "bag: bag + 'rope'"), 15),
    ]
    found = await references(client, document, position_of(STORY, "name:"))
    assert ("scenes.yaml", 2, 13) in found and ("scenes.yaml", 5, 16) in found  # the title's braces, the input
    assert ("story.yaml", line_of(STORY, "storm:"), 25) in found  # inside the snippet 'storm'


async def test_hover_on_a_function_a_snippet_a_set_and_a_format_2_key(client, story):
    document = open_file(client, story / "scenes.yaml")
    assert await hover(client, document, position_of(SCENES, "roll(")) == (
        "**roll()** — roll(dice, sides): the total of rolling dice (at most 100) with that many sides"
    )
    assert (await hover(client, document, position_of(SCENES, "count("))).startswith("**count()** — count(set)")
    assert await hover(client, document, position_of(SCENES, "storm}")) == (
        "**snippet** `storm`\n\n> {>wind} Rain, {name}."
    )
    text = await hover(client, document, position_of(SCENES, "call: ferryman"))
    assert text.startswith("**call** (required, or 'goto' instead, scene; new in format 2)")
    text = await hover(client, document, position_of(SCENES, "goto:\n          -"))
    assert text.startswith("**goto** (required, or 'call' instead, goto)")
    story_document = open_file(client, story / "story.yaml")
    await diagnostics_until(client, story_document, lambda found: True, "the story's first check")
    text = await hover(client, story_document, position_of(STORY, "bag:"))
    assert text == "**variable** `bag`: set, default `[]`; shown as **Bag**"


# --------------------------------------------------------------------------- completion


async def test_keys_of_format_2_are_offered_where_the_story_declares_it(client, story):
    text = SCENES.replace("        then: bank\n", "        then: bank\n        t\n")
    document = open_file(client, story / "scenes.yaml", text)
    items = await complete(client, document, position_of(text, "        t\n", len("        t")))
    assert set(items) == {"if", "set", "once", "effects", "tags"}  # text, call and then are written
    text = SCENES.replace("      - if: count(bag) > 1\n", "      - if: count(bag) > 1\n        o\n")
    document = open_file(client, story / "scenes.yaml", text, version=2)
    items = await complete(client, document, position_of(text, "        o\n", len("        o")))
    assert set(items) == {"once"}
    text = SCENES.replace("      prompt: Who crosses?\n", "      prompt: Who crosses?\n      m\n")
    document = open_file(client, story / "scenes.yaml", text, version=3)
    items = await complete(client, document, position_of(text, "      m\n", len("      m")))
    assert set(items) == {"max", "default"}


async def test_a_format_1_story_is_not_offered_format_2_keys(client, story):
    (story / "story.yaml").write_text(STORY.replace("format: 2\n", ""), encoding="utf-8")
    text = SCENES.replace("    return: true\n", "    e\n")
    document = open_file(client, story / "scenes.yaml", text)
    items = await complete(client, document, position_of(text, "    e\n", len("    e")))
    assert set(items) == {"title", "chapter", "choices", "goto", "ending"}


async def test_the_format_versions_after_format(client, story):
    text = STORY.replace("format: 2", "format: ")
    document = open_file(client, story / "story.yaml", text)
    items = await complete(client, document, position_of(text, "format: ", len("format: ")))
    assert list(items) == ["2", "1"]


async def test_names_after_call_then_and_input_variable(client, story):
    text = SCENES.replace("call: ferryman", "call: fe").replace("variable: name", "variable: ")
    document = open_file(client, story / "scenes.yaml", text)
    items = await complete(client, document, position_of(text, "call: fe", len("call: fe")))
    assert {"ferryman", "far", "bank"} <= set(items)
    items = await complete(client, document, position_of(text, "variable: ", len("variable: ")))
    assert set(items) == {"name", "luck", "bag"}


async def test_snippets_after_a_brace_and_a_chevron(client, story):
    text = SCENES.replace("text: Take this rope.", 'text: "{>"')
    document = open_file(client, story / "scenes.yaml", text)
    items = await complete(client, document, position_of(text, '{>"', 2))
    assert set(items) == {"wind", "storm"}
    assert items["wind"].text_edit.new_text == "wind}" and items["wind"].documentation.value == "The wind rises."


async def test_inside_an_if_in_braces_the_expression_language_without_chance(client, story):
    text = SCENES.replace("{if 'rope' in bag:", "{if count(bag) > 1 and lu")
    document = open_file(client, story / "scenes.yaml", text)
    items = await complete(client, document, position_of(text, "and lu", len("and lu")))
    assert {"luck", "bag", "name", "count", "visits", "in", "not"} <= set(items)
    assert "random" not in items and "roll" not in items  # chance is drawn when a move is made, not in text
    assert items["luck"].text_edit.new_text == "luck"
    text = SCENES.replace("{if 'rope' in bag: You have", "{if 'rope' in bag: You h")
    document = open_file(client, story / "scenes.yaml", text, version=2)
    assert await complete(client, document, position_of(text, "You h", len("You h"))) == {}  # the arm's prose


async def test_chance_is_offered_where_it_may_be_drawn(client, story):
    text = SCENES.replace("set: {luck: 'roll(2, 6)'}", "set: {luck: ro")
    document = open_file(client, story / "scenes.yaml", text)
    items = await complete(client, document, position_of(text, "luck: ro", len("luck: ro")))
    assert {"roll", "random", "count"} <= set(items) and items["roll"].text_edit.new_text == "roll("
    text = SCENES.replace('{if: "luck >= 7", scene: far}', '{if: "ra", scene: far}')
    document = open_file(client, story / "scenes.yaml", text, version=2)
    items = await complete(client, document, position_of(text, '"ra"', 3))
    assert "random" in items


# --------------------------------------------------------------------------- rename


async def test_renaming_a_snippet_and_a_variable_keeps_the_story_clean(client, story):
    document = open_file(client, story / "story.yaml")
    edit = await client.text_document_rename_async(
        types.RenameParams(types.TextDocumentIdentifier(document), position_of(STORY, "wind:"), "gust")
    )
    texts = apply(edit)
    assert "  gust: The wind rises.\n" in texts["story.yaml"] and '"{>gust} Rain, {name}."' in texts["story.yaml"]
    edit = await client.text_document_rename_async(
        types.RenameParams(types.TextDocumentIdentifier(document), position_of(STORY, "bag:"), "sack")
    )
    texts = apply(edit)
    assert "count(sack) > 1" in texts["scenes.yaml"] and "'rope' in sack" in texts["scenes.yaml"]
    assert "set: {sack: sack + 'rope'}" in texts["scenes.yaml"]
    story_found, diagnostics = diagnose(story)
    assert story_found is not None and [d for d in diagnostics if d.severity == "error"] == []


# --------------------------------------------------------------------------- playthroughs in the editor


async def test_a_playthrough_that_types_and_fixes_draws_is_played_as_it_is_typed(client, story):
    path = story / "tests" / "cross.playthrough.yaml"
    document = open_file(client, path)
    await diagnostics_until(client, document, lambda found: not found, "the passing playthrough's clean check")
    wrong = PLAYTHROUGH.replace("draws: [7]", "draws: [13]")
    document = open_file(client, path, wrong, version=2)
    found = await diagnostics_until(client, document, bool, "the refused draw")
    assert messages(found) == [
        'step 2 (choose "Cross") cannot pass: draws [13]: this draw gives 2 to 12, so it cannot give 13;'
        ' offered now: 1. "Ask the ferryman"  2. "Cross"'
    ]
    assert found[0].range.start == types.Position(4, 4)
