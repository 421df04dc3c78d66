"""The message catalogue in docs/authoring.md is true, and no message can ship without an entry.

An entry is `<!-- message: CODE [bare] [setup=NAME] -->`, then the files of a
small story (```yaml blocks whose first line is `# file: NAME`), then one
```text block: exactly what `million-miles check .` prints when run inside that
folder, or what the `$ million-miles ...` command on the block's first line
prints. An entry without its own story.yaml gets the one shown under
`<!-- catalogue-default -->`, unless it says `bare`. `setup=NAME` names a
builder below, for what a Markdown block cannot hold (a 2 MB file, a link, bytes
that are not UTF-8).

Completeness is checked two ways: every diagnostic code passed anywhere in
`game/` has an entry, and every place in the checker that makes a message is
reached by some entry, save the few places listed in UNREACHABLE with the
reason no story can reach them.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from game.engine import errors, expressions, text, yaml_source
from game.engine.format import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "authoring.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
MARKER = re.compile(r"<!-- (example|message|output|catalogue-default)(?:: ?(.*?))? -->")
DEFAULT_COMMAND = "$ million-miles check ."

#: Modules whose messages are the checker's (`million-miles check`): loader, YAML reader, expressions,
#: text templates, warnings and the exhaustive exploration.
CHECKER = [
    "game.engine.loader",
    "game.engine.yaml_source",
    "game.engine.compiler",
    "game.engine.story",
    "game.engine.expressions",
    "game.engine.text",
    "game.authoring.lint",
    "game.engine.explore",
]
#: Calls that make a message: Diagnostic(...), diags.error(...), reader.error(...), raise ExpressionError(...)...
MAKERS = {"error", "warning", "Diagnostic", "_warn", "ExpressionError", "TemplateError", "YamlFileError"}
#: Places no story can reach, by a piece of their source, with the reason. Keep this list short and honest.
UNREACHABLE = {
    "document nested too deeply": "only with PyYAML's pure-Python parser: the C parser used when installed "
    "reports deep nesting as a YAML syntax error first (see the 'yaml' entry)",
    "string literal longer than": "an expression longer than 2,000 characters is refused before its strings are read",
    'f"YAML syntax error: {exc}"': "composing text, PyYAML raises only located errors and ReaderError, both "
    "handled before this catch-all",
}


@dataclass
class Entry:
    code: str
    line: int
    bare: bool = False
    setup: str = ""
    files: dict[str, str] = field(default_factory=dict)
    command: str = DEFAULT_COMMAND
    expected: str | None = None

    @property
    def id(self) -> str:
        return f"{self.code}@{self.line}"


def read_catalogue() -> tuple[str, list[Entry]]:
    """The default story.yaml and every entry, in document order."""
    doc = DOC.read_text(encoding="utf-8")
    events = [(m.start(), "marker", m.group(1), (m.group(2) or "").strip()) for m in MARKER.finditer(doc)]
    events += [(m.start(), "fence", m.group(1), m.group(2)) for m in FENCE.finditer(doc)]
    default, entries, current, in_default = "", [], None, False
    for offset, kind, a, b in sorted(events):
        if kind == "marker":
            current, in_default = None, a == "catalogue-default"
            if a == "message":
                code, *options = b.split()
                current = Entry(code, doc[:offset].count("\n") + 1)
                for option in options:
                    if option == "bare":
                        current.bare = True
                    elif option.startswith("setup="):
                        current.setup = option[len("setup=") :]
                    else:
                        raise AssertionError(f"authoring.md:{current.line}: unknown option {option!r}")
                entries.append(current)
            continue
        if in_default and a == "yaml":
            default, in_default = b.split("\n", 1)[1], False
        if current is None or current.expected is not None:
            continue
        if a == "yaml":
            first = b.partition("\n")[0]
            assert first.startswith("# file: "), f"authoring.md:{current.line}: catalogue YAML starts with '# file:'"
            current.files[first[len("# file: ") :].strip()] = b
        elif a == "text":
            lines = b.splitlines(keepends=True)
            if lines and lines[0].startswith("$ "):
                current.command = lines.pop(0).strip()
            current.expected = "".join(lines)
    return default, entries


DEFAULT_STORY, ENTRIES = read_catalogue()


# --------------------------------------------------------------------------- setups


def _huge_file(folder: Path) -> None:
    (folder / "notes.yaml").write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")


def _broken_link(folder: Path) -> None:
    (folder / "chapter2.yaml").symlink_to("chapter2-draft.yaml")  # the draft was deleted


def _link_outside(folder: Path) -> None:
    (folder.parent / "elsewhere.yaml").write_text("scenes: {}\n", encoding="utf-8")
    (folder / "borrowed.yaml").symlink_to(Path("..") / "elsewhere.yaml")


def _story_outside(folder: Path) -> None:
    (folder.parent / "elsewhere").mkdir()
    (folder / "story.yaml").rename(folder.parent / "elsewhere" / "story.yaml")
    (folder / "story.yaml").symlink_to(Path("..") / "elsewhere" / "story.yaml")


def _latin1(folder: Path) -> None:
    prose = "scenes:\n  cafe:\n    text: A caf\u00e9 by the harbor.\n    ending: done\n"
    (folder / "chapter2.yaml").write_bytes(prose.encode("latin-1"))


def _long_expression(folder: Path) -> None:
    condition = " or ".join(["visits(start) > 1"] * 100)  # 2,096 characters
    (folder / "scenes.yaml").write_text(
        "scenes:\n  start:\n    text: Hello.\n    choices:\n"
        f"      - text: Leave\n        if: {condition}\n        goto: start\n"
        "      - text: Stay\n        goto: end\n  end:\n    text: Bye.\n    ending: done\n",
        encoding="utf-8",
    )


def _tab_indent(folder: Path) -> None:
    (folder / "scenes.yaml").write_text("scenes:\n\tstart:\n\t\ttext: Hello.\n\t\tending: done\n", encoding="utf-8")


def _control_char(folder: Path) -> None:
    text = "scenes:\n  start:\n    text: Hel\x07lo.\n    ending: done\n"
    (folder / "scenes.yaml").write_text(text, encoding="utf-8")


def _deep_brackets(folder: Path) -> None:
    deep = "[" * 1001 + "]" * 1001
    (folder / "scenes.yaml").write_text(f"scenes:\n  start:\n    text: {deep}\n    ending: done\n", encoding="utf-8")


def _big_set(folder: Path) -> None:
    cards = ", ".join(f"c{n}" for n in range(1001))  # a set of 1,001 words: one more than a set holds
    story = (
        f"format: 2\ntitle: Examples\nstart: start\nvariables:\n  cards: [{cards}]\nendings:\n  done: {{title: Done}}\n"
    )
    (folder / "story.yaml").write_text(story, encoding="utf-8")
    (folder / "scenes.yaml").write_text("scenes:\n  start:\n    text: Hello.\n    ending: done\n", encoding="utf-8")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "chapter2.yaml")  # no writer will ever come: reading it would wait for ever


def _deep_folders(folder: Path) -> None:
    deep = folder.joinpath(*["d"] * 34)
    deep.mkdir(parents=True)
    (deep / "lost.yaml").write_text("scenes: {}\n", encoding="utf-8")


SETUPS = {
    "fifo": _fifo,
    "deep-folders": _deep_folders,
    "tab-indent": _tab_indent,
    "control-char": _control_char,
    "deep-brackets": _deep_brackets,
    "huge-file": _huge_file,
    "broken-link": _broken_link,
    "link-outside": _link_outside,
    "story-outside": _story_outside,
    "latin1": _latin1,
    "long-expression": _long_expression,
    "big-set": _big_set,
}


# --------------------------------------------------------------------------- running an entry


def build(entry: Entry, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not entry.bare and "story.yaml" not in entry.files:
        (folder / "story.yaml").write_text(DEFAULT_STORY, encoding="utf-8")
    for name, body in entry.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    if entry.setup:
        SETUPS[entry.setup](folder)


def printed(entry: Entry, folder: Path, capsys, monkeypatch) -> str:
    """What the entry's command prints, standard output then standard error, run inside `folder`."""
    from game.cli import main

    monkeypatch.chdir(folder)
    capsys.readouterr()
    main(shlex.split(entry.command)[2:])
    captured = capsys.readouterr()
    return captured.out + captured.err


# --------------------------------------------------------------------------- the tests


def test_the_catalogue_is_there():
    assert DEFAULT_STORY.startswith("title: ")
    assert len(ENTRIES) >= 60
    assert all(e.expected is not None for e in ENTRIES), [e.id for e in ENTRIES if e.expected is None]
    assert all(e.setup in SETUPS for e in ENTRIES if e.setup)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_the_documented_output_is_what_check_prints(entry, tmp_path, capsys, monkeypatch):
    build(entry, tmp_path / "story")
    assert printed(entry, tmp_path / "story", capsys, monkeypatch) == entry.expected


def _name(call: ast.Call) -> str:
    """`error` for `reader.error(...)`, `Diagnostic` for `Diagnostic(...)`."""
    fn = call.func
    return fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")


def _calls(path: Path) -> list[ast.Call]:
    """Every call in the file that makes a message."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node) in MAKERS]


def _code_argument(call: ast.Call) -> ast.expr | None:
    """The `code` a call passes: Diagnostic(loc, message, severity, code); x.error(loc, message, code)."""
    for keyword in call.keywords:
        if keyword.arg == "code":
            return keyword.value
    position = 3 if _name(call) == "Diagnostic" else 2
    return call.args[position] if len(call.args) > position else None


def emitted_codes() -> set[str]:
    """Every diagnostic code written as a literal anywhere under game/."""
    codes = set()
    for path in sorted((ROOT / "game").rglob("*.py")):
        if path.parent.name == "lsp":  # the language server's own codes (playthrough steps): docs/editors.md
            continue
        for call in _calls(path):
            if _name(call) in ("ExpressionError", "TemplateError"):
                continue  # their third argument is a position or a snippet, not a code
            code = _code_argument(call)
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.add(code.value)
    return codes


def test_every_code_the_game_can_emit_has_a_catalogue_entry():
    codes = emitted_codes()
    assert {"unknown-key", "dead-end", "too-long", "expression"} <= codes  # the scan works
    documented = {e.code for e in ENTRIES}
    assert sorted(codes - documented) == [], "document these codes in docs/authoring.md"
    assert sorted(documented - codes) == [], "the catalogue names codes the game does not use"
    index = DOC.read_text(encoding="utf-8")
    assert [c for c in sorted(codes) if f"[`{c}`](#{c})" not in index] == [], "list these in part 6's index table"


def _source(module: str) -> Path:
    """The file the module was imported from (the one whose lines the tracing sees)."""
    return Path(importlib.import_module(module).__file__ or "")


def test_every_checker_message_gives_its_code():
    """A message without a code would show as the generic 'error' in --format json, and escape the test above."""
    missing = []
    for module in CHECKER:
        path = _source(module)
        for call in _calls(path):
            if _name(call) in ("ExpressionError", "TemplateError", "YamlFileError"):
                continue  # the loader gives these their code ("expression", "interpolation", or the error's own)
            if _code_argument(call) is not None:
                continue
            missing.append(f"{module}:{call.lineno}")
    assert missing == []


def test_every_message_the_checker_makes_is_reached_by_an_entry(tmp_path, capsys, monkeypatch):
    seen: set[tuple[str, int]] = set()

    def note() -> None:
        frame = sys._getframe(2)
        while frame is not None:
            seen.add((frame.f_code.co_filename, frame.f_lineno))
            frame = frame.f_back

    def watch(cls: type, method: str) -> None:
        original = getattr(cls, method)

        def wrapper(self, *args, **kwargs):
            note()
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, method, wrapper)

    watch(errors.Diagnostic, "__post_init__")
    for cls in (expressions.ExpressionError, text.TemplateError, yaml_source.YamlFileError):
        watch(cls, "__init__")
    for index, entry in enumerate(ENTRIES):
        build(entry, tmp_path / str(index) / "story")
        printed(entry, tmp_path / str(index) / "story", capsys, monkeypatch)

    unreached, excused = [], set()
    for module in CHECKER:
        path = _source(module)
        source = path.read_text(encoding="utf-8")
        filename = str(path)
        for call in _calls(path):
            lines = range(call.lineno, (call.end_lineno or call.lineno) + 1)
            if any((filename, line) in seen for line in lines):
                continue
            segment = ast.get_source_segment(source, call) or ""
            reason = next((key for key in UNREACHABLE if key in segment), None)
            if reason is not None:
                excused.add(reason)
                continue
            unreached.append(f"{module}:{call.lineno}: {segment.splitlines()[0][:90]}")
    assert unreached == [], "add a catalogue entry that reaches these messages:\n" + "\n".join(unreached)
    assert excused == set(UNREACHABLE), "an excuse no longer needed: remove it from UNREACHABLE"
