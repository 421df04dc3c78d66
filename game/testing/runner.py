"""Running playthroughs: a scripted player, and the runner that drives it from files.

`Player` is the whole mechanism: it plays the real runtime (`Game`) one step
at a time and, when a step does not go as written, raises a
`PlaythroughFailure` that says what was expected, what was found, which
choices were offered at that moment and the path taken so far. The file
runner, the `million-miles test` command and the pytest plugin only add the
file and line of the step, so every face reports a failure the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.errors import Diagnostic, StoryError, did_you_mean
from game.engine.expressions import Value, literal
from game.engine.loader import load_story_with_diagnostics
from game.engine.model import Story
from game.engine.runtime import ForcedDraw, Game, GameState, Option, mover_of, with_draws
from game.testing.playthrough import (
    SUFFIX,
    Choose,
    Playthrough,
    Step,
    Type,
    check_against,
    default_name,
    display_path,
    read_playthrough,
    value_problem,
)

#: Folders never searched for playthrough files.
SKIPPED_FOLDERS = {"__pycache__", "node_modules"}
#: How much of a scene's text a failed `text` expectation quotes.
TEXT_EXCERPT = 400


class PlaythroughFailure(AssertionError):
    """A step did not go as written.

    `str()` gives the whole readable report; `render(where)` puts a location
    (file:line:col of the step) in front of it.
    """

    def __init__(self, step: str, problems: list[str], offered: str, path: list[str]):
        self.step = step
        self.problems = problems
        self.offered = offered
        self.path = path
        super().__init__(self.render())

    def render(self, where: str | None = None) -> str:
        head = f"{where}: {self.step} failed" if where else f"{self.step} failed"
        lines = [head, *(f"  {p}" for p in self.problems), f"  offered now: {self.offered}"]
        lines.extend(f"  {line}" for line in self.path)
        return "\n".join(lines)


class Player:
    """A scripted player over the real runtime: choose by text or number, type, check what holds.

    Every method returns the player, so steps chain:
    `play().choose("Wake").expect(scene="fields_row").choose(1)`.

    The game starts in `start` (default: the story's start) with `state` preset, then enters
    it as play does: the scene's `set` and effects apply to the preset values. Chance comes
    from `seed` (default 0: the same draws on every run) unless a move fixes its `draws`.
    """

    def __init__(
        self,
        story: Story,
        start: str | None = None,
        state: Mapping[str, Value] | None = None,
        seed: int = 0,
    ):
        problems = preset_problems(story, start, state or {})
        if problems:
            raise ValueError("; ".join(problems))
        self.story = story
        scene = start or story.start
        initial = GameState(scene, {**story.defaults(), **(state or {})}, seed=seed)
        with_draws(initial, None, lambda: mover_of(story).enter(initial, scene))
        self.game = Game(story, initial)

    # ------------------------------------------------------------------ reading

    @property
    def scene(self) -> str:
        return self.game.state.scene

    @property
    def text(self) -> str:
        return "\n\n".join(self.game.paragraphs)

    @property
    def options(self) -> list[Option]:
        return self.game.options

    @property
    def variables(self) -> dict[str, Value]:
        return self.game.state.variables

    @property
    def ending(self) -> str | None:
        return self.game.scene.ending

    # ------------------------------------------------------------------ steps

    def choose(self, target: int | str, draws: Iterable[int] = ()) -> Player:
        """Take the option numbered `target` (1-based), or the one whose text matches it.

        Text matches case-insensitively: an option whose whole text equals
        `target` wins; otherwise exactly one option must contain it. `draws`
        fixes what the move's random() and roll() give, in the order drawn.
        """
        label = f"choose {target}" if isinstance(target, int) else f'choose "{target}"'
        option = self._option(target, label)
        self._move(label, option.number, draws)
        return self

    def type(self, text: str, draws: Iterable[int] = ()) -> Player:
        """Type `text` where the scene asks for one (its `input`), then continue, as a player does:
        the text is cleaned and cut to the input's length, and nothing typed gives its default."""
        label = f'type "{text}"'
        game = self.game
        if game.is_over:
            raise self._failure(label, [f"the story has ended ('{game.scene.ending}'): there is nothing to type"])
        if not game.asks:
            raise self._failure(
                label, [f"scene '{self.scene}' asks for no text to type: 'choose' one of the choices offered"]
            )
        self._move(label, text, draws)
        return self

    def _move(self, label: str, move: int | str, draws: Iterable[int]) -> None:
        forced = list(draws)
        try:
            self.game.move(move, forced or None)
        except ForcedDraw as exc:
            given = ", ".join(str(d) for d in forced)
            raise self._failure(label, [f"draws [{given}]: {exc}"]) from None

    def expect(
        self,
        *,
        scene: str | None = None,
        title: str | None = None,
        text: str | Iterable[str] = (),
        offers: str | Iterable[str] = (),
        not_offers: str | Iterable[str] = (),
        state: Mapping[str, Value] | None = None,
        ending: str | None = None,
        tags: str | Iterable[str] = (),
        choice_tags: Mapping[str, str | Iterable[str]] | None = None,
    ) -> Player:
        """Check any subset of: the scene, its title, its text, the choices offered or not, variables, the ending,
        the tags the scene carries and the tags of choices offered now (choice text → tags)."""
        problems: list[str] = []
        game = self.game
        if scene is not None and game.state.scene != scene:
            problems.append(f"scene: expected '{scene}', found '{game.state.scene}'")
        if title is not None:
            shown_title = game.title
            if shown_title is None:
                problems.append(f"title: expected the title to show \"{title}\"; scene '{self.scene}' has no title")
            elif _squeeze(title) not in _squeeze(shown_title):
                problems.append(f'title: expected the title to show "{title}"; it shows "{shown_title}"')
        wanted = [text] if isinstance(text, str) else list(text)
        if wanted:
            shown = _squeeze(self.text)
            missing = [t for t in wanted if _squeeze(t) not in shown]
            for t in missing:
                problems.append(f'text: expected the scene to show "{t}"; it shows: "{_excerpt(shown)}"')
        options = game.options
        for want in [offers] if isinstance(offers, str) else offers:
            if not matching_options(options, want):
                problems.append(f'offers: no choice offered now matches "{want}"')
        for unwanted in [not_offers] if isinstance(not_offers, str) else not_offers:
            for option in matching_options(options, unwanted):
                problems.append(f'not_offers: "{unwanted}" is offered, as {option.number}. "{option.text}"')
        for name, value in (state or {}).items():
            if name not in game.state.variables:
                problems.append(
                    f"state: '{name}' is not a variable of this story{did_you_mean(name, self.story.variables)}"
                )
                continue
            found = game.state.variables[name]
            if type(found) is not type(value) or found != value:
                problems.append(f"state: expected {name} = {literal(value)}, found {literal(found)}")
        if ending is not None:
            reached = game.scene.ending
            if reached is None:
                problems.append(
                    f"ending: expected '{ending}', but the story has not ended (it is at scene '{self.scene}')"
                )
            elif reached != ending:
                problems.append(f"ending: expected '{ending}', found '{reached}'")
        carried = game.scene.tags
        missing_tags = [t for t in ([tags] if isinstance(tags, str) else tags) if t not in carried]
        if missing_tags:
            problems.append(
                f"tags: expected scene '{self.scene}' to carry {_listed(missing_tags)}; it carries {_listed(carried)}"
            )
        for want, wanted_tags in (choice_tags or {}).items():
            matches = matching_options(options, want)
            if len(matches) != 1:
                why = "no choice offered now matches" if not matches else f"{len(matches)} choices offered now match"
                problems.append(f'choice_tags: {why} "{want}"')
                continue
            choice = matches[0].choice
            has = choice.tags if choice is not None else ()
            absent = [t for t in ([wanted_tags] if isinstance(wanted_tags, str) else wanted_tags) if t not in has]
            if absent:
                problems.append(
                    f'choice_tags: expected "{matches[0].text}" to carry {_listed(absent)}; it carries {_listed(has)}'
                )
        if problems:
            raise self._failure("expect", problems)
        return self

    # ------------------------------------------------------------------ helpers

    def _option(self, target: int | str, label: str) -> Option:
        game = self.game
        if game.is_over:
            raise self._failure(label, [f"the story has ended ('{game.scene.ending}'): there is nothing to choose"])
        options = game.options
        if isinstance(target, int):
            if 1 <= target <= len(options):
                return options[target - 1]
            raise self._failure(label, [f"there is no choice {target}: {len(options)} offered"])
        found = matching_options(options, target)
        if len(found) == 1:
            return found[0]
        if not found:
            raise self._failure(label, [f'no choice offered now matches "{target}"'])
        listed = ", ".join(f'{o.number}. "{o.text}"' for o in found)
        raise self._failure(
            label, [f'"{target}" matches {len(found)} choices ({listed}): use more of the text, or the number']
        )

    def _failure(self, step: str, problems: list[str]) -> PlaythroughFailure:
        return PlaythroughFailure(step, problems, self._offered(), self._path())

    def _offered(self) -> str:
        game = self.game
        if game.is_over:
            return f"nothing: the story has ended ('{game.scene.ending}')"
        options = game.options
        if not options:
            return f"nothing (a dead end at scene '{self.scene}')"
        return "  ".join(f'{o.number}. "{o.text}"' for o in options)

    def _path(self) -> list[str]:
        entries = list(self.game.journal())
        moves = entries[:-1]
        if not moves:
            return [f"path so far: none yet (at scene '{self.scene}', where the playthrough starts)"]
        lines = [f"path so far ({len(moves)} choice{'s' if len(moves) != 1 else ''}):"]
        width = len(str(len(moves)))
        forced = self.game.forced
        lines.extend(
            f'  {n:>{width}}. {e.scene.id}: "{e.chosen}"{_drew(forced.get(n - 1))}' for n, e in enumerate(moves, 1)
        )
        lines.append(f"  now at scene '{self.scene}'")
        return lines


def _listed(tags: Iterable[str]) -> str:
    names = [f"'{t}'" for t in tags]
    return ", ".join(names) if names else "no tags"


def _drew(draws: list[int] | None) -> str:
    return f" (drew {', '.join(str(d) for d in draws)})" if draws else ""


def play(
    story: Story | str | os.PathLike[str] | None = None,
    *,
    start: str | None = None,
    state: Mapping[str, Value] | None = None,
    seed: int = 0,
) -> Player:
    """A `Player` on `story` (a loaded Story, a story folder, or None for the bundled story).

    Raises `StoryError` (every problem, located) if the folder does not load,
    and `ValueError` if `start` or `state` do not fit the story.
    """
    if not isinstance(story, Story):
        loaded, diagnostics = load_story_with_diagnostics(_story_folder(story))
        if loaded is None:
            raise StoryError(diagnostics)
        story = loaded
    return Player(story, start, state, seed)


def preset_problems(story: Story, start: str | None, state: Mapping[str, Value]) -> list[str]:
    """Why a start scene or preset state does not fit the story (empty: it does)."""
    problems = []
    if start is not None and start not in story.scenes:
        problems.append(f"unknown start scene '{start}'{did_you_mean(start, story.scenes)}")
    for name, value in state.items():
        problem = value_problem(story, name, value, preset=True)
        if problem:
            problems.append(problem)
    return problems


def _story_folder(story: str | os.PathLike[str] | None) -> Path:
    if story is not None:
        return Path(story)
    from game.bundled import bundled_story_path

    return bundled_story_path()


def matching_options(options: list[Option], text: str) -> list[Option]:
    """Options whose whole text is `text` (case-insensitive), else those containing it."""
    wanted = text.casefold()
    exact = [o for o in options if o.text.casefold() == wanted]
    return exact or [o for o in options if wanted in o.text.casefold()]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _excerpt(text: str) -> str:
    return text if len(text) <= TEXT_EXCERPT else text[: TEXT_EXCERPT - 1] + "…"


# --------------------------------------------------------------------------- files


@dataclass
class Result:
    """One playthrough file's outcome."""

    path: Path
    display: str
    name: str
    passed: bool
    steps: int  # steps that passed
    total: int  # steps in the file (0 if it could not be read)
    message: str = ""  # the readable failure, empty when passed
    seconds: float = 0.0
    failed_step: int | None = None  # 1-based; None if it passed or never ran (errors in the file or story)


@dataclass
class StoryCache:
    """Stories loaded once per run, however many playthroughs name them."""

    loaded: dict[Path, tuple[Story | None, list[Diagnostic]]] = field(default_factory=dict)

    def load(self, folder: Path) -> tuple[Story | None, list[Diagnostic]]:
        key = folder.resolve()
        if key not in self.loaded:
            self.loaded[key] = load_story_with_diagnostics(folder)
        return self.loaded[key]


def run_file(path: Path, stories: StoryCache | None = None, story_folder: Path | None = None) -> Result:
    """Run one playthrough file; never raises for a problem in the file or its story.

    `story_folder` is a story folder named on the command line: the playthrough runs against it
    when it names none itself (by default, the bundled story), and may name it.
    """
    began = time.perf_counter()
    stories = stories or StoryCache()
    shown = display_path(path)
    playthrough, diagnostics = read_playthrough(path, shown, story_folder)
    if playthrough is None:
        return _failed(path, shown, default_name(path), 0, 0, _lines(diagnostics), began)
    if any(d.severity == "error" and d.code == "outside" for d in diagnostics):  # never read what it points at
        return _failed(path, shown, playthrough.name, 0, len(playthrough.steps), _lines(diagnostics), began)
    try:
        folder = playthrough.story or _story_folder(story_folder)
    except FileNotFoundError as exc:
        return _failed(path, shown, playthrough.name, 0, len(playthrough.steps), f"{shown}: {exc}", began)
    result = _run_against(playthrough, folder, stories, diagnostics, began)
    if not result.passed and playthrough.story is None and story_folder is None:
        bundled = stories.load(folder)[0]
        result.message += "\n" + _bundled_note(path, shown, bundled.title if bundled is not None else "")
    return result


def _bundled_note(path: Path, shown: str, title: str) -> str:
    """What a failing playthrough that names no story ran against, and how to name its own."""
    own = next((folder for folder in path.resolve().parents if (folder / "story.yaml").is_file()), None)
    fix = (
        f"add 'story: {Path(os.path.relpath(own, path.resolve().parent)).as_posix()}' to test the story it is in"
        if own is not None
        else "add 'story: FOLDER' (relative to this file) to test another one"
    )
    bundled = f"the bundled story, {title}" if title else "the bundled story"
    return f"{shown}: this playthrough names no 'story:', so it ran against {bundled}; {fix}"


def _run_against(
    playthrough: Playthrough, folder: Path, stories: StoryCache, diagnostics: list[Diagnostic], began: float
) -> Result:
    path, shown = playthrough.path, playthrough.display
    story, story_diagnostics = stories.load(folder)
    if story is None:
        where = display_path(folder)
        errors = [_in_story(d, where) for d in story_diagnostics if d.severity == "error"]
        message = "\n".join(
            [
                *_lines(diagnostics).splitlines(),
                f"{shown}: the story at {where} cannot be loaded:",
                *(f"  {e}" for e in errors),
            ]
        )
        return _failed(path, shown, playthrough.name, 0, len(playthrough.steps), message, began)
    problems = [d for d in diagnostics + check_against(playthrough, story) if d.severity == "error"]
    if problems:
        ordered = sorted(dict.fromkeys(problems), key=Diagnostic.sort_key)
        return _failed(path, shown, playthrough.name, 0, len(playthrough.steps), _lines(ordered), began)
    return run_playthrough(playthrough, story, began)


def run_playthrough(playthrough: Playthrough, story: Story, began: float | None = None) -> Result:
    """Play a parsed, checked playthrough against its loaded story."""
    began = time.perf_counter() if began is None else began
    player = Player(story, playthrough.start, playthrough.state, playthrough.seed)
    total = len(playthrough.steps)
    for number, step in enumerate(playthrough.steps, 1):
        try:
            take_step(player, step)
        except PlaythroughFailure as failure:
            message = failure.render(f"{step.loc}: step {number}")
            result = _failed(playthrough.path, playthrough.display, playthrough.name, number - 1, total, message, began)
            result.failed_step = number
            return result
    return Result(
        playthrough.path, playthrough.display, playthrough.name, True, total, total, "", time.perf_counter() - began
    )


def take_step(player: Player, step: Step) -> None:
    """Play one step of a playthrough file; a step that does not go as written raises `PlaythroughFailure`."""
    if isinstance(step, Choose):
        player.choose(step.target, step.draws)
    elif isinstance(step, Type):
        player.type(step.text, step.draws)
    else:
        player.expect(
            scene=step.scene,
            title=step.title,
            text=step.text,
            offers=step.offers,
            not_offers=step.not_offers,
            state=step.state,
            ending=step.ending,
            tags=step.tags,
            choice_tags=step.choice_tags,
        )


def _failed(path: Path, shown: str, name: str, steps: int, total: int, message: str, began: float) -> Result:
    return Result(path, shown, name, False, steps, total, message, time.perf_counter() - began)


def _lines(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(str(d) for d in diagnostics if d.severity == "error")


def _in_story(diagnostic: Diagnostic, folder: str) -> str:
    """A story diagnostic with the story folder in front of its path, as the user would open it."""
    if Path(diagnostic.loc.path).is_absolute():  # about the folder itself ("does not exist")
        return str(diagnostic)
    return f"{folder}/{diagnostic}"


def find_playthroughs(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Every playthrough file named or under the folders named (recursively), and paths that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_FOLDERS)
                found.extend(Path(dirpath) / f for f in sorted(filenames) if f.endswith(SUFFIX))
        else:
            missing.append(str(path))
    return list(dict.fromkeys(found)), missing


def run_paths(
    paths: Iterable[Path], stories: StoryCache | None = None, story_folder: Path | None = None
) -> list[Result]:
    """Run every playthrough file under `paths`, sharing loaded stories."""
    stories = stories or StoryCache()
    files, _ = find_playthroughs(paths)
    return [run_file(f, stories, story_folder) for f in files]
