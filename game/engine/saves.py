"""Saves, the endings record and settings: everything the player keeps between sessions.

Both faces (the Textual app and the line-mode player) share this module, so a
game saved in one loads in the other. It never imports Textual.

Layout of the data folder (`data_dir()`):

    settings.json                  global preferences (the theme)
    <story-slug>/autosave.json     written after every move
    <story-slug>/save-<name>.json  named slots
    <story-slug>/endings.json      the endings reached across all games
    <story-slug>/progress.json     what the player has seen across all games: the
                                   chapters reached (with the state at their start,
                                   for chapter select), the scenes read (to skip
                                   them), the values whose meaning was explained

Every file is written atomically (temp file in the same folder, fsync,
`os.replace`, fsync of the folder), so a crash or a full disk leaves the old
file intact; the temp file of a write killed midway is ignored by every
listing and removed by a later write. A save
records where the game started *and* the path of choices, so undo and the
journal survive a load, plus the current state, so it still loads (without
its history) after the story changed under it. A file that cannot be read is
reported as damaged with the reason, and is never modified or deleted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from msgspec import Struct

from game.engine.errors import Loc
from game.engine.expressions import Value
from game.engine.files import NotAFile, TooLarge, read_limited
from game.engine.format import MAX_INPUT
from game.engine.hashing import digest
from game.engine.model import Story, Variable
from game.engine.runtime import Game, GameOver, GameState, Move, fit_state

SAVE_FORMAT = "million-miles-save"
ENDINGS_FORMAT = "million-miles-endings"
PROGRESS_FORMAT = "million-miles-progress"
VERSION = 1
AUTOSAVE = "autosave"
HOME_ENV = "MILLION_MILES_HOME"

Clock = Callable[[], datetime]
T = TypeVar("T")


def local_now() -> datetime:
    return datetime.now().astimezone()


def data_dir(override: Path | str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Where saves, endings and settings live: `override`, else $MILLION_MILES_HOME, else the user data folder."""
    if override is not None:
        return Path(override).expanduser()
    env = os.environ if environ is None else environ
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser()
    import platformdirs  # only when no folder was given: tests and --save-dir never touch the real one

    return Path(platformdirs.user_data_dir("million-miles", appauthor=False))


def slugify(text: str, fallback: str = "save") -> str:
    """A short, portable file-name fragment for `text` (any script, any punctuation)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    return slug or fallback


def story_folder(identity: str) -> str:
    """The name of a story's saves folder: readable, and its own alone.

    The slug of a title alone made 'Storm' and 'STORM!' (and every title in a script
    without Latin letters) share one folder, and a new game in one replaced the other's
    autosave; a digest of the exact title keeps them apart.
    """
    return f"{slugify(identity, fallback='story')}-{digest(identity.encode('utf-8'), 4).hex()}"


def write_json_atomic(path: Path, data: object) -> None:
    """Replace `path` with `data` so that readers only ever see the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)
    sweep_stale_temps(path.parent)


# A write killed between `mkstemp` and `os.replace` (SIGKILL, power cut) leaves its temporary
# file behind. Listings ignore such files (they start with '.' and end in '.tmp'); the next
# successful write in the folder removes them once they are this old, so that a temp file of
# another copy of the game, saving at this very moment, is never pulled from under it.
STALE_TEMP_SECONDS = 60.0
_TEMP_NAME = re.compile(r"\..+\.json\.[a-z0-9_]+\.tmp")


def sweep_stale_temps(folder: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete the temporary files of interrupted writes in `folder`; return those removed."""
    removed: list[Path] = []
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.fullmatch(entry.name):
            continue
        with suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold `folder` for one read-then-write against every other copy of the game on this
    machine (each browser tab of `serve` is one; a terminal beside them is another). Writes are
    atomic, so two copies never corrupt a file; but two read-then-writes at once would each write
    what it read and lose the other's: an ending recorded at the same moment, or a new slot
    given the same file name. An advisory lock on the folder itself, so no lock file is left
    behind; where the system has none (Windows) writes stay atomic, only not serialised."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when the descriptor is closed
        yield
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- what the dialogs list


class Damaged(Exception):
    """A file that is not a usable save; the message says why, for the player."""


class SaveInfo(Struct, frozen=True):
    """A readable save, with what a slot list shows about it."""

    path: Path
    name: str
    saved_at: datetime
    scene: str
    scene_title: str | None
    chapter: str | None
    counter: tuple[str, Value] | None  # the first labelled variable: ("NASA applications", 3)
    data: dict[str, object]

    @property
    def is_autosave(self) -> bool:
        return self.path.stem == AUTOSAVE


class DamagedSave(Struct, frozen=True):
    """A file in the saves folder that cannot be loaded, and why. Shown, never touched."""

    path: Path
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


SaveEntry = SaveInfo | DamagedSave


class LoadError(Exception):
    """A readable save that cannot be resumed in this story; the message says why."""


class Loaded(Struct):
    game: Game
    note: str | None = None  # set when the save was adapted to a changed story


# --------------------------------------------------------------------------- parsing a save file


def _require(data: Mapping[str, object], key: str, kind: type[T], what: str) -> T:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Damaged(f"{what}: '{key}' is missing or malformed")
    return value


def _check_state(data: object, what: str) -> dict[str, object]:
    if not isinstance(data, dict):
        raise Damaged(f"{what} is missing or malformed")
    _require(data, "scene", str, what)
    variables = _require(data, "variables", dict, what)
    for name, value in variables.items():
        if not isinstance(value, (bool, int, str)) and not _string_list(value):
            raise Damaged(f"{what}: variable '{name}' has an unusable value")
    visits = data.get("visits", {})
    if not isinstance(visits, dict) or not all(type(v) is int for v in visits.values()):
        raise Damaged(f"{what}: 'visits' is malformed")
    taken = data.get("taken", [])
    if not isinstance(taken, list) or not all(isinstance(t, str) for t in taken):
        raise Damaged(f"{what}: 'taken' is malformed")
    if not _string_list(data.get("stack", [])):
        raise Damaged(f"{what}: 'stack' is malformed")
    for key in ("seed", "draws"):
        number = data.get(key, 0)
        if type(number) is not int or not 0 <= number < 2**64:
            raise Damaged(f"{what}: '{key}' is malformed")
    return data


def _string_list(value: object) -> bool:
    """A JSON list of strings: how a save writes a set, and the calls in progress."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_move(item: object) -> bool:
    """A move of a saved path: an option's number, or a text typed at an `input` (one line, short)."""
    if type(item) is int:
        return item >= 1
    return isinstance(item, str) and len(item) <= MAX_INPUT and item.isprintable()


#: No save is near this size (a 10,000-move game's save is about 60 KB); anything larger is not one.
MAX_SAVE_BYTES = 16 * 1024 * 1024


def _read_json_file(path: Path) -> bytes:
    """The bytes of a file the game keeps, read as `game.engine.files` reads what strangers write:
    a regular file, not through a link, its size checked before it is read."""
    return read_limited(path, MAX_SAVE_BYTES, follow_links=False)


def read_save(path: Path, identity: str) -> SaveInfo:
    """Read and check one save file; raise `Damaged` with a reason a player can understand."""
    try:
        raw = _read_json_file(path)
    except NotAFile as exc:
        raise Damaged(f"not a save file: {exc}") from None
    except TooLarge as exc:
        raise Damaged(f"not a save file: {exc.size:,} bytes, far more than any save") from None
    except OSError as exc:
        raise Damaged(f"cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise Damaged("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Damaged("the file is not text (corrupted)") from None
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(exc.doc.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        raise Damaged("the file is truncated" if cut else f"the file is corrupted (line {exc.lineno})") from None
    except (ValueError, RecursionError):  # a number too long to convert, brackets nested too deep
        raise Damaged("the file is corrupted (it holds data no save contains)") from None
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise Damaged("not a save file of this game")
    version = data.get("version")
    if version != VERSION:
        raise Damaged(f"made by another version of the game (save format {version!r}, this one reads {VERSION})")
    story = data.get("story")
    if story != identity:
        raise Damaged(f"belongs to another story ({story!r})")
    name = _require(data, "name", str, "the save")
    try:
        saved_at = datetime.fromisoformat(str(_require(data, "saved_at", str, "the save")))
    except ValueError:
        raise Damaged("the save time is malformed") from None
    if saved_at.tzinfo is None:  # every save this game writes says its time zone; saves are sorted by it
        raise Damaged("the save time has no time zone")
    _check_state(data.get("initial"), "the starting state")
    state = _check_state(data.get("state"), "the current state")
    path_ = data.get("path")
    if not isinstance(path_, list) or not all(_is_move(n) for n in path_):
        raise Damaged("the list of choices is malformed")
    counter = data.get("counter")
    shown: tuple[str, Value] | None = None
    # only what a variable can hold is shown: anything else is ignored, not a crash in the list
    if (
        isinstance(counter, list)
        and len(counter) == 2
        and isinstance(counter[0], str)
        and (isinstance(counter[1], (bool, int, str)) or _string_list(counter[1]))
    ):
        shown = (counter[0], frozenset(counter[1]) if isinstance(counter[1], list) else counter[1])
    where = data.get("where")
    if not isinstance(where, dict):
        where = {}
    return SaveInfo(
        path=path,
        name=str(name),
        saved_at=saved_at,
        scene=str(state["scene"]),
        scene_title=_opt_str(where.get("title")),
        chapter=_opt_str(where.get("chapter")),
        counter=shown,
        data=data,
    )


def _aware(moment: datetime) -> datetime:
    """A time without a zone, from a hand-edited record, read as local time: still comparable with the others."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# --------------------------------------------------------------------------- adapting a save to the story


def _fit_state(story: Story, data: dict[str, object]) -> GameState:
    """A saved state made valid for `story` as it is now: new variables take their defaults,
    values of removed or retyped variables are dropped, and so are unknown scenes and choices."""
    return fit_state(story, GameState.from_json(data))


def restore(story: Story, data: dict[str, object]) -> Loaded:
    """Rebuild a game from a checked save: with its whole history when the path still
    replays to the saved state, else from the saved state alone when its scene exists."""
    initial_data, state_data = data["initial"], data["state"]
    assert isinstance(initial_data, dict) and isinstance(state_data, dict)
    numbers = data["path"]
    assert isinstance(numbers, list)
    path: list[Move] = [n if isinstance(n, str) else int(n) for n in numbers]
    scene = str(state_data["scene"])
    target = _fit_state(story, state_data) if scene in story.scenes else None
    if str(initial_data["scene"]) in story.scenes and target is not None:
        try:
            game = Game.resume(story, _fit_state(story, initial_data), path)
        except (ValueError, GameOver, KeyError, TypeError):
            game = None
        if game is not None and game.state == target:
            return Loaded(game)
    if target is None:
        raise LoadError(f"the story no longer has the scene this save is in ('{scene}')")
    return Loaded(
        Game(story, target),
        note="The story has changed since this save: it resumes at the same scene, "
        "but undo and the journal start from here.",
    )


# --------------------------------------------------------------------------- the store


class SaveStore:
    """The saves, endings record and settings of one story, in one data folder."""

    def __init__(self, root: Path, story: Story, clock: Clock = local_now):
        self.root = Path(root)
        self.story = story
        self.clock = clock
        self.folder = self.root / story_folder(story.identity)
        self._progress: tuple[Progress, str | None] | None = None
        self._adopt_saves_from_the_old_folder()

    def _adopt_saves_from_the_old_folder(self) -> None:
        """Copy this story's saves and endings record from the folder named by the slug alone.

        Games until December 2026 kept each story's saves in a folder named after its title's
        slug, which two stories could share. The first time a story runs with its own folder,
        the files of that old folder that belong to it (their `story` is this story's title) are
        copied there; the old folder is left as it was, for any other story it holds. The copy is
        made in a temporary folder renamed into place, so it happens whole or not at all.
        """
        identity = self.story.identity
        old = self.root / slugify(identity, fallback="story")
        if self.folder.exists() or not old.is_dir():
            return
        mine: list[tuple[str, bytes]] = []
        for path in sorted(old.glob("*.json")):
            if path.name.startswith("."):
                continue
            try:
                raw = _read_json_file(path)
                data = json.loads(raw.decode("utf-8"))
            except (OSError, UnicodeDecodeError, ValueError, RecursionError):
                continue  # unreadable: left where it is, listed as damaged by nobody's game
            if isinstance(data, dict) and data.get("story") == identity:
                mine.append((path.name, raw))
        if not mine:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=self.root, prefix=f".{self.folder.name}.", suffix=".tmp"))
        except OSError:
            return  # the saves stay in the old folder, untouched, until a start that can copy them
        try:
            for name, raw in mine:
                (staging / name).write_bytes(raw)
            os.rename(staging, self.folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)

    # ------------------------------------------------------------------ writing saves

    def snapshot(self, game: Game, name: str) -> dict[str, object]:
        """The JSON document of a save of `game` called `name`."""
        scene = game.scene
        first = self.story.labelled[:1]
        value = game.state.variables.get(first[0].name) if first else None
        counter = [first[0].label, sorted(value) if isinstance(value, frozenset) else value] if first else None
        return {
            "format": SAVE_FORMAT,
            "version": VERSION,
            "story": self.story.identity,
            "name": name,
            "saved_at": self.clock().isoformat(timespec="seconds"),
            "where": {"title": scene.title, "chapter": scene.chapter},
            "counter": counter,
            "initial": game.initial.to_json(),
            "path": list(game.path),
            "state": game.state.to_json(),
        }

    def autosave(self, game: Game) -> Path:
        path = self.folder / f"{AUTOSAVE}.json"
        write_json_atomic(path, self.snapshot(game, "Autosave"))
        return path

    def save(self, game: Game, name: str) -> Path:
        """Save into the slot called `name`, replacing it if it exists (never a damaged file)."""
        name = " ".join(name.split()) or "Save"
        with folder_lock(self.folder):  # another copy of the game may be choosing a file name too
            path = self.slot_path(name)
            write_json_atomic(path, self.snapshot(game, name))
        return path

    def slot_path(self, name: str) -> Path:
        """The file of the slot called `name`: its own file if a readable save has that name,
        else a fresh file (so a damaged file or another slot is never overwritten)."""
        for entry in self.slots():
            if isinstance(entry, SaveInfo) and entry.name.casefold() == name.casefold():
                return entry.path
        base = f"save-{slugify(name)}"
        path, n = self.folder / f"{base}.json", 2
        while path.exists():
            path, n = self.folder / f"{base}-{n}.json", n + 1
        return path

    def find(self, name: str) -> SaveInfo | None:
        """The readable named slot called `name` (case-insensitive), if any."""
        for entry in self.slots():
            if isinstance(entry, SaveInfo) and entry.name.casefold() == name.casefold():
                return entry
        return None

    # ------------------------------------------------------------------ reading saves

    def entry(self, path: Path) -> SaveEntry:
        try:
            return read_save(path, self.story.identity)
        except Damaged as exc:
            return DamagedSave(path, str(exc))

    def autosave_entry(self) -> SaveEntry | None:
        path = self.folder / f"{AUTOSAVE}.json"
        return self.entry(path) if path.exists() else None

    def game_in_progress(self, auto: SaveEntry | None = None) -> bool:
        """Whether the autosave (`auto`, if already read) holds a game not yet ended, which a
        new game would replace."""
        auto = self.autosave_entry() if auto is None else auto
        scene = self.story.scenes.get(auto.scene) if isinstance(auto, SaveInfo) else None
        return scene is not None and scene.ending is None

    def slots(self) -> list[SaveEntry]:
        """The named saves, newest first, then the damaged files by name."""
        if not self.folder.is_dir():
            return []
        entries = [
            self.entry(p)
            for p in sorted(self.folder.glob("*.json"))
            if p.name not in (f"{AUTOSAVE}.json", ENDINGS_FILE, PROGRESS_FILE) and not p.name.startswith(".")
        ]
        good = sorted((e for e in entries if isinstance(e, SaveInfo)), key=lambda e: e.saved_at, reverse=True)
        return [*good, *(e for e in entries if isinstance(e, DamagedSave))]

    def load(self, entry: SaveInfo | Path) -> Loaded:
        """Resume the save (re-read from disk, it may have changed since it was listed)."""
        path = entry.path if isinstance(entry, SaveInfo) else entry
        try:
            info = read_save(path, self.story.identity)
        except Damaged as exc:
            raise LoadError(f"{path.name} cannot be loaded: {exc}") from None
        return restore(self.story, info.data)

    # ------------------------------------------------------------------ endings

    @property
    def endings_path(self) -> Path:
        return self.folder / ENDINGS_FILE

    def reached(self) -> tuple[dict[str, datetime], str | None]:
        """The endings reached so far (id → first time) and, if the record is unreadable, why."""
        path = self.endings_path
        if not path.exists():
            return {}, None
        try:
            data = json.loads(_read_json_file(path).decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != ENDINGS_FORMAT:
                raise ValueError("not an endings record")
            if data.get("version") != VERSION:
                raise ValueError(f"made by another version (format {data.get('version')!r})")
            reached = data.get("reached")
            if not isinstance(reached, dict):
                raise ValueError("'reached' is malformed")
            return {str(k): _aware(datetime.fromisoformat(str(v))) for k, v in reached.items()}, None
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            return {}, f"the endings record {path} cannot be read ({exc})"

    def record_ending(self, ending: str) -> str | None:
        """Remember that `ending` was reached; return a problem to show, or None.
        An unreadable record is left as it is rather than replaced by a shorter one."""
        try:
            with folder_lock(self.folder):  # another copy of the game may be recording an ending too
                return self._record_ending(ending)
        except OSError as exc:
            return f"could not record the ending ({exc.strerror or exc})"

    def _record_ending(self, ending: str) -> str | None:
        reached, problem = self.reached()
        if problem:
            return problem
        if ending in reached:
            return None
        reached[ending] = self.clock()
        data = {
            "format": ENDINGS_FORMAT,
            "version": VERSION,
            "story": self.story.identity,
            "reached": {k: v.isoformat(timespec="seconds") for k, v in reached.items()},
        }
        try:
            write_json_atomic(self.endings_path, data)
        except OSError as exc:
            return f"could not record the ending ({exc.strerror or exc})"
        return None

    # ------------------------------------------------------------------ progress: chapters reached, scenes read

    @property
    def progress_path(self) -> Path:
        return self.folder / PROGRESS_FILE

    def progress(self) -> tuple[Progress, str | None]:
        """What the player has seen across all games and, if the record is unreadable, why (then
        nothing counts as seen). Read once, then kept up to date by `record_progress`."""
        if self._progress is None:
            self._progress = self._read_progress()
        return self._progress

    def _read_progress(self) -> tuple[Progress, str | None]:
        path = self.progress_path
        if not path.exists():
            return Progress(), None
        try:
            data = json.loads(_read_json_file(path).decode("utf-8"))
            if not isinstance(data, dict) or data.get("format") != PROGRESS_FORMAT:
                raise ValueError("not a progress record")
            if data.get("version") != VERSION:
                raise ValueError(f"made by another version (format {data.get('version')!r})")
            chapters = data.get("chapters", {})
            if not isinstance(chapters, dict):
                raise ValueError("'chapters' is malformed")
            for name, state in chapters.items():
                _check_state(state, f"the start of chapter '{name}'")
            lists = {key: data.get(key, []) for key in ("read", "explained")}
            for key, values in lists.items():
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise ValueError(f"'{key}' is malformed")
            return Progress(dict(chapters), set(lists["read"]), set(lists["explained"])), None
        except (Damaged, OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            return Progress(), f"the progress record {path} cannot be read ({exc})"

    def record_progress(
        self,
        chapters: Mapping[str, dict[str, object]] | None = None,
        read: Iterable[str] = (),
        explained: Iterable[str] = (),
    ) -> str | None:
        """Add to the record: chapters first entered (name → the game state then; a chapter already
        recorded keeps its first state), scenes read, values explained. Return a problem to show,
        or None. Merged with what another copy of the game may have written since it was read; an
        unreadable record is left as it is rather than replaced by a shorter one."""
        chapters, read, explained = dict(chapters or {}), set(read), set(explained)
        known, problem = self.progress()
        if problem:
            return problem
        if chapters.keys() <= known.chapters.keys() and read <= known.read and explained <= known.explained:
            return None
        try:
            with folder_lock(self.folder):  # another copy of the game may be recording too
                current, problem = self._read_progress()
                if problem:
                    self._progress = (current, problem)
                    return problem
                merged = Progress(
                    {**current.chapters, **{k: v for k, v in chapters.items() if k not in current.chapters}},
                    current.read | read,
                    current.explained | explained,
                )
                data = {
                    "format": PROGRESS_FORMAT,
                    "version": VERSION,
                    "story": self.story.identity,
                    "chapters": merged.chapters,
                    "read": sorted(merged.read),
                    "explained": sorted(merged.explained),
                }
                write_json_atomic(self.progress_path, data)
        except OSError as exc:
            return f"could not record your progress ({exc.strerror or exc})"
        self._progress = (merged, None)
        return None

    # ------------------------------------------------------------------ settings

    @property
    def settings_path(self) -> Path:
        return self.root / "settings.json"

    def settings(self) -> dict[str, object]:
        """Preferences shared by every story; an unreadable file just means the defaults."""
        try:
            data = json.loads(read_limited(self.settings_path, MAX_SAVE_BYTES).decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
            return {}
        return data if isinstance(data, dict) else {}

    def update_settings(self, **values: object) -> None:
        settings = self.settings()
        if all(settings.get(k) == v for k, v in values.items()):
            return
        settings.update(values)
        write_json_atomic(self.settings_path, settings)


ENDINGS_FILE = "endings.json"
PROGRESS_FILE = "progress.json"


class Progress(Struct):
    """What a player has seen of a story across all games (`SaveStore.progress`)."""

    #: Each chapter reached → the game state (`GameState.to_json`) when the player first entered it.
    chapters: dict[str, dict[str, object]] = {}
    #: The scenes the player has read (moved on from) at least once.
    read: set[str] = set()
    #: The variables whose description the player has been shown.
    explained: set[str] = set()


# --------------------------------------------------------------------------- a playthrough that keeps itself


class Change(Struct, frozen=True):
    """A labelled variable that a move changed, for the highlight and the plain-mode line."""

    name: str
    label: str
    old: Value | None
    new: Value | None


class PlayError(Exception):
    """An unexpected failure during a move; the game was restored and autosaved first."""

    def __init__(self, scene: str, loc: Loc, error: BaseException):
        self.scene, self.loc, self.error = scene, loc, error
        super().__init__(f"{type(error).__name__}: {error}")

    @property
    def where(self) -> str:
        return f"scene '{self.scene}' ({self.loc})"


class Session:
    """A game plus its store: every move is autosaved, every ending recorded, and what the player
    has seen (chapters entered, scenes read) added to the progress record.

    Both faces drive play through this, so autosave, the endings gallery, chapter select, skip
    and crash safety behave the same in the Textual app and in plain mode.
    """

    def __init__(self, store: SaveStore, game: Game, note: str | None = None):
        self.store = store
        self.game = game
        self.notes: list[str] = [note] if note else []
        self._read: list[str] = []  # scenes moved on from during the move under way
        self._entered: dict[str, dict[str, object]] = {}  # chapters entered during it, with the state then
        self._first: dict[str, dict[str, object]] = {}  # the chapter a new game began in, not yet recorded
        self._progress_reported = False

    @classmethod
    def new(cls, store: SaveStore) -> "Session":
        session = cls(store, Game.new(store.story))  # its own seed: each new game its own draws
        session.autosave()
        chapter = session.game.scene.chapter
        if chapter:  # a new game enters the first chapter: recorded with the first move, not
            # written now, on the way to the first frame
            session._first[chapter] = session.game.state.to_json()
        return session

    @classmethod
    def load(cls, store: SaveStore, entry: SaveInfo | Path) -> "Session":
        """Raise `LoadError` with a reason when the save cannot be resumed."""
        loaded = store.load(entry)
        session = cls(store, loaded.game, loaded.note)
        session.autosave()
        session._record_ending()
        return session

    @classmethod
    def from_chapter(cls, store: SaveStore, chapter: str) -> "Session":
        """A new game from the start of `chapter`, as the player first entered it (chapter select).

        The progress record keeps, for each chapter, the whole game state at the moment the player
        first entered it, and the game starts again from that state: the values, the scenes
        visited and the once-only choices taken are the player's own, as they were then, so the
        chapter plays exactly as it did, conditions included. (Replaying the choices that led
        there would need them kept too, and they differ from game to game: a state is all a game
        needs.) Undo and the journal reach back to the start of the chapter. The state is fitted
        to the story as it is now, like a save's. Raise `LoadError` when the chapter was never
        reached, or the scene it started in is gone from the story.
        """
        progress, problem = store.progress()
        data = progress.chapters.get(chapter)
        if data is None:
            raise LoadError(problem or f"the chapter '{chapter}' has not been reached yet")
        scene = str(data["scene"])
        if scene not in store.story.scenes:
            raise LoadError(f"the story no longer has the scene chapter '{chapter}' started in ('{scene}')")
        session = cls(store, Game(store.story, _fit_state(store.story, data)))
        session.autosave()
        return session

    def take_notes(self) -> list[str]:
        """Messages for the player (a note about a changed story, a failed autosave), once each."""
        notes, self.notes = self.notes, []
        return notes

    def autosave(self) -> bool:
        try:
            self.store.autosave(self.game)
        except OSError as exc:
            self.notes.append(f"Autosave failed: {exc.strerror or exc}")
            return False
        return True

    def save(self, name: str) -> Path:
        return self.store.save(self.game, name)

    def choose(self, number: int) -> list[Change]:
        """Take option `number`. A ValueError means no such option; any other failure
        becomes a `PlayError` after the game is put back where it was and autosaved."""
        if not 1 <= number <= len(self.game.options):
            raise ValueError(f"there is no choice {number}")
        return self._move(lambda: self._step(number))

    def answer(self, text: str) -> list[Change]:
        """Type `text` where the scene asks for one (its `input`; nothing typed takes the default),
        then go on. A ValueError when the scene asks for no text."""
        if not self.game.asks:
            raise ValueError("this scene asks for no text")
        return self._move(lambda: self._step(text))

    def undo(self) -> list[Change]:
        if not self.game.can_undo:
            raise ValueError("nothing to undo")
        return self._move(self.game.undo)

    def back_to(self, moves: int) -> list[Change]:
        """Go back to where the game stood after its first `moves` choices (the journal's "back to
        here"): those after are undone, as many undos would. A ValueError when there is no such point."""
        if not 0 <= moves < len(self.game.path):
            raise ValueError(f"there is no earlier point {moves}")
        path = self.game.path[:moves]
        return self._move(lambda: self.game.replay(path))

    # ------------------------------------------------------------------ skipping what was read

    def can_skip(self) -> bool:
        """Whether `skip_read` would move: this scene only continues, and was read in an earlier visit."""
        return self._only_continues() and self.game.scene.id in self.store.progress()[0].read

    def _only_continues(self) -> bool:
        """Whether the scene offers one Continue and nothing else to decide (no choice, no text to type)."""
        game = self.game
        if game.is_over or game.asks or game.scene.choices is not None:
            return False
        return len(game.options) == 1

    def skip_read(self) -> tuple[int, list[Change]]:
        """Skip text already read, as visual novels do: take the Continue of each scene read in an
        earlier visit (this one first), and stop at a choice, at a scene not read yet, or at an
        ending. Return how many scenes were passed (0: nothing to skip here) and what changed.
        A story whose Continues loop among read scenes stops after visiting every scene once."""
        if not self.can_skip():
            return 0, []
        read = self.store.progress()[0].read
        passed = 0

        def move() -> None:
            nonlocal passed
            game = self.game
            while self._only_continues() and game.scene.id in read and passed <= len(game.story.scenes):
                self._step(1)
                passed += 1

        changes = self._move(move)
        return passed, changes

    # ------------------------------------------------------------------ what the values mean

    def explain(self, changes: list[Change]) -> list[Variable]:
        """The variables among `changes` whose meaning (`description`) the player has not been told
        yet in any game of this story; they count as told from now on."""
        progress, problem = self.store.progress()
        if problem:
            self._report(problem)
            return []
        variables = self.game.story.variables
        new = [
            variables[c.name]
            for c in changes
            if c.name in variables and variables[c.name].description and c.name not in progress.explained
        ]
        if new:
            self._report(self.store.record_progress(explained=[v.name for v in new]))
        return new

    # ------------------------------------------------------------------ moving

    def _step(self, move: Move) -> None:
        """One move (an option's number, or the text typed at an `input`), noting the scene read and
        any chapter entered for the progress record."""
        game = self.game
        left = game.scene
        game.move(move)
        self._read.append(left.id)
        chapter = game.scene.chapter
        if chapter and chapter != left.chapter:
            self._entered.setdefault(chapter, game.state.to_json())

    def _move(self, move: Callable[[], None]) -> list[Change]:
        game = self.game
        before_path, before = list(game.path), dict(game.state.variables)
        scene = game.scene
        self._read, self._entered = [], {}
        try:
            move()
            _ = (game.paragraphs, game.options)  # render now, so a failing scene fails here, not mid-draw
        except Exception as exc:  # anything unexpected: keep the game, tell the player
            self._read, self._entered = [], {}
            failed = game.scene if game.state.scene in game.story.scenes else scene
            with suppress(Exception):
                game.replay(before_path)
            self.autosave()
            raise PlayError(failed.id, failed.loc, exc) from exc
        saved = self.autosave()
        self._record_ending()
        self._remember(quiet=not saved)  # a folder that refused the autosave is said once, not twice
        return [
            Change(v.name, v.label or v.name, before.get(v.name), game.state.variables.get(v.name))
            for v in game.story.labelled
            if before.get(v.name) != game.state.variables.get(v.name)
        ]

    def _remember(self, quiet: bool = False) -> None:
        """Add the scenes read and the chapters entered by the last move to the progress record."""
        read, entered = self._read, {**self._first, **self._entered}
        self._read, self._entered, self._first = [], {}, {}
        if read or entered:
            problem = self.store.record_progress(chapters=entered, read=read)
            if not quiet:
                self._report(problem)

    def _report(self, problem: str | None) -> None:
        """Tell the player once per session that progress cannot be recorded (not at every move)."""
        if problem and not self._progress_reported:
            self._progress_reported = True
            self.notes.append(problem)

    def _record_ending(self) -> None:
        if self.game.is_over:
            problem = self.store.record_ending(self.game.scene.ending or "")
            if problem:
                self.notes.append(problem)
