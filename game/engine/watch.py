"""Live reloading for `play --watch`: notice edits to a story folder and carry a game across them.

An author plays their story while editing it. Two jobs make that work, and
both live here so every face (the Textual app, the line player) behaves alike:

* **Noticing a change, cheaply.** `StoryWatcher.poll()` compares a *stat
  signature* of the story's files (relative path → size, mtime, inode) with
  the last one. That costs one `stat` per file and reads no content, so it
  can run twice a second for the whole session; the story is loaded again
  only when the signature differs, and then `StoryWatcher.reload()` compiles
  only the files whose bytes changed (`game.engine.loader.StoryLoader`). The files watched are the ones the loader
  reads: `story.yaml` and every other `*.yaml`/`*.yml` below the folder
  (subfolders too), minus hidden files and playthrough tests.
* **Carrying the game over.** A game is its starting state plus the numbers of
  the choices made (`Game.initial`, `Game.path`), so `replay()` rebuilds it on
  the new story by making the same choices again, each found by its text (or,
  reworded, by its place) so that inserting or reordering choices does not
  make the replay take another one. When an edit makes that impossible (a
  choice removed, a scene that became an ending) the replay stops at the last
  point it could reach and says where and why, rather than throwing the player
  back to the start.

A story that no longer loads is reported with its diagnostics and the caller
keeps playing the last good version: nothing here replaces a working game
with a broken one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.errors import Diagnostic, Loc
from game.engine.loader import PLAYTHROUGH_SUFFIX, StoryLoader
from game.engine.model import Choice, Scene, Story
from game.engine.runtime import CONTINUE, Game, GameState, Option, apply_choice, fit_state, new_state, plan
from game.engine.saves import SaveStore, Session

#: How often the faces look at the files. Fast enough to feel live, slow enough to cost nothing.
POLL_SECONDS = 0.5

#: What a file looked like: size, modification time (ns) and inode. An editor that saves by writing
#: a new file and renaming it over the old one changes the inode even when size and time collide.
Stamp = tuple[int, int, int]
Signature = dict[str, Stamp]
_MISSING: Stamp = (-1, -1, -1)  # a name that is listed but cannot be stat'ed (a dangling link)


def _watched(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) and not name.startswith(".") and not name.endswith(PLAYTHROUGH_SUFFIX)


def scan(root: Path) -> Signature:
    """The stat signature of the story files under `root` (empty if the folder is gone).

    It follows the loader's rules for which files belong to a story, so an edit to
    a file the loader would read is never missed, and an edit to a playthrough test
    or an editor's swap file never reloads the story for nothing.
    """
    signature: Signature = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__pycache__"]
        for name in filenames:
            if not _watched(name):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
                stamp: Stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
            except OSError:
                stamp = _MISSING
            signature[Path(path).relative_to(root).as_posix()] = stamp
    return signature


@dataclass(frozen=True)
class FileChanges:
    """Which story files were added, removed or modified between two scans (relative paths, sorted)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()

    @classmethod
    def between(cls, old: Mapping[str, Stamp], new: Mapping[str, Stamp]) -> "FileChanges":
        return cls(
            added=tuple(sorted(new.keys() - old.keys())),
            removed=tuple(sorted(old.keys() - new.keys())),
            modified=tuple(sorted(p for p in old.keys() & new.keys() if old[p] != new[p])),
        )

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.modified)

    def __bool__(self) -> bool:
        return self.count > 0

    def summary(self) -> str:
        """'1 file changed' / '3 files changed', for the player's notification."""
        return f"{self.count} file changed" if self.count == 1 else f"{self.count} files changed"


class StoryWatcher:
    """Remembers the story's stat signature, says what changed since the last look, and loads
    the story again compiling only what changed."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self.signature = scan(self.root)
        self.loader = StoryLoader(self.root)

    def reload(self) -> Reload:
        """Load the story as it is now; never raises for an author's mistake."""
        try:
            story, diagnostics = self.loader.load()
        except OSError as exc:  # the folder vanished or became unreadable mid-load
            return Reload(None, [Diagnostic(Loc(str(self.root), 0, 0), f"cannot be read ({exc.strerror or exc})")])
        return Reload(story, diagnostics)

    def poll(self) -> FileChanges | None:
        """What changed since the last poll, or None. The new signature is taken *before* the
        caller reads any file, so an edit landing while the story loads shows up next time."""
        signature = scan(self.root)
        if signature == self.signature:
            return None
        changes = FileChanges.between(self.signature, signature)
        self.signature = signature
        return changes


# --------------------------------------------------------------------------- carrying a game over


@dataclass(frozen=True)
class Divergence:
    """Where the replay of a game on an edited story had to stop, and why."""

    replayed: int  # how many of the choices were made again
    total: int  # how many there were
    scene: str  # the scene the game stopped in
    reason: str
    restarted: bool = False  # the game's first scene is gone: it starts over

    def __str__(self) -> str:
        if self.restarted:
            return self.reason
        return f"replayed {self.replayed} of {self.total} choices, stopped in scene '{self.scene}': {self.reason}"


@dataclass(frozen=True)
class Replay:
    """A game rebuilt on a new story; `diverged` is None when every choice could be made again."""

    game: Game
    diverged: Divergence | None = None


@dataclass(frozen=True)
class Step:
    """One move of a game as the player made it: which choice, recognisable in an edited story.

    Choice *numbers* shift when an author inserts, removes or reorders choices, so a
    replay by numbers alone could quietly take another choice. A step remembers the
    choice's text (as written) and where it sat and led, so the replay can find it again.
    """

    number: int
    text: str | None  # the choice's text as written; None for a scene's "Continue"
    shown: str  # as the player read it, for messages
    key: str | None  # the choice's stable id (scene#position)
    targets: tuple[str, ...]  # the scenes its goto can lead to
    siblings: int = 0  # how many choices its scene had: a rewording keeps the count, a removal does not


def steps_of(game: Game) -> list[Step | str]:
    """The moves of `game`, walked again on its own story (a text typed at an `input` stays as it is)."""
    steps: list[Step | str] = []
    state = game.initial.copy()
    for index, move in enumerate(game.path):
        forced = game.forced.get(index)
        drawn = list(forced) if forced else None
        scene_plan = plan(game.story, state.scene)
        if isinstance(move, str):
            steps.append(move)
            apply_choice(game.story, state, None, move, drawn)
            continue
        if scene_plan.continues:
            steps.append(Step(move, None, CONTINUE, None, ()))
            apply_choice(game.story, state, None, None, drawn)
            continue
        choice = scene_plan.offered(state)[move - 1]
        shown = scene_plan.choice_text(choice, state)
        scene = scene_plan.scene
        steps.append(Step(move, choice.text.source, shown, choice.key, _targets(choice), len(scene.choices or ())))
        apply_choice(game.story, state, choice, None, drawn)
    return steps


def _targets(choice: Choice) -> tuple[str, ...]:
    """Where a choice can lead: its goto's scenes, or the scene it calls."""
    return tuple(b.scene for b in choice.goto) or (choice.call or "",)


def _match(step: Step | int, scene: Scene, options: list[Option]) -> int | str:
    """The number of the option that makes `step` again, or why there is none."""
    if isinstance(step, int):
        if step <= len(options):
            return step
        count = len(options)
        now = "none is" if count == 0 else ("only 1 is" if count == 1 else f"only {count} are")
        return f"choice {step} is no longer offered ({now})"
    continues = bool(options) and options[0].choice is None
    if step.text is None:
        return 1 if continues else "this scene now asks for a choice instead of Continue"
    if continues:
        return f"this scene now only continues: the choice '{step.shown}' is gone"
    same_text = [o.number for o in options if o.choice is not None and o.choice.text.source == step.text]
    if same_text:
        return step.number if step.number in same_text else same_text[0]
    if step.number <= len(options) and len(scene.choices or ()) == step.siblings:
        choice = options[step.number - 1].choice  # reworded where it stood, still leading to the same place?
        if choice is not None and choice.key == step.key and _targets(choice) == step.targets:
            return step.number
    return f"the choice '{step.shown}' is no longer offered"


def replay(story: Story, initial: GameState, path: Sequence[Step | int | str], *, fresh: bool = False) -> Replay:
    """Make the moves of `path` again on `story`, starting from `initial`.

    Each move is a `Step` (the choice is looked for by its text, then by its place; see
    `steps_of`) or a bare choice number (taken as it is). `fresh` says the game began as
    a new game (its starting state was the old story's `new_state`): it then starts from
    the *new* story's start and defaults, so an author who changes a default or the
    first scene sees it take effect. Otherwise the starting state is carried over with
    `fit_state`.
    """
    total = len(path)
    if fresh:
        start = new_state(story, initial.seed)
    elif initial.scene in story.scenes:
        start = fit_state(story, initial)
    else:
        game = Game(story)
        reason = f"the game started in scene '{initial.scene}', which is gone: it starts again from the beginning"
        return Replay(game, Divergence(0, total, game.state.scene, reason, restarted=True))
    game = Game(story, start)
    for done, step in enumerate(path):
        scene = game.scene
        if game.is_over:
            return Replay(game, Divergence(done, total, scene.id, "this scene is now an ending"))
        try:
            options = game.options
        except Exception as exc:  # an expression that fails at run time (the loader cannot see every one)
            return Replay(game, Divergence(done, total, scene.id, f"its choices cannot be shown ({exc})"))
        if isinstance(step, str):  # a text the player typed
            if not game.asks:
                return Replay(game, Divergence(done, total, scene.id, "this scene no longer asks for a text"))
            game.answer(step)
            continue
        number = _match(step, scene, options)
        if isinstance(number, str):
            return Replay(game, Divergence(done, total, scene.id, number))
        before = game.state.copy()
        try:
            game.choose(number)
        except Exception as exc:  # same: a failing `set` or `goto` condition
            game.state = before  # `choose` may have half-applied the move; the path is only extended on success
            return Replay(game, Divergence(done, total, scene.id, f"choice {number} failed ({exc})"))
    return Replay(game)


def carry_over(old_story: Story, game: Game, story: Story) -> Replay:
    """Rebuild `game` (played on `old_story`) on `story`, making the same choices as far as they go."""
    fresh = game.initial == new_state(old_story, game.initial.seed)
    return replay(story, game.initial, steps_of(game), fresh=fresh)


@dataclass(frozen=True)
class Reload:
    """The result of loading the story again: the new story, or the errors that stop it."""

    story: Story | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.story is not None


@dataclass(frozen=True)
class Adopted:
    """The store of the reloaded story, and what to tell the player about the reload."""

    store: SaveStore
    message: str
    diverged: Divergence | None = None


def adopt(story: Story, old_story: Story, store: SaveStore, session: Session | None, changes: FileChanges) -> Adopted:
    """Move the saves and the game in progress from `old_story` onto the reloaded `story`.

    The store is made again for the new story (a new title is a new saves folder, as it
    would be on the next start), the session's game is replayed on the new story and
    autosaved, so Continue resumes the reloaded game, and an ending it now stands on is
    recorded. Both faces call this and only redraw.
    """
    new_store = SaveStore(store.root, story, store.clock)
    message = f"Reloaded: {changes.summary()}."
    if session is None:
        return Adopted(new_store, message)
    before = session.game.state.scene
    result = carry_over(old_story, session.game, story)
    session.store, session.game = new_store, result.game
    session.autosave()
    if result.game.is_over:
        problem = new_store.record_ending(result.game.scene.ending or "")
        if problem:
            session.notes.append(problem)
    if result.diverged is not None:
        message += f" The game could not be replayed to the same point: {result.diverged}."
    elif result.game.state.scene != before:
        message += f" The same choices now lead to scene '{result.game.state.scene}'."
    return Adopted(new_store, message, result.diverged)
