"""Every YAML example in the docs is real: complete examples load, fragments parse.

A block whose first line is `# file: NAME` is written into the story folder of
the nearest `<!-- example: NAME -->` above it; every complete example must load
with no error. Other YAML blocks are fragments and must at least be valid YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from game.engine.loader import load_story_with_diagnostics

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^```ya?ml\n(.*?)^```", re.S | re.M)
EXAMPLE = re.compile(r"<!-- example: ([\w-]+) -->")


def examples() -> dict[tuple[str, str], dict[str, str]]:
    found: dict[tuple[str, str], dict[str, str]] = {}
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            body = match.group(1)
            first = body.splitlines()[0] if body.strip() else ""
            if not first.startswith("# file: "):
                continue
            names = EXAMPLE.findall(text[: match.start()])
            assert names, f"{doc.name}: a '# file:' block needs an <!-- example: NAME --> above it"
            found.setdefault((doc.name, names[-1]), {})[first[len("# file: ") :].strip()] = body
    return found


def fragments() -> list[tuple[str, int, str]]:
    out = []
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            body = match.group(1)
            if not body.startswith("# file: "):
                out.append((doc.name, text[: match.start()].count("\n") + 1, body))
    return out


EXAMPLES = examples()


def test_the_docs_hold_complete_examples():
    assert ("authoring.md", "lighthouse") in EXAMPLES


@pytest.mark.parametrize("key", sorted(EXAMPLES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_complete_example_loads_cleanly(key, tmp_path):
    for name, body in EXAMPLES[key].items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    story, diagnostics = load_story_with_diagnostics(tmp_path)
    assert [str(d) for d in diagnostics if d.severity == "error"] == []
    assert story is not None


@pytest.mark.parametrize(("doc", "line", "body"), fragments(), ids=lambda v: str(v)[:20])
def test_fragment_is_valid_yaml(doc, line, body):
    yaml.safe_load(body)
