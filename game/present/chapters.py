"""The story's chapters as chapter select lists them, in either face."""

from __future__ import annotations

from collections.abc import Iterator

from msgspec import Struct

from game.engine.model import Story
from game.engine.saves import Progress


class ChapterEntry(Struct, frozen=True):
    name: str
    #: Whether the player has reached it in some game: only then can a game start from it.
    reached: bool


def _chapters_in_order(story: Story) -> Iterator[str]:
    """The chapters in story order: as their first scenes come in the story's files, each once.
    Lazily, as scenes are decoded from the cache one by one: a caller that stops early decodes
    only the scenes before it stopped."""
    seen: set[str] = set()
    for scene in story.scenes.values():
        if scene.chapter and scene.chapter not in seen:
            seen.add(scene.chapter)
            yield scene.chapter


def chapter_names(story: Story) -> list[str]:
    """The chapters in story order: as their first scenes come in the story's files."""
    return list(_chapters_in_order(story))


def chapter_number(story: Story, chapter: str) -> int:
    """`chapter`'s place in story order, from 1 (0 if no scene has it). For the chapter card at a
    new game's first scene, this reads the story's scenes only as far as that chapter's first."""
    for number, name in enumerate(_chapters_in_order(story), start=1):
        if name == chapter:
            return number
    return 0


def chapter_list(story: Story, progress: Progress) -> list[ChapterEntry]:
    """Every chapter of the story, in order, each reached or not. A chapter reached under a name
    the story no longer has is left out: its scenes are gone or renamed."""
    return [ChapterEntry(name, name in progress.chapters) for name in chapter_names(story)]
