"""Saves, the endings record and settings (game/engine/saves.py), without any face on top."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game
from game.engine.saves import (
    DamagedSave,
    LoadError,
    PlayError,
    SaveInfo,
    SaveStore,
    Session,
    data_dir,
    read_save,
    slugify,
    story_folder,
    write_json_atomic,
)
from game.present.words import save_summary, save_time

FIXTURE = Path(__file__).parent / "tui" / "story"
WHEN = datetime(2025, 3, 14, 9, 26, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MILLION_MILES_HOME", str(home))
    return home


@pytest.fixture
def story():
    return load_story(FIXTURE)


@pytest.fixture
def store(story, private_home) -> SaveStore:
    return SaveStore(private_home, story, clock=lambda: WHEN)


def played(story, *moves: int) -> Game:
    game = Game(story)
    for move in moves:
        game.choose(move)
    return game


# --------------------------------------------------------------------------- where saves live


def test_data_dir_prefers_the_option_then_the_environment_then_the_user_folder(tmp_path):
    assert data_dir(tmp_path / "x", environ={"MILLION_MILES_HOME": "/elsewhere"}) == tmp_path / "x"
    assert data_dir(None, environ={"MILLION_MILES_HOME": str(tmp_path / "h")}) == tmp_path / "h"
    default = data_dir(None, environ={})
    assert "million-miles" in str(default)


def test_each_story_gets_its_own_folder(store, private_home):
    assert store.folder == private_home / story_folder("Fixture Orbit")
    assert store.folder.name.startswith("fixture-orbit-")
    assert slugify("Día de Muertos: ¡Ya!") == "dia-de-muertos-ya"
    assert slugify("???") == "save"


@pytest.mark.parametrize(
    "titles", [("Война и мир", "Преступление и наказание"), ("Storm", "STORM!"), ("A", "a"), ("x", "x ")]
)
def test_two_stories_never_share_a_folder_however_alike_their_titles(titles):
    first, second = (story_folder(title) for title in titles)
    assert first != second


def test_saves_in_the_folder_games_used_so_far_still_load(story, private_home):
    """Until December 2026 a story's saves lived in a folder named by its title's slug alone,
    which two stories could share: this story's files are copied to its own folder, the others'
    and the old folder are left as they were."""
    old = private_home / "fixture-orbit"
    played = SaveStore(private_home, story, lambda: WHEN)
    game = Game(story)
    game.choose(1)
    played.save(game, "Before the update")
    played.autosave(game)
    played.record_ending("home")
    old.parent.mkdir(parents=True, exist_ok=True)
    played.folder.rename(old)
    foreign = json.loads((old / "autosave.json").read_text(encoding="utf-8"))
    foreign["story"] = "FIXTURE ORBIT"  # another story whose slug is the same
    (old / "save-other.json").write_text(json.dumps(foreign), encoding="utf-8")
    before = sorted((p.name, p.read_bytes()) for p in old.iterdir())

    store = SaveStore(private_home, story, lambda: WHEN)
    assert store.folder != old
    assert [e.name for e in store.slots()] == ["Before the update"]
    autosave = store.autosave_entry()
    assert isinstance(autosave, SaveInfo) and store.load(autosave).game.path == [1]
    assert set(store.reached()[0]) == {"home"}
    assert sorted((p.name, p.read_bytes()) for p in old.iterdir()) == before, "the old folder is left alone"
    assert not (store.folder / "save-other.json").exists(), "another story's save stays where it was"


# --------------------------------------------------------------------------- writing


def test_a_save_records_identity_version_start_path_and_state(store, story):
    game = played(story, 1, 1, 2)
    path = store.save(game, "At the rows")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "million-miles-save" and data["version"] == 1
    assert data["story"] == "Fixture Orbit"
    assert data["name"] == "At the rows"
    assert data["saved_at"] == "2025-03-14T09:26:00+01:00"
    assert data["initial"]["scene"] == "dawn"
    assert data["path"] == [1, 1, 2]
    assert data["state"] == game.state.to_json()
    assert data["counter"] == ["NASA applications", 0]
    info = read_save(path, "Fixture Orbit")
    assert save_summary(info) == "The Fields · The Rows · NASA applications 0"
    assert save_time(info) == "2025-03-14 09:26"


def test_writing_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    write_json_atomic(target, {"a": 1})
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src).parent, Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_json_atomic(target, {"a": 2})
    assert calls == [(tmp_path, target)]  # the temp file sat in the same folder
    assert json.loads(target.read_text()) == {"a": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_a_failed_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    write_json_atomic(target, {"old": True})

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_json_atomic(target, {"new": True})
    assert json.loads(target.read_text()) == {"old": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_saving_under_an_existing_name_replaces_that_slot_only(store, story):
    first = store.save(played(story, 1), "Slot")
    store.save(played(story, 2), "Other")
    again = store.save(played(story, 1, 1), "slot")  # names match regardless of case
    assert again == first
    names = [e.name for e in store.slots()]
    assert sorted(names) == ["Other", "slot"]  # one slot, under the name typed last
    assert store.find("SLOT").scene == "rows"


def test_a_damaged_file_is_never_overwritten_by_a_new_save(store, story):
    store.folder.mkdir(parents=True)
    damaged = store.folder / "save-slot.json"
    damaged.write_text("{ broken", encoding="utf-8")
    path = store.save(played(story, 1), "Slot")
    assert path != damaged
    assert damaged.read_text(encoding="utf-8") == "{ broken"


# --------------------------------------------------------------------------- reading and listing


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty"),
        ('{"format": "million-miles-save", "version": 1, "sto', "truncated"),
        ("\udcff", "not text"),
        ("[1, 2]", "not a save file"),
        ('{"format": "million-miles-save", "version": 7}', "another version"),
        ('{"format": "million-miles-save", "version": 1, "story": "Elsewhere"}', "another story ('Elsewhere')"),
    ],
)
def test_unreadable_saves_are_listed_as_damaged_with_the_reason(store, content, reason):
    store.folder.mkdir(parents=True)
    bad = store.folder / "save-bad.json"
    if content == "\udcff":
        bad.write_bytes(b"\xff\xfe\x00garbage")
    else:
        bad.write_text(content, encoding="utf-8")
    before = bad.read_bytes()
    [entry] = store.slots()
    assert isinstance(entry, DamagedSave)
    assert reason in entry.reason
    with pytest.raises(LoadError, match="cannot be loaded"):
        store.load(bad)
    assert bad.read_bytes() == before


def test_a_save_with_a_malformed_field_is_damaged_not_a_crash(store, story):
    data = store.snapshot(played(story, 1), "x")
    for broken in (
        {**data, "path": [1, None]},
        {**data, "path": [0]},
        {**data, "path": [1, "a\nline break"]},
        {**data, "state": {"scene": 3}},
        {**data, "saved_at": "soon"},
        {**data, "initial": None},
        {**data, "name": None},
    ):
        store.folder.mkdir(parents=True, exist_ok=True)
        (store.folder / "save-x.json").write_text(json.dumps(broken), encoding="utf-8")
        [entry] = store.slots()
        assert isinstance(entry, DamagedSave), broken


def test_slots_are_newest_first_and_exclude_the_autosave(story, private_home):
    times = iter([WHEN, WHEN + timedelta(hours=1), WHEN + timedelta(hours=2)])
    store = SaveStore(private_home, story, clock=lambda: next(times))
    store.save(played(story), "Old")
    store.save(played(story, 1), "New")
    store.autosave(played(story, 2))
    assert [e.name for e in store.slots()] == ["New", "Old"]
    assert isinstance(store.autosave_entry(), SaveInfo)


# --------------------------------------------------------------------------- loading


def test_loading_restores_state_path_and_history(store, story):
    game = played(story, 2, 1, 2, 1)
    store.save(game, "Here")
    loaded = store.load(store.find("Here"))
    assert loaded.note is None
    assert loaded.game.state == game.state
    assert loaded.game.path == game.path
    assert [e.chosen for e in loaded.game.journal()] == [e.chosen for e in game.journal()]
    loaded.game.undo()
    assert loaded.game.state == played(story, 2, 1, 2).state


def _rewrite(story_dir: Path, old: str, new: str) -> None:
    path = story_dir / "1_fields.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _copy_story(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "story"
    shutil.copytree(FIXTURE, target)
    return target


def test_a_new_variable_keeps_the_history(tmp_path, private_home):
    folder = _copy_story(tmp_path)
    old = load_story(folder)
    game = played(old, 1, 1)
    SaveStore(private_home, old).save(game, "Before")
    story_yaml = folder / "story.yaml"
    story_yaml.write_text(story_yaml.read_text().replace("  saw_star: false\n", "  saw_star: false\n  luck: 3\n"))
    new = load_story(folder)
    store = SaveStore(private_home, new)
    loaded = store.load(store.find("Before"))
    assert loaded.note is None
    assert loaded.game.path == [1, 1]
    assert loaded.game.state.variables["luck"] == 3


def test_a_story_changed_under_the_path_still_loads_the_state_when_its_scene_exists(tmp_path, private_home):
    folder = _copy_story(tmp_path)
    old = load_story(folder)
    game = played(old, 2, 1)  # saw the star, now at the rows
    SaveStore(private_home, old).save(game, "Rows")
    _rewrite(folder, "        set: {saw_star: true}\n", "        set: {grit: grit + 2}\n")
    new = load_story(folder)
    store = SaveStore(private_home, new)
    loaded = store.load(store.find("Rows"))
    assert loaded.note and "story has changed" in loaded.note
    assert loaded.game.scene.id == "rows"
    assert loaded.game.state.variables["saw_star"] is True  # the saved values, not a replay
    assert loaded.game.path == [] and not loaded.game.can_undo


def test_a_save_whose_scene_is_gone_says_why_it_cannot_load(tmp_path, private_home):
    folder = _copy_story(tmp_path)
    old = load_story(folder)
    SaveStore(private_home, old).save(played(old, 1, 1), "Rows")
    text = (folder / "1_fields.yaml").read_text()
    (folder / "1_fields.yaml").write_text(
        text.replace("  rows:\n", "  furrows:\n").replace("goto: rows", "goto: furrows")
    )
    new = load_story(folder)
    store = SaveStore(private_home, new)
    with pytest.raises(LoadError, match="no longer has the scene this save is in \\('rows'\\)"):
        store.load(store.find("Rows"))


# --------------------------------------------------------------------------- sessions, endings, settings


def test_a_session_autosaves_every_move_and_records_endings(store, story):
    session = Session.new(store)
    assert store.autosave_entry().scene == "dawn"
    changes = session.choose(1)
    assert [(c.label, c.old, c.new) for c in changes] == [("Grit", 1, 2)]
    assert store.autosave_entry().scene == "road"
    session.undo()
    assert store.autosave_entry().scene == "dawn"
    for move in (1, 1, 3):
        session.choose(move)
    reached, problem = store.reached()
    assert problem is None and list(reached) == ["home"]
    with pytest.raises(ValueError):
        session.choose(1)


def test_a_failing_move_restores_the_game_autosaves_and_says_where(store, story, monkeypatch):
    session = Session.new(store)
    session.choose(1)
    real = Game.choose

    def broken(self, number):
        real(self, number)
        raise ZeroDivisionError("bad arithmetic")

    monkeypatch.setattr(Game, "choose", broken)
    with pytest.raises(PlayError) as info:
        session.choose(1)
    assert info.value.where.startswith("scene 'rows' (1_fields.yaml:")
    assert "ZeroDivisionError: bad arithmetic" in str(info.value)
    monkeypatch.setattr(Game, "choose", real)
    assert session.game.scene.id == "road" and session.game.path == [1]
    assert store.autosave_entry().scene == "road"


def test_a_failed_autosave_is_reported_not_raised(store, story, monkeypatch):
    session = Session.new(store)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("game.engine.saves.write_json_atomic", refuse)
    session.choose(1)
    assert session.take_notes() == ["Autosave failed: Permission denied"]
    assert session.take_notes() == []


def test_an_unreadable_endings_record_is_reported_and_left_alone(store, story):
    store.folder.mkdir(parents=True)
    store.endings_path.write_text("{ nope", encoding="utf-8")
    session = Session.new(store)
    for move in (1, 1, 3):
        session.choose(move)
    assert any("endings record" in n for n in session.take_notes())
    assert store.endings_path.read_text(encoding="utf-8") == "{ nope"


def test_settings_survive_and_a_broken_settings_file_means_defaults(store):
    assert store.settings() == {}
    store.update_settings(theme="nord")
    assert store.settings() == {"theme": "nord"}
    store.settings_path.write_text("garbage", encoding="utf-8")
    assert store.settings() == {}


# --------------------------------------------------------------------------- progress: chapters, scenes read, skip


def test_each_chapter_remembers_the_state_the_player_first_entered_it_with(store, story):
    session = Session.new(store)
    for move in (1, 1, 1):  # ropes (grit 2), continue, mail the first application: The Applications
        session.choose(move)
    progress, problem = store.progress()
    assert problem is None
    assert list(progress.chapters) == ["The Fields", "The Applications"]
    assert progress.chapters["The Fields"]["scene"] == "dawn"
    entered = progress.chapters["The Applications"]
    assert (
        entered["scene"] == "desk" and entered["variables"]["grit"] == 2 and entered["variables"]["applications"] == 1
    )
    again = Session.new(store)  # a second game enters the chapter differently: the first entry stays
    for move in (2, 1, 1):
        again.choose(move)
    assert SaveStore(store.root, story).progress()[0].chapters["The Applications"] == entered


def test_a_chapters_number_is_its_place_in_the_chapter_list(story):
    from game.present.chapters import chapter_names, chapter_number

    names = chapter_names(story)
    assert len(names) >= 2
    assert [chapter_number(story, name) for name in names] == list(range(1, len(names) + 1))
    assert chapter_number(story, "No Such Chapter") == 0


def test_a_game_started_from_a_chapter_plays_on_from_that_state(store, story):
    session = Session.new(store)
    for move in (1, 1, 2, 1):  # a letter home on the way: a `once` choice taken, letters 1
        session.choose(move)
    chapter = Session.from_chapter(store, "The Applications")
    game = chapter.game
    assert game.scene.id == "desk" and game.path == [] and not game.can_undo
    assert game.state.variables["letters"] == 1 and game.state.variables["grit"] == 2
    assert store.autosave_entry().scene == "desk"  # it is the game Continue resumes now
    [entry] = list(game.journal())
    assert entry.scene.id == "desk"


def test_a_chapter_not_reached_or_gone_cannot_be_started(store, story, tmp_path):
    Session.new(store).choose(1)  # the first chapter is recorded with the first move
    with pytest.raises(LoadError, match="has not been reached yet"):
        Session.from_chapter(store, "The Applications")
    data = json.loads(store.progress_path.read_text(encoding="utf-8"))
    data["chapters"]["The Fields"]["scene"] = "gone"
    store.progress_path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoadError, match="no longer has the scene chapter 'The Fields' started in \\('gone'\\)"):
        Session.from_chapter(SaveStore(store.root, story), "The Fields")


def test_scenes_read_are_remembered_and_skipped_in_a_later_game(store, story):
    first = Session.new(store)
    assert first.skip_read() == (0, [])  # nothing read yet
    first.choose(1)
    assert not first.can_skip()  # 'road' is being read for the first time
    first.choose(1)
    assert store.progress()[0].read == {"dawn", "road"}
    second = Session.new(SaveStore(store.root, story))
    second.choose(2)
    assert second.game.scene.id == "road" and second.can_skip()
    passed, changes = second.skip_read()
    assert passed == 1 and second.game.scene.id == "rows" and changes == []
    assert second.game.path == [2, 1]  # a skipped Continue is a move like any other: undo takes it back
    assert SaveStore(store.root, story).autosave_entry().scene == "rows"


def test_skipping_stops_at_a_scene_not_read_yet(store, story):
    session = Session.new(store)
    store.record_progress(read=["road", "houston"])
    session.choose(1)
    session.choose(1)
    assert not session.can_skip()  # 'rows' offers choices: there is nothing to skip
    assert session.skip_read() == (0, [])


def test_back_to_an_earlier_point_undoes_what_came_after(store, story):
    session = Session.new(store)
    for move in (1, 1, 2):
        session.choose(move)
    changes = session.back_to(1)
    assert session.game.path == [1] and session.game.scene.id == "road"
    assert [(c.name, c.old, c.new) for c in changes] == [("letters", 1, 0)]
    assert store.autosave_entry().scene == "road"
    with pytest.raises(ValueError):
        session.back_to(1)  # where it stands now is not an earlier point
    session.back_to(0)
    assert session.game.path == [] and session.game.scene.id == "dawn"


def test_a_value_is_explained_once_across_games(tmp_path, private_home):
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(
        "title: Explained\nstart: a\nvariables:\n"
        "  grit: {default: 1, label: Grit, description: How hard you push back., min: 0, max: 5}\n"
        "  luck: {default: 0, label: Luck, min: 0, max: 5}\n",
        encoding="utf-8",
    )
    (root / "scenes.yaml").write_text(
        "scenes:\n  a:\n    text: A\n    choices:\n      - {text: Push, set: {grit: grit + 1, luck: luck + 1}, goto: a}\n",
        encoding="utf-8",
    )
    story = load_story(root)
    store = SaveStore(private_home, story)
    session = Session.new(store)
    changes = session.choose(1)
    assert [(v.label, v.description) for v in session.explain(changes)] == [("Grit", "How hard you push back.")]
    assert session.explain(session.choose(1)) == []  # once
    assert Session.new(SaveStore(private_home, story)).explain(changes) == []  # in every later game too


def test_an_unreadable_progress_record_is_reported_once_and_left_alone(store, story):
    store.folder.mkdir(parents=True)
    store.progress_path.write_text("{ nope", encoding="utf-8")
    session = Session.new(store)
    for move in (1, 1, 1):
        session.choose(move)
    notes = session.take_notes()
    assert len([n for n in notes if "progress record" in n]) == 1
    assert store.progress_path.read_text(encoding="utf-8") == "{ nope"
    assert not session.can_skip()
    with pytest.raises(LoadError, match="progress record"):
        Session.from_chapter(store, "The Fields")


def test_the_progress_record_is_not_listed_as_a_save(store, story):
    session = Session.new(store)
    session.choose(1)
    assert store.progress_path.is_file()
    assert store.slots() == []


def test_two_copies_of_the_game_add_to_the_progress_record_without_losing_any(store, story):
    other = SaveStore(store.root, story)
    store.progress()  # both have read the record before either writes
    other.progress()
    assert store.record_progress(read=["dawn"]) is None
    assert other.record_progress(read=["road"], chapters={"The Fields": Game(story).state.to_json()}) is None
    progress, _ = SaveStore(store.root, story).progress()
    assert progress.read == {"dawn", "road"} and list(progress.chapters) == ["The Fields"]


def test_an_answer_typed_is_a_move_and_skipping_stops_at_a_question(tmp_path, private_home):
    root = tmp_path / "names"
    root.mkdir()
    (root / "story.yaml").write_text('format: 2\ntitle: Names\nstart: hall\nvariables:\n  name: "Ana"\n')
    (root / "scenes.yaml").write_text(
        "scenes:\n"
        "  hall:\n    text: A hall.\n    goto: ask\n"
        "  ask:\n    input: {variable: name, default: Ana}\n    text: A form.\n    goto: room\n"
        "  room:\n    text: A room.\n    choices:\n      - {text: Back, goto: hall}\n"
    )
    story = load_story(root)
    store = SaveStore(private_home, story)
    session = Session.new(store)
    with pytest.raises(ValueError):
        session.answer("too early")  # the hall asks for nothing
    session.choose(1)
    session.answer("Marta")
    assert session.game.variables["name"] == "Marta" and session.game.path == [1, "Marta"]
    assert store.autosave_entry().data["path"] == [1, "Marta"]
    session.choose(1)  # back to the hall, read before: skipping stops at the question
    assert session.skip_read()[0] == 1 and session.game.scene.id == "ask"
    assert not session.can_skip()
