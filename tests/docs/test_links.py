"""Links into docs/authoring.md land on a heading: its index, its tables and the other docs point at sections.

A heading's anchor is made as GitHub makes it: lower case, punctuation dropped
(backticks, dots, brackets, question marks), spaces turned into hyphens, and a
second heading of the same text numbered (`scenes`, then `scenes-1`). Adding a
heading that repeats an earlier one shifts those numbers, and a link that
pointed at the later one then lands on the wrong section: this test says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
AUTHORING = DOCS / "authoring.md"
HEADING = re.compile(r"^(#{1,6}) +(.+?) *#*$")
LINK = re.compile(r"\]\((?P<file>[\w.-]*\.md)?#(?P<anchor>[^)\s]+)\)")


def anchors(text: str) -> list[str]:
    """The anchor of every heading outside fenced blocks, in order, numbered as GitHub numbers repeats."""
    out: list[str] = []
    seen: dict[str, int] = {}
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match is None:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(2).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.append(slug if count == 0 else f"{slug}-{count}")
    return out


def links_into_authoring() -> list[tuple[str, int, str]]:
    """(doc, line, anchor) of every link to a section of authoring.md, from any doc."""
    found = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for match in LINK.finditer(text):
            target = match.group("file") or doc.name
            if target == AUTHORING.name:
                found.append((doc.name, text[: match.start()].count("\n") + 1, match.group("anchor")))
    return found


def test_anchors_are_made_as_github_makes_them():
    text = "# A\n## 1. Tutorial: your first story\n### `million-miles check [PATH]`\n### Scenes\n```\n# no\n```\n### Scenes\n"
    assert anchors(text) == ["a", "1-tutorial-your-first-story", "million-miles-check-path", "scenes", "scenes-1"]


def test_there_are_links_to_check():
    assert len(links_into_authoring()) > 100


@pytest.mark.parametrize(("doc", "line", "anchor"), links_into_authoring(), ids=lambda v: str(v))
def test_a_link_into_authoring_md_lands_on_a_heading(doc, line, anchor):
    assert anchor in set(anchors(AUTHORING.read_text(encoding="utf-8"))), f"{doc}:{line}: no heading for #{anchor}"
