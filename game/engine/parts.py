"""What compiling one story file gives: the parts a story is put together from.

`game.engine.compiler` makes them, `game.engine.cache` stores them, and
`game.engine.story` puts a story together from them. They live apart from the
compiler so that a story read back from the cache never imports it (nor PyYAML).
"""

from __future__ import annotations

from msgspec import Struct

from game.engine.errors import Diagnostic, Loc
from game.engine.expressions import ValueType
from game.engine.model import Ending, Scene, Variable
from game.engine.text import Piece

STORY_FILE = "story.yaml"


class Interface(Struct, frozen=True, array_like=True):
    """What compiling a scene file needs to know of story.yaml: a scene file compiles the same
    against any story.yaml with the same interface, so only a change here recompiles them all."""

    #: Variables declared and accepted, in order, with their types.
    variables: dict[str, ValueType]
    #: Names declared but refused (already reported there): using one is not a second mistake.
    broken_variables: tuple[str, ...] = ()
    #: story.yaml or its `variables` could not be read: variable names cannot be checked.
    variables_unknown: bool = False
    endings: tuple[str, ...] = ()
    broken_endings: tuple[str, ...] = ()
    endings_unknown: bool = False
    #: Boolean variables whose default was written as a word YAML reads as a boolean (`no`, `on`), with
    #: the word: a message about their type says so.
    boolean_words: tuple[tuple[str, str], ...] = ()
    #: The story format's version the story declares.
    format: int = 1
    #: story.yaml's snippets, compiled, and the names of those refused (already reported there).
    snippets: dict[str, tuple[Piece, ...]] = {}
    broken_snippets: tuple[str, ...] = ()


class Header(Struct, array_like=True):
    """story.yaml, compiled."""

    title: str | None
    start: str | None
    #: Where `start` was written (its value), and where its first character is.
    start_loc: Loc | None
    start_at: Loc | None
    variables: dict[str, Variable]
    endings: dict[str, Ending]
    interface: Interface
    #: The file was read as YAML (a syntax error or an empty file leaves it False).
    parsed: bool = True
    #: Its shape was too wrong to say anything about the story's scenes.
    unreadable: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    format: int = 1


class Reference(Struct, frozen=True, array_like=True, gc=False):
    """A scene named by a `goto`, a branch or `visits()`, checked once every file is read."""

    target: str
    loc: Loc
    #: True for `visits(...)`: its message says so.
    visits: bool = False


class Pending(Struct, frozen=True, array_like=True, gc=False):
    """A message that stands only if the scenes it names all exist: an expression whose
    `visits()` names an unknown scene is reported for that alone, as one mistake."""

    diagnostic: Diagnostic
    scenes: tuple[str, ...]


class Entry(Struct, array_like=True):
    """One scene id written in a scene file, and what came of it."""

    id: str
    loc: Loc
    scene: Scene | None
    #: Its value was not a mapping: the id exists, but the scene does not (references to it are not reported).
    broken: bool = False
    references: tuple[Reference, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    pending: tuple[Pending, ...] = ()


class ScenePart(Struct, array_like=True):
    """A scene file, compiled."""

    path: str
    entries: list[Entry]
    #: The file (or its `scenes`) could not be read: its scenes are unknown, references to them unchecked.
    unreadable: bool = False
    #: Messages about the file itself rather than one of its scenes.
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def clean(self) -> bool:
        """No message of its own: what the cache keeps."""
        return (
            not self.unreadable
            and not self.diagnostics
            and all(e.scene is not None and not e.diagnostics and not e.pending for e in self.entries)
        )

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    @property
    def locs(self) -> list[Loc]:
        return [e.loc for e in self.entries]

    @property
    def broken(self) -> frozenset[int]:
        return frozenset(i for i, e in enumerate(self.entries) if e.broken)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset(ref.target for e in self.entries for ref in e.references)

    def scene(self, index: int) -> Scene:
        scene = self.entries[index].scene
        assert scene is not None, "only a clean part is ever played"
        return scene
