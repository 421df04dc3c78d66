"""A cache of validated stories, so loading an unchanged story again costs almost nothing.

The loader checks everything, and that takes time on a big story. Once a story
has loaded without a single diagnostic, its validated form is written as plain
data (tuples, strings, numbers: `marshal`, never `pickle`) under a key made from
the content of every file of the story plus a stamp of the engine itself.
Any change to any file (an edit, a new or removed file) gives another key, so
a stale entry can never be read; a story with any diagnostic is never cached.

Reading an entry rebuilds the model without re-validating it. Scenes are
rebuilt only when first looked up (`LazyScenes`), so a player opening a
10,000-scene story pays for the scenes they visit; the explorer, which visits
all, pays for all. Expressions are stored as syntax trees (closures cannot be
stored) and compiled again once per distinct expression.

Where: `$MILLION_MILES_CACHE` if set (`off` turns the cache off), else the
user cache folder (`platformdirs.user_cache_dir("million-miles")/stories`).
A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from game.engine.errors import Loc
from game.engine.expressions import Binary, Expression, Literal, Name, Node, Unary, Visits, compile_node
from game.engine.model import Assignment, Branch, Choice, Ending, Paragraph, Scene, Story, Variable
from game.engine.text import Template, parse_template

#: Bump when the stored form changes.
FORMAT = 2
#: Scenes are stored this many to a `marshal` blob: one call each way per blob, not per scene.
CHUNK = 32
#: Entries kept in the cache folder; the least recently written go first.
MAX_ENTRIES = 64
_TYPES: dict[str | None, type | None] = {"int": int, "str": str, "bool": bool, None: None}
#: Every module whose code decides what a load returns (`tests/engine/test_cache.py` checks the list).
_ENGINE_FILES = (
    "cache.py",
    "compiler.py",
    "errors.py",
    "expressions.py",
    "format.py",
    "loader.py",
    "model.py",
    "plain_yaml.py",
    "quick_compiler.py",
    "records.py",
    "text.py",
    "yaml_source.py",
)
_stamp: bytes | None = None


def cache_dir() -> Path | None:
    """The folder of cached stories, or None when caching is turned off."""
    setting = os.environ.get("MILLION_MILES_CACHE")
    if setting is not None:
        return None if setting.strip().lower() in ("", "0", "off", "no", "false") else Path(setting)
    import platformdirs  # only when the cache is used: it is not on the first screen's path otherwise

    return Path(platformdirs.user_cache_dir("million-miles", appauthor=False)) / "stories"


def _engine_stamp() -> bytes:
    """What invalidates every entry at once: the engine's version, its source files, the Python."""
    global _stamp
    if _stamp is None:
        from game import __version__

        here = Path(__file__).resolve().parent
        parts = [f"{FORMAT}|{__version__}|{sys.version_info[:2]}|{marshal.version}"]
        for name in _ENGINE_FILES:
            try:
                st = (here / name).stat()
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                parts.append(f"{name}:missing")
        _stamp = "\n".join(parts).encode()
    return _stamp


def story_key(files: list[tuple[str, bytes]]) -> str:
    """The key of a story: a hash of every file's relative path and content, in order."""
    try:  # hashlib's import loads OpenSSL, some 4 ms of every start; BLAKE2 is built in without it
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
        from hashlib import blake2b

    digest = blake2b(_engine_stamp(), digest_size=20)
    for rel, data in files:
        digest.update(f"\0{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


# --------------------------------------------------------------------------- to plain data


def _loc(loc: Loc) -> tuple[str, int, int]:
    return (loc.path, loc.line, loc.col)


def plain_tree(node: Node) -> tuple:
    """An expression's syntax tree as nested tuples (the stored form)."""
    if isinstance(node, Literal):
        return ("L", node.value, node.offset)
    if isinstance(node, Name):
        return ("N", node.name, node.offset)
    if isinstance(node, Visits):
        return ("V", node.scene, node.offset, node.scene_offset)
    if isinstance(node, Unary):
        return ("U", node.op, plain_tree(node.operand), node.offset)
    return ("B", node.op, plain_tree(node.left), plain_tree(node.right), node.offset)


class _Flattener:
    """Turns model objects into plain tuples; each shared expression is converted once."""

    def __init__(self) -> None:
        self.expressions: dict[int, tuple] = {}  # by id: valid while the story being stored is alive

    def expr(self, expr: Expression | None) -> tuple | None:
        if expr is None:
            return None
        plain = self.expressions.get(id(expr))
        if plain is None:
            type_name = None if expr.type is None else expr.type.__name__
            plain = self.expressions[id(expr)] = (expr.source, plain_tree(expr.node), type_name)
        return plain

    def branches(self, branches: tuple[Branch, ...] | None) -> tuple | None:
        if branches is None:
            return None
        return tuple((b.scene, self.expr(b.condition), _loc(b.loc)) for b in branches)

    def scene(self, scene: Scene) -> tuple:
        expr = self.expr
        choices = None
        if scene.choices is not None:
            choices = tuple(
                (
                    c.index,
                    c.text.source,
                    self.branches(c.goto),
                    expr(c.condition),
                    tuple((a.variable, expr(a.value), _loc(a.loc)) for a in c.sets),
                    c.once,
                    _loc(c.loc),
                )
                for c in scene.choices
            )
        paragraphs = tuple((p.template.source, expr(p.condition), _loc(p.loc)) for p in scene.paragraphs)
        return (
            scene.id,
            scene.title,
            scene.chapter,
            paragraphs,
            choices,
            self.branches(scene.goto),
            scene.ending,
            _loc(scene.loc),
        )


def plain_variables(variables: Mapping[str, Variable]) -> tuple:
    """The stored form of a story's variables."""
    return tuple((v.name, v.type.__name__, v.default, v.label, v.min, v.max, _loc(v.loc)) for v in variables.values())


def plain_endings(endings: Mapping[str, Ending]) -> tuple:
    """The stored form of a story's endings."""
    return tuple((e.id, e.title, e.description, _loc(e.loc)) for e in endings.values())


def dumps(story: Story) -> bytes:
    """The stored form of a validated story."""
    flat = _Flattener()
    scenes = {sid: flat.scene(scene) for sid, scene in story.scenes.items()}
    return encode(
        story.title,
        story.start,
        _loc(story.start_loc),
        story.files,
        plain_variables(story.variables),
        plain_endings(story.endings),
        scenes,
    )


def encode(
    title: str,
    start: str,
    start_loc: tuple[str, int, int],
    files: tuple[str, ...],
    variables: tuple,
    endings: tuple,
    scenes: dict[str, tuple],
) -> bytes:
    """A cache entry from a story's stored form: the scenes go `CHUNK` to a blob, read on demand."""
    ids = tuple(scenes)
    chunks = tuple(
        marshal.dumps(tuple(scenes[sid] for sid in ids[at : at + CHUNK])) for at in range(0, len(ids), CHUNK)
    )
    return marshal.dumps((FORMAT, title, start, start_loc, files, variables, endings, ids, chunks))


# --------------------------------------------------------------------------- back to the model


class Builder:
    """Turns stored scenes back into model objects, sharing expressions and templates.

    Its memos may be filled beforehand by whoever already has the objects
    (`game.engine.quick_compiler` gives it the expressions it compiled), so
    nothing is compiled twice; templates are made here, for the scenes shown.
    """

    def __init__(self) -> None:
        self.expressions: dict[tuple, Expression] = {}
        self.templates: dict[str, Template] = {}

    def tree(self, plain: tuple) -> Node:
        kind = plain[0]
        if kind == "L":
            return Literal(plain[1], plain[2])
        if kind == "N":
            return Name(plain[1], plain[2])
        if kind == "V":
            return Visits(plain[1], plain[2], plain[3])
        if kind == "U":
            return Unary(plain[1], self.tree(plain[2]), plain[3])
        return Binary(plain[1], self.tree(plain[2]), self.tree(plain[3]), plain[4])

    def expr(self, plain: tuple | None) -> Expression | None:
        if plain is None:
            return None
        known = self.expressions.get(plain)
        if known is None:
            tree = self.tree(plain[1])
            known = self.expressions[plain] = Expression(plain[0], tree, _TYPES[plain[2]], compile_node(tree))
        return known

    def template(self, source: str) -> Template:
        known = self.templates.get(source)
        if known is None:
            known = self.templates[source] = parse_template(source)
        return known

    def branches(self, plain: tuple | None) -> tuple[Branch, ...] | None:
        if plain is None:
            return None
        return tuple(Branch(scene, self.expr(cond), Loc(*loc)) for scene, cond, loc in plain)

    def scene(self, plain: tuple) -> Scene:
        sid, title, chapter, paragraphs, choices, goto, ending, loc = plain
        expr, template = self.expr, self.template
        built_choices = None
        if choices is not None:
            built_choices = tuple(
                Choice(
                    sid,
                    index,
                    template(text),
                    self.branches(branches),  # type: ignore[arg-type]
                    expr(cond),
                    tuple(Assignment(var, expr(value), Loc(*aloc)) for var, value, aloc in sets),  # type: ignore[arg-type]
                    once,
                    Loc(*cloc),
                )
                for index, text, branches, cond, sets, once, cloc in choices
            )
        return Scene(
            sid,
            title,
            chapter,
            tuple(Paragraph(template(text), expr(cond), Loc(*ploc)) for text, cond, ploc in paragraphs),
            built_choices,
            self.branches(goto),
            ending,
            Loc(*loc),
        )


class LazyScenes(Mapping[str, Scene]):
    """The scenes of a stored story, in the author's order, each built when first looked up.

    A scene's stored form is at hand already (fresh from `game.engine.quick_compiler`)
    or waits in a `marshal` blob of `CHUNK` scenes (read from the cache), opened
    when one of its scenes is first asked for.
    """

    def __init__(self, ids: tuple[str, ...], plain: dict[str, tuple], chunks: tuple[bytes, ...], builder: Builder):
        self._index = {sid: i for i, sid in enumerate(ids)}
        self._plain = plain
        self._chunks = chunks
        self._built: dict[str, Scene] = {}
        self._builder = builder

    def __getitem__(self, scene_id: str) -> Scene:
        scene = self._built.get(scene_id)
        if scene is None:
            plain = self._plain.get(scene_id)
            if plain is None:
                at = self._index[scene_id] // CHUNK  # KeyError for a scene that is not there, as a dict
                for stored in marshal.loads(self._chunks[at]):
                    self._plain[stored[0]] = stored
                plain = self._plain[scene_id]
            scene = self._built[scene_id] = self._builder.scene(plain)
        return scene

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


def loads(data: bytes, root: Path) -> Story:
    """Rebuild a story from its stored form (raises on a damaged or foreign entry)."""
    fmt, *rest = marshal.loads(data)
    if fmt != FORMAT:
        raise ValueError("cache entry of another format")
    title, start, start_loc, files, variables, endings, ids, chunks = rest
    builder = Builder()
    return Story(
        title=title,
        start=start,
        root=root,
        variables={
            name: Variable(name, _TYPES[tname], default, label, low, high, Loc(*loc))  # type: ignore[arg-type]
            for name, tname, default, label, low, high, loc in variables
        },
        endings={eid: Ending(eid, etitle, description, Loc(*loc)) for eid, etitle, description, loc in endings},
        scenes=LazyScenes(ids, {}, chunks, builder),
        files=tuple(files),
        start_loc=Loc(*start_loc),
    )


# --------------------------------------------------------------------------- the folder


def read(key: str, root: Path) -> Story | None:
    """The cached story for `key`, or None (no entry, caching off, or an unreadable entry)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / f"{key}.story").read_bytes()
        return loads(data, root)
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write(key: str, entry: Callable[[], bytes]) -> None:
    """Store the entry that `entry()` makes under `key`; any failure is ignored (the cache only saves time)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{key}.story"
        temp = folder / f".{key}.{os.getpid()}.tmp"
        temp.write_bytes(entry())
        os.replace(temp, target)
        _prune(folder)
    except (OSError, ValueError):
        return


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.story"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        old.unlink(missing_ok=True)
