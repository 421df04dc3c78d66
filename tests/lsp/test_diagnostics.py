"""Diagnostics as you type: every message `check` prints, at the right range, for buffers and files on disk."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SCENES, diagnostics_until, messages, open_file, position_of, replace_all, uri

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


async def test_ranges_count_utf16_code_units_past_an_accent_and_an_emoji(client, story):
    broken = SCENES.replace("{courage}", "{courag}")
    document = open_file(client, story / "chapter1.yaml", broken)
    found = await diagnostics_until(client, document, lambda ds: any("courag'" in m for m in messages(ds)), "the typo")
    [typo] = [d for d in found if "courag'" in d.message]
    line = broken.splitlines()[typo.range.start.line]
    assert "José 🚀" in line
    # 🚀 is two UTF-16 code units: counting characters would underline one character too early.
    start = position_of(broken, "courag}")
    assert start.character == line.index("courag}") + 1
    assert typo.range == types.Range(start, types.Position(start.line, start.character + len("courag")))


async def test_files_on_disk_are_checked_without_being_opened(client, story):
    (story / "chapter2.yaml").write_text("scenes:\n  cellar:\n    text: Dark.\n    goto: nowhere\n", encoding="utf-8")
    open_file(client, story / "chapter1.yaml")
    found = await diagnostics_until(
        client, uri(story / "chapter2.yaml"), lambda ds: bool(ds), "the unopened file's error"
    )
    assert messages(found) == ["unknown scene 'nowhere'"]
    assert found[0].range.start == types.Position(3, 10)


async def test_warnings_and_the_explorers_findings_follow_the_loaders_diagnostics(client, story):
    lonely = SCENES + "  attic:\n    text: Dust.\n    goto: harbor\n"
    document = open_file(client, story / "chapter1.yaml", lonely)
    found = await diagnostics_until(
        client, document, lambda ds: any(d.code == "unreachable-scene" for d in ds), "the explorer's finding"
    )
    [unreachable] = [d for d in found if d.code == "unreachable-scene"]
    assert unreachable.severity == types.DiagnosticSeverity.Warning
    assert unreachable.range.start == position_of(lonely, "attic")
    # Fixed: the finding goes once the explorer has looked again.
    replace_all(client, document, SCENES, 2)
    await diagnostics_until(client, document, lambda ds: not ds, "the finding to clear")


async def test_every_message_check_prints_is_published(client, story, capsys):
    from game.commands.check import diagnose

    broken = SCENES.replace("if: courage >= 1", "if: courag >= 1").replace("ending: ashore", "ending: ashor")
    (story / "chapter1.yaml").write_text(broken, encoding="utf-8")
    _, expected = diagnose(story)
    document = open_file(client, story / "chapter1.yaml")
    found = await diagnostics_until(client, document, lambda ds: len(ds) >= len(expected), "every message")
    assert sorted(messages(found)) == sorted(d.message for d in expected)


async def test_a_playthrough_step_that_cannot_match_is_underlined(client, story):
    playthrough = story / "tests" / "row.playthrough.yaml"
    steps = playthrough.read_text(encoding="utf-8")
    document = open_file(client, playthrough)
    await diagnostics_until(client, document, lambda ds: not ds, "a clean playthrough")
    # The author renames the choice in the scene file, unsaved: the playthrough's step no longer matches.
    scenes = open_file(client, story / "chapter1.yaml", SCENES.replace("Row out", "Sail out"))
    found = await diagnostics_until(client, document, lambda ds: bool(ds), "the step to fail")
    [step] = found
    assert step.range.start == position_of(steps, "choose: Row out")
    assert step.range.end == position_of(steps, "\n  - expect")
    assert 'no choice offered now matches "Row out"' in step.message and "Sail out" in step.message
    replace_all(client, scenes, SCENES, 2)
    await diagnostics_until(client, document, lambda ds: not ds, "the step to pass again")
