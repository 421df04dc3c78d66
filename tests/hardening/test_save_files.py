"""Save files that are damaged, foreign or from before the story changed: reported, never a crash.

Any file in the saves folder is either listed as a save or listed as damaged with a
reason; loading it either resumes a game that plays, or says why it cannot; and
the file is never modified. Hypothesis damages a real save in the ways disks,
editors and strangers do: cut short, bytes flipped, keys deleted, values of the
wrong type, absurd sizes and depths.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.loader import load_story
from game.engine.runtime import Game
from game.engine.saves import DamagedSave, LoadError, SaveInfo, SaveStore, read_save
from game.present.words import save_summary, save_time
from game.tui.screens.saves import slot_prompt

FIXTURE = Path(__file__).parent.parent / "tui" / "story"
STORY = load_story(FIXTURE)
ODD = [
    None,
    True,
    0,
    -1,
    2**63,
    10**4000,
    1.5,
    "",
    "x" * 10_000,
    [],
    {},
    [[[[]]]],
    {"a": {"b": {}}},
    "\x1b[2J",
    "dawn",
    "nowhere",
    [1, 2],
    {"scene": "dawn"},
]


def a_save(store: SaveStore) -> dict[str, object]:
    game = Game(STORY)
    for move in (2, 1, 2):
        game.choose(move)
    return store.snapshot(game, "Real")


def damage(data: dict[str, object], rng: random.Random) -> object:
    """One edit to the JSON tree: delete a key, change a value, or nest it absurdly."""
    paths: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                paths.append((node, index))
                walk(value)

    walk(data)
    parent, key = rng.choice(paths)
    kind = rng.randrange(3)
    if kind == 0 and isinstance(parent, dict):
        del parent[key]
    elif kind == 1:
        parent[key] = rng.choice(ODD)  # type: ignore[index]
    else:
        value: object = parent[key]  # type: ignore[index]
        for _ in range(rng.choice([1, 50, 500])):  # deeper still: test_absurd_json_is_damaged_not_a_crash
            value = [value]
        parent[key] = value  # type: ignore[index]
    return data


def assert_handled(store: SaveStore, path: Path) -> None:
    """Listed (as a save or as damaged), loaded or refused with a reason, and never touched."""
    before = path.read_bytes(), path.stat().st_mtime_ns
    [entry] = [e for e in store.slots() if e.path == path]
    slot_prompt(entry)  # what the load dialog draws for it
    if isinstance(entry, DamagedSave):
        assert entry.reason and "\n" not in entry.reason
        with pytest.raises(LoadError, match="cannot be loaded"):
            store.load(path)
    else:
        assert isinstance(entry, SaveInfo)
        assert save_summary(entry) and save_time(entry)  # what both faces show of it
        try:
            loaded = store.load(entry)
        except LoadError as exc:
            assert str(exc)
        else:
            game = loaded.game
            for _ in range(20):  # the resumed game plays
                if game.is_over:
                    break
                game.paragraphs  # noqa: B018 - rendering is part of playing
                game.choose(1)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


@pytest.fixture
def store(home) -> SaveStore:
    store = SaveStore(home, STORY)
    store.folder.mkdir(parents=True, exist_ok=True)
    return store


FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 3))
def test_damaged_json_saves_are_listed_and_refused_or_loaded_never_a_crash(store, seed, edits):
    rng = random.Random(seed)
    data = a_save(store)
    for _ in range(edits):
        data = damage(data, rng)  # type: ignore[assignment]
    path = store.folder / "save-fuzz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert_handled(store, path)


@FUZZ
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4))
def test_cut_or_bit_flipped_saves_are_listed_and_refused_or_loaded(store, cut, flips):
    raw = bytearray(json.dumps(a_save(store), indent=2).encode("utf-8"))
    raw = raw[: int(len(raw) * cut)] if cut < 0.98 else raw
    for where, byte in flips:
        if raw:
            raw[min(int(where * len(raw)), len(raw) - 1)] = byte
    path = store.folder / "save-bits.json"
    path.write_bytes(bytes(raw))
    assert_handled(store, path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "corrupted"),  # deeper than the JSON parser goes
        ("1" * 5_000, "corrupted"),  # a number too long to convert
        ('{"format": "million-miles-save", "version": ' + "9" * 5_000 + "}", "corrupted"),
    ],
    ids=["deep", "long number", "long version"],
)
def test_absurd_json_is_damaged_not_a_crash(store, content, reason):
    path = store.folder / "save-absurd.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Exception) as info:
        read_save(path, STORY.identity)
    assert type(info.value).__name__ == "Damaged" and reason in str(info.value)
    assert_handled(store, path)


def test_a_counter_that_is_not_a_value_is_ignored_in_the_list(store):
    path = store.folder / "save-counter.json"
    path.write_text(json.dumps({**a_save(store), "counter": ["Label", [[["deep"]]]]}), encoding="utf-8")
    [entry] = store.slots()
    assert isinstance(entry, SaveInfo) and entry.counter is None


def test_the_endings_record_and_settings_survive_absurd_json(store):
    store.endings_path.write_text("[" * 100_000, encoding="utf-8")
    reached, problem = store.reached()
    assert reached == {} and "cannot be read" in problem
    assert store.record_ending("home") == problem  # reported, and the record left as it was
    assert store.endings_path.read_text(encoding="utf-8") == "[" * 100_000
    store.settings_path.write_text("1" * 5_000, encoding="utf-8")
    assert store.settings() == {}


# --------------------------------------------------------------------------- the story changed under the save


def changed_story(tmp_path: Path, edit) -> object:
    folder = tmp_path / "changed"
    shutil.copytree(FIXTURE, folder)
    edit(folder)
    return load_story(folder)


def test_retyped_removed_and_narrowed_variables_take_their_defaults_or_bounds(tmp_path, home):
    old_store = SaveStore(home, STORY)
    game = Game(STORY)
    for move in (1, 1, 1, 1, 1):  # grit 2, three applications, at the letter from Houston
        game.choose(move)
    assert game.state.variables["applications"] == 3
    old_store.save(game, "Before")

    def edit(folder: Path) -> None:
        story = folder / "story.yaml"
        text = story.read_text(encoding="utf-8")
        text = text.replace("min: 0, max: 12}", "min: 0, max: 2}")  # applications: fewer allowed
        text = text.replace("  letters: {default: 0, label: Letters, min: 0, max: 9}\n", "")  # removed
        text = text.replace("  saw_star: false\n", "  saw_star: 'no'\n  luck: 7\n")  # retyped; a new one
        story.write_text(text, encoding="utf-8")
        scenes = folder / "1_fields.yaml"
        scenes.write_text(
            scenes.read_text(encoding="utf-8")
            .replace("        once: true\n        set: {letters: letters + 1}\n", "        once: true\n")
            .replace("set: {saw_star: true}", "set: {saw_star: \"'yes'\"}")
            .replace("if: saw_star", "if: saw_star == 'yes'"),
            encoding="utf-8",
        )

    new = changed_story(tmp_path, edit)
    store = SaveStore(home, new)
    loaded = store.load(store.find("Before"))
    values = loaded.game.state.variables
    assert loaded.game.scene.id == game.scene.id
    assert values["applications"] == 2  # clamped to the new bound
    assert values["saw_star"] == "no" and values["luck"] == 7  # retyped and new: their defaults
    assert "letters" not in values
    assert loaded.game.options  # and it plays on
