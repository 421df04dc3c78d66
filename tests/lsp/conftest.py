"""A real client for the language server: `million-miles lsp` started as a process, spoken to over stdio.

pytest-lsp starts the server exactly as an editor does (`python -m game lsp`), and
these helpers open documents, edit them and wait (bounded) for what the server
publishes, so each test reads like an author's session.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import to_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "game", "lsp"]

#: A small story with one file of scenes, a playthrough, and a name with an accent and an emoji.
SCENES = """\
chapter: The Storm
scenes:
  harbor:
    title: The Harbor
    text: |
      José 🚀 waits. Your courage: {courage}.
    choices:
      - text: Row out
        if: courage >= 1 and visits(harbor) > 0
        set: {courage: courage + 1}
        goto: lighthouse
      - text: Wait for morning
        goto: morning
  lighthouse:
    title: The Lighthouse
    text: The lamp is dark.
    ending: lit
  morning:
    title: Morning
    text: Dawn comes.
    ending: ashore
"""
STORY = """\
title: Storm
start: harbor
variables:
  courage: {default: 1, label: Courage, min: 0, max: 5}
endings:
  lit: {title: The Light Holds, description: The lamp burns again.}
  ashore: {title: Ashore}
"""
PLAYTHROUGH = """\
name: Row out
story: ..
steps:
  - choose: Row out
  - expect: {scene: lighthouse, ending: lit}
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    root = tmp_path / "storm"
    (root / "tests").mkdir(parents=True)
    (root / "story.yaml").write_text(STORY, encoding="utf-8")
    (root / "chapter1.yaml").write_text(SCENES, encoding="utf-8")
    (root / "tests" / "row.playthrough.yaml").write_text(PLAYTHROUGH, encoding="utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def open_file(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    """Open `path` in the client (with `text` instead of the file's, as an unsaved buffer)."""
    document = uri(path)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(
                document, "yaml", version, path.read_text(encoding="utf-8") if text is None else text
            )
        )
    )
    return document


def replace_all(client: LanguageClient, document: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=document),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(
    client: LanguageClient,
    document: str,
    condition: Callable[[Sequence[types.Diagnostic]], bool],
    what: str,
    timeout: float = 20.0,
) -> Sequence[types.Diagnostic]:
    """The document's diagnostics once `condition` holds for them; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = client.diagnostics.get(document)
        if found is not None and condition(found):
            return found
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"waited {timeout:g}s for {what}; the server published: {[d.message for d in found or []]}")
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), left)
        except TimeoutError:
            continue


def messages(diagnostics: Sequence[types.Diagnostic]) -> list[str]:
    return [d.message for d in diagnostics]


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The UTF-16 position of `needle`'s character `offset` in `text` (how an editor counts)."""
    at = text.index(needle) + offset
    line = text.count("\n", 0, at)
    column = text[text.rfind("\n", 0, at) + 1 : at]
    return types.Position(line, len(column.encode("utf-16-le")) // 2)


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """`text` with the edits applied, positions counted in UTF-16 as the protocol does."""

    def offset(position: types.Position) -> int:
        lines = text.split("\n")
        start = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return start + index
            units += 2 if ord(char) > 0xFFFF else 1
        return start + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def apply_workspace_edit(edit: types.WorkspaceEdit) -> dict[str, str]:
    """Write a workspace edit to its files, as an editor does; return each file's name and new text."""
    out = {}
    for document, edits in (edit.changes or {}).items():
        path = Path(to_fs_path(document))
        text = apply_edits(path.read_text(encoding="utf-8"), edits)
        path.write_text(text, encoding="utf-8")
        out[path.name] = text
    return out
