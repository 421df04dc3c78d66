"""The about screen's text, in either face: what the story is based on, whose prose it is, and
the engine that plays it.

The bundled story retells a film and a memoir: it credits both and says that its prose is its
own. A story someone else wrote (`million-miles new`) is theirs to credit: for it the about
screen names only the story and the engine under it.
"""

from __future__ import annotations

from msgspec import Struct

from game.engine.model import Story

#: The title the bundled story carries (`scenes/story.yaml`), by which its credits are shown.
BUNDLED_TITLE = "A Million Miles Away"


class Section(Struct, frozen=True):
    """A heading and its paragraphs."""

    heading: str
    paragraphs: tuple[str, ...]


CREDITS = Section(
    "Based on",
    (
        "The film A Million Miles Away (2023), directed by Alejandra Márquez Abella, "
        "with Michael Peña as José M. Hernández.",
        "José M. Hernández's memoir, Reaching for the Stars: The Inspiring Story of a Migrant "
        "Farmworker Turned Astronaut (2012).",
        "The life is his: the fields and the family's travels between Michoacán and California, "
        "the engineering degree, the laboratory at Livermore, eleven rejections by NASA before "
        "the twelfth application, and the flight of STS-128 aboard Discovery in 2009.",
    ),
)

OUR_OWN = Section(
    "Our own words",
    (
        "The prose of this game is our own. It quotes neither the film nor the book; its scenes, "
        "its dialogue and its choices are imagined, and where the game lets you choose "
        "otherwise, what follows did not happen.",
        "This game is not made, approved or endorsed by José M. Hernández or by the makers of the film.",
    ),
)


def engine(version: str) -> Section:
    return Section(
        "The engine",
        (
            f"million-miles {version}: an engine for choice-based stories written as folders of "
            "YAML, checked like code and tested with scripted playthroughs. The full-screen player "
            "is built with Textual; the line player (play --plain) needs nothing but a terminal.",
            "Free software under the MIT licence: `million-miles new` starts a story of your own.",
        ),
    )


def about(story: Story) -> tuple[str, list[Section]]:
    """The about screen: its title and its sections, as plain text (the face cleans the story's
    title where it shows it)."""
    from game import __version__

    if story.title == BUNDLED_TITLE:
        return story.title, [CREDITS, OUR_OWN, engine(__version__)]
    own = Section("This story", (f"{story.title} is its author's own, played here with the million-miles engine.",))
    return story.title, [own, engine(__version__)]
