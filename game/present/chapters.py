"""The story's chapters as chapter select lists them, in either face."""

from __future__ import annotations

from msgspec import Struct

from game.engine.model import Story
from game.engine.saves import Progress


class ChapterEntry(Struct, frozen=True):
    name: str
    #: Whether the player has reached it in some game: only then can a game start from it.
    reached: bool


def chapter_names(story: Story) -> list[str]:
    """The chapters in story order: as their first scenes come in the story's files."""
    names: dict[str, None] = {}
    for scene in story.scenes.values():
        if scene.chapter:
            names.setdefault(scene.chapter)
    return list(names)


def chapter_list(story: Story, progress: Progress) -> list[ChapterEntry]:
    """Every chapter of the story, in order, each reached or not. A chapter reached under a name
    the story no longer has is left out: its scenes are gone or renamed."""
    return [ChapterEntry(name, name in progress.chapters) for name in chapter_names(story)]
