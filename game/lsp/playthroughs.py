"""Playthrough files in the editor: checked and played as they are typed, completed from the story.

A playthrough buffer is read with the test runner's own reader
(`game.testing.playthrough.parse_playthrough`), checked against the story it
names (`check_against`: unknown scenes, endings, variables) and, when that is
clean, played step by step by the runner's `Player`: the first step that does
not go as written is underlined with the runner's own explanation (what was
expected, what is offered now). The story is the server's latest check of that
folder, open buffers included, so fixing a choice's text in a scene file
clears the playthrough's underline at once.
"""

from __future__ import annotations

from pathlib import Path

from game.engine.errors import Diagnostic, Loc
from game.engine.model import Story
from game.testing.playthrough import Expect, Playthrough, check_against, parse_playthrough
from game.testing.runner import Player, PlaythroughFailure, take_step


def story_folder(path: Path, text: str) -> Path | None:
    """The story folder a playthrough names (None: its text cannot be read; the bundled story by default)."""
    playthrough, _ = parse_playthrough(path, text.encode("utf-8", "surrogatepass"), path.name)
    if playthrough is None:
        return None
    if playthrough.story is not None:
        return playthrough.story
    from game.bundled import bundled_story_path

    return bundled_story_path()


def check(path: Path, shown: str, text: str, story: Story | None) -> list[Diagnostic]:
    """Every problem of the playthrough in `text`, located in it (paths are `shown`)."""
    playthrough, diagnostics = parse_playthrough(path, text.encode("utf-8", "surrogatepass"), shown)
    if playthrough is None:
        return diagnostics
    if story is None:
        return [
            *diagnostics,
            Diagnostic(
                Loc(shown, 0, 0),
                "the story this playthrough plays does not load: fix its errors to play the steps",
                "warning",
                "story",
            ),
        ]
    diagnostics += check_against(playthrough, story)
    if any(d.severity == "error" for d in diagnostics):
        return diagnostics
    return diagnostics + _play(playthrough, story)


def _play(playthrough: Playthrough, story: Story) -> list[Diagnostic]:
    try:
        player = Player(story, playthrough.start, playthrough.state, playthrough.seed)
    except ValueError:  # reported by check_against
        return []
    for number, step in enumerate(playthrough.steps, 1):
        try:
            take_step(player, step)
        except PlaythroughFailure as failure:
            problems = "; ".join(failure.problems)
            message = f"step {number} ({failure.step}) cannot pass: {problems}; offered now: {failure.offered}"
            return [Diagnostic(step.loc, message, "error", "step")]
    return []


def offered_at(path: Path, text: str, line: int, story: Story | None) -> list[str]:
    """The texts of the choices offered when the step on 0-based `line` runs: the moves above it
    are played (`choose` and `type`, not `expect`); with nothing to play, every choice text of the story."""
    if story is None:
        return []
    playthrough, _ = parse_playthrough(path, text.encode("utf-8", "surrogatepass"), path.name)
    try:
        player = (
            Player(story, playthrough.start, playthrough.state, playthrough.seed)
            if playthrough is not None
            else Player(story)
        )
        for step in playthrough.steps if playthrough else []:
            if step.loc.line - 1 >= line:
                break
            if not isinstance(step, Expect):
                take_step(player, step)
    except (ValueError, PlaythroughFailure):
        return _every_choice(story)
    if player.game.is_over:
        return []
    return list(dict.fromkeys(option.text for option in player.options))


def _every_choice(story: Story) -> list[str]:
    texts: dict[str, None] = {}
    for scene in story.scenes.values():
        for choice in scene.choices or ():
            if not choice.text.names:
                texts[choice.text.source] = None
    return list(texts)
