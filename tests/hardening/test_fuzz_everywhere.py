"""Fuzzing every way in: Unicode in every position, special files, deep folders, a damaged cache, stdin.

The property, for every input of any kind: it loads and plays, or it is refused with located
messages; never an exception escaping to the command line (which would be exit 70), never a
hang (each case runs under an alarm). The normal test run tries a few dozen cases of each;
the long run docs/reliability.md records is the same tests with more examples:

    MILLION_MILES_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/hardening/test_fuzz_everywhere.py
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.errors import CONTROL_CHARACTERS
from game.engine.expressions import ExpressionError, check_types, compile_node, parse
from game.engine.loader import load_story_with_diagnostics
from game.engine.runtime import Game
from game.engine.saves import SaveStore
from game.plain import PlainPlayer
from game.present.terminal import clean

EXAMPLES = int(os.environ.get("MILLION_MILES_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    derandomize=EXAMPLES <= 1000,
)
#: Every kind of character: letters of every script, marks, digits of every system, spaces,
#: controls, format characters (bidirectional ones among them), private use, unpaired surrogates.
ANY_CHARACTER = st.characters(codec=None)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=40)


@contextmanager
def no_hang(seconds: float = 20) -> Iterator[None]:
    """Fail instead of hanging: an alarm raises in the main thread after `seconds`."""

    def ring(*_: object) -> None:
        raise TimeoutError(f"no answer after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar (escapes for what YAML cannot hold raw)."""
    out = []
    for c in text:
        code = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFEFF, 0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _played(story_folder: Path) -> None:
    """Load the folder; if it loads, play a few moves and show every text as the players would."""
    story, diagnostics = load_story_with_diagnostics(story_folder)
    if story is None:
        assert any(d.severity == "error" for d in diagnostics)
    for d in diagnostics:
        assert not any(ord(c) in CONTROL_CHARACTERS and c != "\n" for c in d.message), d.message
        assert d.loc.line >= 0 and d.loc.col >= 0
    if story is None:
        return
    game = Game(story)
    for _ in range(6):
        for text in (*game.paragraphs, *(o.text for o in game.options), game.scene.title or ""):
            clean(text)
        if game.is_over or not game.options:
            return
        game.choose(1)


def _folder(files: dict[str, str]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    return root


POSITIONS = ("title", "scene_id", "variable", "ending_id", "text", "choice", "condition", "set", "chapter", "label")


@FUZZ
@given(st.sampled_from(POSITIONS), ANY_TEXT)
def test_any_character_in_any_position_loads_or_is_refused_with_its_place(position, odd):
    values = {p: None for p in POSITIONS}
    values[position] = odd
    title = _quoted(values["title"] if values["title"] is not None else "Fuzz")
    scene = values["scene_id"] if values["scene_id"] is not None else "a"
    variable = values["variable"] if values["variable"] is not None else "n"
    ending = values["ending_id"] if values["ending_id"] is not None else "done"
    story = (
        f"title: {title}\nstart: {_quoted(scene)}\nvariables:\n  {_quoted(variable)}:"
        f" {{default: 1, label: {_quoted(values['label'] or 'Count')}}}\n"
        f"endings:\n  {_quoted(ending)}: {{title: Done}}\n"
    )
    condition = values["condition"] if values["condition"] is not None else f"{variable} > 0"
    scenes = (
        f"chapter: {_quoted(values['chapter'] or 'One')}\nscenes:\n  {_quoted(scene)}:\n"
        f"    text: {_quoted(values['text'] or 'Hello {' + variable + '}.')}\n"
        f"    choices:\n      - text: {_quoted(values['choice'] or 'Go')}\n"
        f"        if: {_quoted(condition)}\n"
        f"        set: {{{_quoted(variable)}: {_quoted(values['set'] or variable + ' + 1')}}}\n"
        f"        goto: end\n      - text: Stay\n        goto: {_quoted(scene)}\n"
        f"  end:\n    text: Bye.\n    ending: {_quoted(ending)}\n"
    )
    root = _folder({"story.yaml": story, "scenes.yaml": scenes})
    try:
        with no_hang():
            _played(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@FUZZ
@given(st.text(ANY_CHARACTER, max_size=200))
def test_any_expression_text_parses_or_is_refused_and_what_parses_evaluates(source):
    with no_hang():
        try:
            tree = parse(source)
            unknown: list[str] = []
            check_types(tree, {"n": "int", "s": "str", "b": "bool"}, lambda name: unknown.append(name.name))
        except ExpressionError:
            return
        if not unknown:  # what the compiler accepts evaluates
            compile_node(tree)({"n": 3, "s": "x", "b": True}, {})


@FUZZ
@given(data=st.data())
def test_special_files_links_and_deep_folders_load_or_are_refused(data, tmp_path_factory):
    root = tmp_path_factory.mktemp("special")
    (root / "story.yaml").write_text("title: T\nstart: a\nendings:\n  e: {title: E}\n", encoding="utf-8")
    (root / "a.yaml").write_text("scenes:\n  a:\n    text: Hi.\n    ending: e\n", encoding="utf-8")
    names = st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12)
    for _ in range(data.draw(st.integers(0, 6))):
        depth = data.draw(st.integers(0, 40))
        folder = root.joinpath(*[data.draw(st.sampled_from(["d", "é", ".h", "__pycache__"])) for _ in range(depth)])
        folder.mkdir(parents=True, exist_ok=True)
        name = data.draw(names) + data.draw(st.sampled_from([".yaml", ".yml", ".json", ""]))
        path = folder / name
        if path.exists() or path.is_symlink():
            continue
        kind = data.draw(st.sampled_from(["file", "fifo", "loop", "dangling", "to-folder", "outside", "empty"]))
        try:
            if kind == "file":
                path.write_text(data.draw(st.text(max_size=80)), encoding="utf-8", errors="surrogatepass")
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "loop":
                path.symlink_to(path.name)
            elif kind == "dangling":
                path.symlink_to("nowhere.yaml")
            elif kind == "to-folder":
                path.symlink_to(root)
            elif kind == "outside":
                path.symlink_to("/etc/hostname")
            else:
                path.write_bytes(b"")
        except OSError:  # a name the file system refuses (too long, reserved): nothing to test
            continue
    with no_hang():
        _played(root)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_a_damaged_cache_never_changes_or_breaks_a_story(seed, tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MILLION_MILES_CACHE", str(folder))
    root = Path(__file__).parent.parent / "tui" / "story"
    fresh, _ = load_story_with_diagnostics(root, use_cache=False)
    load_story_with_diagnostics(root)  # fills the cache
    rng = random.Random(seed)
    for entry in folder.glob("*.part"):
        data = bytearray(entry.read_bytes())
        how = rng.choice(["flip", "cut", "swap", "zero", "append"])
        if how == "flip":
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif how == "cut":
            del data[rng.randrange(len(data)) :]
        elif how == "swap":
            others = [p for p in folder.glob("*.part") if p != entry]
            data = bytearray(rng.choice(others).read_bytes()) if others else data
        elif how == "zero":
            data[:] = bytes(len(data))
        else:
            data += os.urandom(rng.randint(1, 64))
        entry.write_bytes(bytes(data))
    with no_hang():
        story, diagnostics = load_story_with_diagnostics(root)
        assert story is not None and fresh is not None, diagnostics
        assert list(story.scenes) == list(fresh.scenes)
        for scene_id in fresh.scenes:
            assert story.scenes[scene_id] == fresh.scenes[scene_id]


@FUZZ
@given(lines=st.lists(st.one_of(ANY_TEXT, st.text(ANY_CHARACTER, min_size=4000, max_size=5000)), max_size=12))
def test_any_input_to_the_line_player_ends_cleanly(lines, tmp_path_factory):
    root = Path(__file__).parent.parent / "tui" / "story"
    story, _ = load_story_with_diagnostics(root)
    assert story is not None
    store = SaveStore(tmp_path_factory.mktemp("home"), story)
    stdin = io.StringIO("".join(line.replace("\n", " ") + "\n" for line in ["1", *lines]))
    stdout = io.StringIO()
    with no_hang():
        assert PlainPlayer(story, store, stdin, stdout, width=None).run() == 0
    assert "Goodbye." in stdout.getvalue()
