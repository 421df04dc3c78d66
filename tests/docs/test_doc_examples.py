"""Every YAML example in the docs is real: complete examples load, fragments parse, shown output is true.

The conventions, for whoever writes docs (they are invisible in rendered Markdown):

- A YAML block whose first line is `# file: NAME` is written into the story
  folder of the nearest marker above it. Under `<!-- example: NAME -->` it is
  part of a complete example; every complete example must pass
  `million-miles check` with no error, and every playthrough in it must pass.
  `<!-- example: NAME extends OTHER -->` starts from OTHER's files;
  `<!-- example: NAME new TITLE -->` starts from the files `million-miles new`
  writes, and a block naming one of those files must show it exactly.
  (Blocks under `<!-- message: CODE -->` belong to the message catalogue:
  tests/docs/test_messages_catalogue.py.)
- `<!-- output: NAME in FOLDER -->` before a ```text block whose first line is
  `$ million-miles ARGS`: the example NAME is written into FOLDER, the command
  runs beside it, and what it prints must be the rest of the block (timings
  like `0.01s` excepted). `<!-- output: NAME in FOLDER | FILE | OLD | NEW -->`
  first replaces OLD with NEW in FILE, to show what a mistake looks like. `<!-- output: - -->` runs a command that needs no
  story, in an empty folder.
- Any other YAML block is a fragment and must at least be valid YAML; a JSON
  block (editor settings) must be valid JSON.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

from game.authoring.template import TEMPLATE, create_story
from game.commands.check import diagnose
from game.testing import run_file

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
MARKER = re.compile(r"<!-- (example|message|output|catalogue-default)(?:: ?(.*?))? -->")
TIMING = re.compile(r"\b\d+\.\d+s\b")


class Example:
    """One complete example: where its files start from, and the files its blocks declare."""

    def __init__(self, doc: str, name: str, base: str = "", title: str = ""):
        self.doc, self.name, self.base, self.title = doc, name, base, title
        self.files: dict[str, str] = {}

    def write(self, folder: Path) -> None:
        """Write the example's whole story into `folder`."""
        if self.title:
            create_story(folder, self.title)
        elif self.base:
            EXAMPLES[(self.doc, self.base)].write(folder)
        for name, body in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")


def _events(text: str) -> list[tuple[int, str, str, str]]:
    """Markers and fenced blocks in document order: (offset, kind, value, body)."""
    found = [(m.start(), m.group(1), (m.group(2) or "").strip(), "") for m in MARKER.finditer(text)]
    found += [(m.start(), "fence", m.group(1), m.group(2)) for m in FENCE.finditer(text)]
    return sorted(found)


def _scan() -> tuple[dict[tuple[str, str], Example], list, list]:
    examples: dict[tuple[str, str], Example] = {}
    outputs: list[tuple[str, str, str, tuple[str, ...], str]] = []  # (doc, example, folder, edit, block)
    fragments: list[tuple[str, int, str, str]] = []  # (doc, line, language, body)
    for doc in sorted(DOCS.glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        owner: tuple[str, str] = ("", "")  # the kind and value of the nearest marker above
        pending_output: str | None = None
        for offset, kind, value, body in _events(text):
            if kind != "fence":
                if kind == "output":
                    pending_output = value
                    continue
                owner = (kind, value)
                if kind == "example":
                    name, _, rest = value.partition(" ")
                    verb, _, arg = rest.partition(" ")
                    assert verb in ("", "extends", "new"), f"{doc.name}: unknown example option {value!r}"
                    assert verb != "extends" or (doc.name, arg) in examples, f"{doc.name}: {name} extends {arg}?"
                    examples.setdefault(
                        (doc.name, name),
                        Example(doc.name, name, arg if verb == "extends" else "", arg if verb == "new" else ""),
                    )
                continue
            language = value
            if language == "text" and pending_output is not None:
                outputs.append((doc.name, *_output_target(pending_output), body))
                pending_output = None
                continue
            if language == "json":
                fragments.append((doc.name, text[:offset].count("\n") + 1, "json", body))
                continue
            if language not in ("yaml", "yml"):
                continue
            first = body.splitlines()[0] if body.strip() else ""
            if not first.startswith("# file: "):
                fragments.append((doc.name, text[:offset].count("\n") + 1, "yaml", body))
                continue
            assert owner[0], f"{doc.name}: a '# file:' block needs an <!-- example: NAME --> above it"
            if owner[0] == "example":
                examples[(doc.name, owner[1].split(" ")[0])].files[first[len("# file: ") :].strip()] = body
    return examples, outputs, fragments


def _output_target(value: str) -> tuple[str, str, tuple[str, ...]]:
    target, *edit = value.split(" | ")
    assert len(edit) in (0, 3), f"an output edit is '| FILE | OLD | NEW', not {value!r}"
    name, _, folder = target.partition(" in ")
    return name.strip(), folder.strip() or ".", tuple(edit)


EXAMPLES, OUTPUTS, FRAGMENTS = _scan()


def run_command(argv: list[str], cwd: Path, capsys, monkeypatch) -> str:
    """What `million-miles ARGV` prints (standard output, then standard error) when run in `cwd`."""
    from game.cli import main

    monkeypatch.chdir(cwd)
    capsys.readouterr()
    main(argv)
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_the_docs_hold_complete_examples():
    assert ("authoring.md", "lighthouse") in EXAMPLES
    recipes = {"inventory", "first-visit", "hub", "dice", "name"}
    assert {("authoring.md", f"recipe-{name}") for name in recipes} <= set(EXAMPLES)
    assert any(e.title for e in EXAMPLES.values()), "the tutorial starts from `million-miles new`"
    assert len(OUTPUTS) >= 4


@pytest.mark.parametrize("key", sorted(EXAMPLES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_complete_example_checks_cleanly(key, tmp_path):
    EXAMPLES[key].write(tmp_path)
    story, diagnostics = diagnose(tmp_path)
    assert [str(d) for d in diagnostics if d.severity == "error"] == []
    assert story is not None


@pytest.mark.parametrize("key", [k for k in sorted(EXAMPLES) if k[1].startswith("recipe-")], ids=lambda k: k[1])
def test_a_recipe_checks_without_a_warning(key, tmp_path):
    """Part 7 says its recipes pass `check --strict`: a recipe is an example to copy, warnings and all."""
    EXAMPLES[key].write(tmp_path)
    _, diagnostics = diagnose(tmp_path)
    assert [str(d) for d in diagnostics] == []


@pytest.mark.parametrize("key", sorted(EXAMPLES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_every_playthrough_in_an_example_passes(key, tmp_path):
    EXAMPLES[key].write(tmp_path)
    for path in sorted(tmp_path.rglob("*.playthrough.yaml")):
        result = run_file(path)
        assert result.passed, result.message


@pytest.mark.parametrize("key", [k for k, e in sorted(EXAMPLES.items()) if e.title], ids=lambda k: k[1])
def test_an_example_from_the_template_shows_its_files_exactly(key, tmp_path):
    example = EXAMPLES[key]
    create_story(tmp_path / "new", example.title)
    for name, body in example.files.items():
        if (TEMPLATE / name).exists():
            shown = body.split("\n", 1)[1]  # without the '# file:' line
            assert shown == (tmp_path / "new" / name).read_text(encoding="utf-8"), f"{name} differs from the template"


@pytest.mark.parametrize(("doc", "name", "folder", "edit", "block"), OUTPUTS, ids=lambda v: str(v)[:30])
def test_shown_command_output_is_what_the_command_prints(doc, name, folder, edit, block, tmp_path, capsys, monkeypatch):
    command, _, expected = block.partition("\n")
    assert command.startswith("$ million-miles "), f"{doc}: an output block starts with the command it shows"
    if name != "-":  # `<!-- output: - -->`: a command that needs no story, such as `million-miles new`
        EXAMPLES[(doc, name)].write(tmp_path / folder)
    if edit:
        file, old, new = edit
        path = tmp_path / folder / file
        assert old in path.read_text(encoding="utf-8"), f"{doc}: no {old!r} in {file} to replace"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    printed = run_command(shlex.split(command)[2:], tmp_path, capsys, monkeypatch)
    assert TIMING.sub("0.00s", printed) == TIMING.sub("0.00s", expected)


@pytest.mark.parametrize(("doc", "line", "language", "body"), FRAGMENTS, ids=lambda v: str(v)[:20])
def test_fragment_is_valid_yaml_or_json(doc, line, language, body):
    if language == "json":
        json.loads(body)
    else:
        yaml.safe_load(body)
