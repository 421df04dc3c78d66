"""The positioned tree is exactly what libyaml reads, and refuses what a story file may not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from game.engine.errors import Diagnostics
from game.engine.yaml_source import (
    _MAYBE_ANCHOR,
    MAX_NESTING,
    Mapping,
    Node,
    Scalar,
    Sequence,
    SourceFile,
    YamlFileError,
    read_tree,
)

ROOT = Path(__file__).resolve().parents[2]
YAML_FILES = sorted(p for p in ROOT.rglob("*.yaml") if ".venv" not in p.parts and ".git" not in p.parts)


def plain(node: Node) -> object:
    """The tree as the plain Python data `yaml.safe_load` gives."""
    if isinstance(node, Mapping):
        return {plain(k): plain(v) for k, v in node.pairs}  # type: ignore[misc]
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    return node.value


def tree(text: str) -> tuple[Node | None, Diagnostics]:
    diags = Diagnostics()
    return read_tree(SourceFile("f.yaml", text), diags), diags


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_here_reads_as_libyaml_reads_it(path):
    text = path.read_text(encoding="utf-8")
    node, diags = tree(text)
    assert not diags.items
    assert plain(node) == yaml.safe_load(text)  # type: ignore[arg-type]


def test_positions_are_libyamls():
    text = "a: 1\nb:\n  - x\n  - {c: 'd'}\ne: |\n  block\n"
    node, _ = tree(text)
    reference = yaml.compose(text)
    assert isinstance(node, Mapping)

    def walk(ours: Node, theirs: yaml.Node) -> None:
        assert (ours.line, ours.col) == (theirs.start_mark.line + 1, theirs.start_mark.column + 1)
        assert (ours.start, ours.end) == (theirs.start_mark.index, theirs.end_mark.index)
        if isinstance(ours, Mapping):
            for (k, v), (tk, tv) in zip(ours.pairs, theirs.value, strict=True):
                walk(k, tk)
                walk(v, tv)
        elif isinstance(ours, Sequence):
            for a, b in zip(ours.items, theirs.value, strict=True):
                walk(a, b)
        else:
            assert isinstance(ours, Scalar) and ours.text == theirs.value

    walk(node, reference)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: !!python/object:os.system x\n", "tag"),
        ("a: !custom x\n", "tag"),
        ("<<: {a: 1}\n", "merge-key"),
        ("a: " + "[" * (MAX_NESTING + 2) + "]" * (MAX_NESTING + 2) + "\n", "too-deep"),
    ],
)
def test_what_a_story_file_may_not_hold_is_refused_with_its_place(text, code):
    node, diags = tree(text)
    assert node is None
    assert [d.code for d in diags.items] == [code]


@pytest.mark.parametrize("text", ["x: &a 1\ny: *a\n", "- &a [1]\n- *a\n", "&a x: 1\n"])
def test_anchors_and_aliases_are_refused_before_anything_is_expanded(text):
    with pytest.raises(YamlFileError) as info:
        tree(text)
    assert info.value.code == "alias"


@pytest.mark.parametrize("text", ["x: &a 1", "x: *a", "- &a [1]", "x: [*a]", "x: {k: *a}", "&a x: 1", "x:\n  &a\n"])
def test_every_anchor_or_alias_is_looked_at(text):
    assert _MAYBE_ANCHOR.search(text)


@pytest.mark.parametrize("text", ["if: a * 2 > 3", "text: AT&T and Q & A", "text: 3*4"])
def test_text_that_only_looks_like_one_is_not(text):
    assert not _MAYBE_ANCHOR.search(text)


@pytest.mark.parametrize("end", ["\r\n", "\r"], ids=["windows", "old-mac"])
def test_windows_and_old_mac_line_ends_are_places_as_an_editor_counts_them(tmp_path: Path, end: str):
    """libyaml ends a line at '\\r\\n' and at a lone '\\r'; every place we give counts the same lines
    (a lone '\\r' once crashed the missing-colon advice, and put an error at line 1, column 39)."""
    from game.engine.loader import load_story_with_diagnostics

    (tmp_path / "story.yaml").write_bytes(end.join(["title: T", "start: a", ""]).encode())
    (tmp_path / "s.yaml").write_bytes(end.join(["scenes:", "  a:", "    text: Hi", "    ending: e", ""]).encode())
    _, diagnostics = load_story_with_diagnostics(tmp_path, use_cache=False)
    assert [(d.loc.line, d.loc.col, d.code) for d in diagnostics] == [(4, 13, "unknown-ending")]

    (tmp_path / "s.yaml").write_bytes(end.join(["?", "0"]).encode())
    _, diagnostics = load_story_with_diagnostics(tmp_path, use_cache=False)
    assert [(d.loc.path, d.loc.line, d.code) for d in diagnostics] == [("s.yaml", 2, "yaml")]
