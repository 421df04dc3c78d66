"""The cache of compiled files: the same story as a fresh compile, one file compiled per edit, never trusted blindly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from game.engine import cache
from game.engine.errors import StoryError
from game.engine.loader import StoryLoader, load_story, load_story_with_diagnostics
from game.engine.runtime import Game

STORY = """\
title: Cache Test
start: a
variables:
  n: {default: 0, label: Count, min: 0, max: 4}
  name: "Ana"
  flag: false
endings:
  done: {title: Done, description: The end.}
  lost: {title: Lost}
"""

SCENES = """\
chapter: One
scenes:
  a:
    title: Start
    text: |
      You are {name}. Count: {n}. Braces: {{ and }}.

      A second paragraph.
    choices:
      - text: Count up ({n})
        set: {n: n + 1}
        goto: a
      - text: Ring the bell
        once: true
        set: {flag: true}
        goto: a
      - text: Leave
        if: n >= 2
        goto:
          - {if: flag, scene: b}
          - {scene: c}
      - text: Swap
        set: {n: 0, name: name + "!", flag: n == 0}
        goto: a
      - text: Always
        if: true
        goto: c
  b:
    chapter: Two
    text:
      - Belled.
      - if: visits(a) > 3 and not (n * 2 == -1)
        text: You lingered, {name}.
    goto: c
"""

ENDING = """\
scenes:
  c:
    text: The end, {name}.
    ending: done
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MILLION_MILES_CACHE", str(folder))
    return folder


@pytest.fixture
def root(make_story) -> Path:
    return make_story({"s.yaml": SCENES, "z.yaml": ENDING}, story=STORY)


def sources(root: Path) -> dict[str, str]:
    """Where a new loader (as a new process would) took each file from."""
    loader = StoryLoader(root)
    story, diagnostics = loader.load()
    assert story is not None, diagnostics
    return loader.sources


def fresh(root: Path):
    story, diagnostics = load_story_with_diagnostics(root, use_cache=False)
    assert story is not None, diagnostics
    return story


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.part"))


def test_a_second_load_comes_from_the_cache_and_is_the_same_story(root, cache_dir, same_story):
    first = load_story(root)
    assert len(entries(cache_dir)) == 3, "one entry per file"
    assert sources(root) == {"story.yaml": "cached", "s.yaml": "cached", "z.yaml": "cached"}
    same_story(fresh(root), load_story(root))
    same_story(first, load_story(root))


def test_cached_and_fresh_stories_play_identically(root, cache_dir):
    compiled = fresh(root)
    load_story(root)
    cached = load_story(root)
    for path in ([1, 1, 2, 3, 1], [4, 1, 1, 3], [2, 1, 1, 4, 1, 1, 3, 1], [5]):
        games = [Game(compiled), Game(cached)]
        for number in path:
            assert games[0].paragraphs == games[1].paragraphs
            assert [o.text for o in games[0].options] == [o.text for o in games[1].options]
            if games[0].is_over:
                break
            pick = (number - 1) % len(games[0].options) + 1
            for g in games:
                g.choose(pick)
        assert games[0].state.to_json() == games[1].state.to_json()
        assert [(e.scene.id, e.paragraphs, e.chosen) for e in games[0].journal()] == [
            (e.scene.id, e.paragraphs, e.chosen) for e in games[1].journal()
        ]


def test_editing_one_scene_file_compiles_that_file_alone(root, cache_dir, same_story):
    load_story(root)
    (root / "z.yaml").write_text(ENDING.replace("The end", "It ends here"), encoding="utf-8")
    assert sources(root) == {"story.yaml": "cached", "s.yaml": "cached", "z.yaml": "compiled"}
    story = load_story(root)
    assert story.scenes["c"].paragraphs[0].template.source == "It ends here, {name}."
    same_story(fresh(root), story)


def test_a_loader_keeps_its_parts_between_loads(root, cache_dir, monkeypatch):
    loader = StoryLoader(root)
    loader.load()
    assert set(loader.sources.values()) == {"compiled"}
    monkeypatch.setenv("MILLION_MILES_CACHE", "off")  # what it keeps needs no cache on disk
    (root / "z.yaml").write_text(ENDING.replace("The end", "The End"), encoding="utf-8")
    story, _ = loader.load()
    assert loader.sources == {"story.yaml": "kept", "s.yaml": "kept", "z.yaml": "compiled"}
    assert story is not None and story.scenes["c"].paragraphs[0].template.source == "The End, {name}."


def test_changing_what_scene_files_rely_on_in_story_yaml_compiles_them_again(root, cache_dir):
    load_story(root)
    (root / "story.yaml").write_text(STORY.replace("Cache Test", "Renamed"), encoding="utf-8")
    assert sources(root) == {"story.yaml": "compiled", "s.yaml": "cached", "z.yaml": "cached"}
    (root / "story.yaml").write_text(STORY.replace("flag: false", "flag: false\n  more: 1"), encoding="utf-8")
    assert sources(root) == {"story.yaml": "compiled", "s.yaml": "compiled", "z.yaml": "compiled"}


@pytest.mark.parametrize("change", ["edit", "same_size_edit", "new_file", "remove_file", "rename_file"])
def test_any_change_to_any_file_is_seen(root, cache_dir, change, same_story):
    load_story(root)
    scenes = root / "s.yaml"
    if change == "edit":
        scenes.write_text(SCENES.replace("Belled.", "Rung."), encoding="utf-8")
    elif change == "same_size_edit":
        scenes.write_text(SCENES.replace("Belled.", "BELLED."), encoding="utf-8")
    elif change == "new_file":
        (root / "more.yaml").write_text("scenes:\n  y:\n    text: Extra.\n    goto: c\n", encoding="utf-8")
    elif change == "remove_file":
        (root / "z.yaml").unlink()
        (root / "c.yaml").write_text(ENDING, encoding="utf-8")
    else:
        (root / "z.yaml").rename(root / "y.yaml")
    story = load_story(root)
    same_story(fresh(root), story)
    assert story.files == fresh(root).files


def test_a_scene_removed_from_one_file_is_reported_where_another_file_names_it(root, cache_dir):
    load_story(root)
    (root / "z.yaml").write_text(ENDING.replace("  c:", "  c2:"), encoding="utf-8")
    with pytest.raises(StoryError) as info:
        load_story(root)
    assert str(info.value).splitlines() == [
        f"s.yaml:{line}:{col}: error: unknown scene 'c' (did you mean 'c2'?)"
        for line, col in ((21, 21), (27, 15), (34, 11))
    ]
    assert info.value.diagnostics == load_story_with_diagnostics(root, use_cache=False)[1]


def test_a_broken_file_is_never_cached_and_keeps_its_messages(make_story, cache_dir):
    root = make_story({"s.yaml": "scenes:\n  a:\n    text: Hi {nope}.\n    ending: done\n"})
    messages = []
    for _ in range(2):
        with pytest.raises(StoryError) as info:
            load_story(root)
        messages.append(str(info.value))
    assert messages[0] == messages[1] and "unknown variable 'nope'" in messages[0]
    assert len(entries(cache_dir)) == 1, "only story.yaml, which has no mistake"


def _scene_entry(root: Path, cache_dir: Path) -> Path:
    """The cache entry of s.yaml, once a load has written it."""
    from game.engine.compiler import compile_header

    load_story(root)
    interface = compile_header((root / "story.yaml").read_bytes()).interface
    entry = cache_dir / f"{cache.file_key('s.yaml', (root / 's.yaml').read_bytes(), interface)}.part"
    assert entry.exists()
    return entry


def _damage(entry: Path, how: str, cache_dir: Path) -> None:
    data = entry.read_bytes()
    if how == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif how == "bit_flipped":  # in the head, checked when the entry is opened (a blob: see below)
        head = bytes(cache.unseal(entry.stem, data).head)
        at = data.find(head) + len(head) // 2
        entry.write_bytes(data[:at] + bytes([data[at] ^ 0x10]) + data[at + 1 :])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "garbage":
        entry.write_bytes(os.urandom(len(data)))
    elif how == "swapped":  # another file's entry under this key
        other = next(p for p in entries(cache_dir) if p != entry)
        entry.write_bytes(other.read_bytes())
    elif how == "wrong_types":  # hand-made: the checksum matches, the contents are not a compiled file
        key = entry.stem
        entry.write_bytes(cache.seal(key, msgspec.msgpack.encode({"scenes": "all of them"})))
    elif how == "other_version":
        envelope = msgspec.msgpack.decode(data)
        envelope[1] = "0.0.0"
        entry.write_bytes(msgspec.msgpack.encode(envelope))


@pytest.mark.parametrize(
    "how", ["truncated", "bit_flipped", "empty", "garbage", "swapped", "wrong_types", "other_version"]
)
def test_a_damaged_entry_never_changes_the_story_and_is_replaced(root, cache_dir, how, same_story):
    entry = _scene_entry(root, cache_dir)
    good = entry.read_bytes()
    _damage(entry, how, cache_dir)
    assert sources(root)["s.yaml"] == "compiled"
    same_story(fresh(root), load_story(root))
    assert entry.read_bytes() == good, "the entry is written again"
    assert sources(root)["s.yaml"] == "cached"


def _hand_made(entry: Path, blob: int, contents: bytes, *, sums_match: bool) -> None:
    """Rewrite one blob of a scene file's entry; with `sums_match`, its checksum in the head too."""
    key = entry.stem
    envelope = cache.unseal(key, entry.read_bytes())
    head = msgspec.msgpack.decode(envelope.head)
    blobs = [bytes(b) for b in envelope.blobs]
    blobs[blob] = contents
    if sums_match:
        head[3][blob] = cache.checksum(contents)
    entry.write_bytes(cache.seal(key, msgspec.msgpack.encode(head), blobs))


#: What reaches each blob of s.yaml's entry: a scene played, a scene another file no longer defines
#: (its references are looked at), an id defined twice (the places of the ids are looked at).
USES = {
    0: lambda root: None,
    -1: lambda root: (root / "z.yaml").write_text(ENDING.replace("  c:", "  c2:"), encoding="utf-8"),
    -2: lambda root: (root / "z.yaml").write_text(
        ENDING + "  a:\n    text: Again.\n    ending: done\n", encoding="utf-8"
    ),
}


@pytest.mark.parametrize(
    ("blob", "contents", "sums_match"),
    [
        (0, msgspec.msgpack.encode(["not", "scenes"]), True),  # hand-made: passes every checksum
        (0, msgspec.msgpack.encode(["damaged"]), False),  # changed after it was written
        (-1, msgspec.msgpack.encode([["nope"]]), True),  # the references
        (-2, msgspec.msgpack.encode([1, 2, 3]), True),  # the places of the ids
    ],
)
def test_a_blob_that_fails_when_first_used_falls_back_to_compiling_the_file(
    root, cache_dir, same_story, blob, contents, sums_match
):
    """Found only when the blob is first needed, long after the entry was opened: the file is
    compiled again then, and the story and its messages are the ones a fresh compile gives."""
    entry = _scene_entry(root, cache_dir)
    good = entry.read_bytes()
    _hand_made(entry, blob, contents, sums_match=sums_match)
    USES[blob](root)
    loader = StoryLoader(root)
    story, diagnostics = loader.load()
    assert loader.sources["s.yaml"] == "cached", "the entry's head was sound"
    expected_story, expected = load_story_with_diagnostics(root, use_cache=False)
    assert diagnostics == expected
    if blob == 0:
        assert story is not None and expected_story is not None
        assert story.scenes["a"] == expected_story.scenes["a"]  # decoded now: fails, compiles, answers
        same_story(expected_story, story)
    else:
        assert story is None and diagnostics, "the edit broke the story, and it is reported where it is"
    assert entry.read_bytes() == good, "the file was compiled again and its entry replaced"
    (root / "z.yaml").write_text(ENDING, encoding="utf-8")
    assert sources(root)["s.yaml"] == "cached", "the entry was written again, whole"
    assert load_story(root).scenes["b"].chapter == "Two"


def test_a_failed_write_leaves_no_temporary_file(root, tmp_path, monkeypatch):
    folder = tmp_path / "readonly-cache"
    folder.mkdir()
    monkeypatch.setenv("MILLION_MILES_CACHE", str(folder))
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        if self.parent == folder:
            real(self, data[:10])
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    story = load_story(root)
    assert story.scenes["c"].ending == "done"
    assert list(folder.iterdir()) == []


def test_the_cache_can_be_turned_off(root, monkeypatch, tmp_path):
    monkeypatch.setenv("MILLION_MILES_CACHE", "off")
    load_story(root)
    assert sources(root) == {"story.yaml": "compiled", "s.yaml": "compiled", "z.yaml": "compiled"}


def test_the_cache_is_pruned_oldest_first(root, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    load_story(root)
    assert len(entries(cache_dir)) == 2


def test_every_engine_module_a_load_runs_is_part_of_the_cache_stamp():
    """Editing any module that decides what a compiled file is must invalidate every entry."""
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, game.engine.compiler, game.engine.loader, game.engine.cache;"
            "print(' '.join(m for m in sys.modules if m.startswith('game.engine.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # What reads files and puts parts together decides no compiled part: the part's key is its bytes.
    loaded = {name.rsplit(".", 1)[1] + ".py" for name in found} - {"loader.py", "story.py", "files.py", "__init__.py"}
    assert loaded <= set(cache.ENGINE_FILES)


def test_a_story_read_from_the_cache_needs_neither_pyyaml_nor_the_compiler(root, cache_dir):
    """The player's first screen waits for nothing it does not use (see game/engine/loader.py)."""
    load_story(root)  # fills the cache
    code = (
        "import sys; from game.engine.loader import load_story; load_story(sys.argv[1]);"
        "print(sorted(m for m in sys.modules if m == 'yaml' or m == 'game.engine.compiler'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    ).stdout  # (the cache_dir fixture set MILLION_MILES_CACHE for it)
    assert out.strip() == "[]"
