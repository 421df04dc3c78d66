"""The cache of compiled story files: each file compiled once, read back in a few milliseconds.

Every file of a story compiles on its own (`game.engine.compiler`), so the
cache keeps one entry per file, under a key made of the engine's stamp, the
file's path and its bytes (and, for a scene file, the interface of story.yaml
it was compiled against). Editing one file of a big story misses the cache for
that file alone; the other files come back from here, and the checks across
files (`game.engine.story`) run over all of them. Only files with no message
at all are stored, so an entry never hides a mistake.

One stored form, written by one encoder and read by one decoder: the model's
own classes (`msgspec.Struct`s) in msgpack, validated against their types while
they are decoded. A scene file's scenes are stored `CHUNK` to a blob and
decoded only when one of them is first asked for, so opening a 10,000-scene
story costs the scenes the player visits.

An entry is never trusted blindly. It carries the cache format, the game's
version, its own key and a BLAKE2 checksum of its contents: a truncated,
bit-flipped, swapped or hand-made entry is refused and the file is compiled
again (and its entry replaced); so is an entry whose scenes fail to decode
later, when they are first used. Writes go to a temporary file renamed into
place, removed if anything fails. The cache only ever saves time: a folder
that cannot be read or written is ignored.

Where: `$MILLION_MILES_CACHE` if set (`off` turns the cache off), else the
user cache folder (`platformdirs.user_cache_dir("million-miles")/parts`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path

import msgspec
from msgspec import Raw, Struct

from game.engine.errors import Diagnostic, Loc
from game.engine.hashing import digest
from game.engine.model import Scene
from game.engine.parts import Entry, Header, Interface, Reference, ScenePart

#: Bump when the stored form changes.
FORMAT = 3
#: Scenes are stored this many to a blob: one decode per blob, only when one of its scenes is needed.
CHUNK = 32
#: The cache folder is pruned, oldest entries first, beyond either bound.
MAX_ENTRIES = 2048
MAX_BYTES = 256 * 1024 * 1024
#: Every module whose code decides what a compiled file is (`tests/engine/test_cache.py` checks the list).
ENGINE_FILES = (
    "cache.py",
    "hashing.py",
    "compiler.py",
    "errors.py",
    "expressions.py",
    "format.py",
    "model.py",
    "parts.py",
    "text.py",
    "yaml_source.py",
)
_SUFFIX = ".part"
_stamp: bytes | None = None


def cache_dir() -> Path | None:
    """The folder of cached files, or None when caching is turned off."""
    setting = os.environ.get("MILLION_MILES_CACHE")
    if setting is not None:
        return None if setting.strip().lower() in ("", "0", "off", "no", "false") else Path(setting)
    import platformdirs  # only when the cache is used: it is not on the first screen's path otherwise

    return Path(platformdirs.user_cache_dir("million-miles", appauthor=False)) / "parts"


def _engine_stamp() -> bytes:
    """What invalidates every entry at once: the cache format, the game's version, its compiler's code, the Python."""
    global _stamp
    if _stamp is None:
        from game import __version__

        here = Path(__file__).resolve().parent
        parts = [f"{FORMAT}|{__version__}|{sys.version_info[:2]}|{msgspec.__version__}"]
        for name in ENGINE_FILES:
            try:
                st = (here / name).stat()
                parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                parts.append(f"{name}:missing")
        _stamp = "\n".join(parts).encode()
    return _stamp


def file_key(path: str, data: bytes, interface: Interface | None = None) -> str:
    """The key of a compiled file: the engine, the file's path and bytes, and story.yaml's interface."""
    parts = [_engine_stamp(), f"\0{path}\0{len(data)}\0".encode(), data]
    if interface is not None:
        parts.append(msgspec.msgpack.encode(interface))
    return digest(b"".join(parts), 20).hex()


# --------------------------------------------------------------------------- the stored form


class Envelope(Struct, array_like=True):
    """What an entry file holds: who wrote it and for which key; a head, read at once and checked
    against its checksum then; and blobs, each checked against its own checksum (listed in the
    head) only when it is first needed, so that opening an entry costs its head alone."""

    format: int
    version: str
    key: str
    checksum: bytes
    head: Raw
    blobs: list[Raw]


class _StoredScenes(Struct, array_like=True):
    """The head of a scene file's entry. Its blobs: `CHUNK` scenes each (a msgpack
    `tuple[Scene, ...]`), then the places of its ids, then the references of every scene."""

    path: str
    ids: list[str]
    targets: list[str]
    sums: list[bytes]


#: What reading a damaged entry may raise: the caller compiles the file instead.
UNREADABLE = (ValueError, msgspec.DecodeError)
#: What encoding a part may raise (a value msgpack cannot hold): the part is then not cached.
UNENCODABLE = (OverflowError, ValueError, TypeError, msgspec.EncodeError)

_ENVELOPE = msgspec.msgpack.Decoder(Envelope)
_HEADER = msgspec.msgpack.Decoder(Header)
_SCENES = msgspec.msgpack.Decoder(_StoredScenes)
_CHUNK = msgspec.msgpack.Decoder(tuple[Scene, ...])
_LOCS = msgspec.msgpack.Decoder(list[Loc])
_REFERENCES = msgspec.msgpack.Decoder(list[tuple[Reference, ...]])
_encode = msgspec.msgpack.encode


def _version() -> str:
    from game import __version__

    return __version__


def checksum(data: bytes | Raw) -> bytes:
    return digest(bytes(data), 16)


def seal(key: str, head: bytes, blobs: Sequence[bytes] = ()) -> bytes:
    """An entry file: `head` (checked when opened) and `blobs` (each checked when first used), for `key`."""
    return _encode(Envelope(FORMAT, _version(), key, checksum(head), Raw(head), [Raw(b) for b in blobs]))


def unseal(key: str, data: bytes) -> Envelope:
    """The entry, once its format, version, key and head check out (else ValueError)."""
    envelope = _ENVELOPE.decode(data)
    if envelope.format != FORMAT or envelope.version != _version() or envelope.key != key:
        raise ValueError("an entry of another format, version or key")
    if checksum(envelope.head) != envelope.checksum:
        raise ValueError("an entry whose head does not match its checksum")
    return envelope


def encode_header(key: str, header: Header) -> bytes:
    return seal(key, _encode(header))


def decode_header(key: str, data: bytes) -> Header:
    header = _HEADER.decode(unseal(key, data).head)
    if header.diagnostics or header.unreadable:
        raise ValueError("a header with messages is never stored")
    return header


def encode_scenes(key: str, part: ScenePart) -> bytes:
    scenes = [entry.scene for entry in part.entries]
    blobs = [_encode(tuple(scenes[at : at + CHUNK])) for at in range(0, len(scenes), CHUNK)]
    blobs.append(_encode(part.locs))
    blobs.append(_encode([entry.references for entry in part.entries]))
    head = _StoredScenes(part.path, part.ids, sorted(part.targets), [checksum(blob) for blob in blobs])
    return seal(key, _encode(head), blobs)


class CachedPart:
    """A scene file read back from the cache: its ids at once, the rest when first asked for.

    Follows `game.engine.story.Part`. A blob that fails its checksum or its decoding
    (an entry made by hand, or damaged since it was opened) makes the file compile
    again: `recompile` does it and replaces the entry, and the part answers from the
    fresh compile from then on.
    """

    unreadable = False
    diagnostics: tuple[Diagnostic, ...] = ()
    broken: frozenset[int] = frozenset()
    clean = True

    def __init__(self, envelope: Envelope, recompile: Callable[[], ScenePart]) -> None:
        head = _SCENES.decode(envelope.head)
        chunks = -(-len(head.ids) // CHUNK)
        if len(envelope.blobs) != chunks + 2 or len(head.sums) != chunks + 2:
            raise ValueError("an entry whose blobs do not match its ids")
        self.path = head.path
        self.ids: Sequence[str] = head.ids
        self.targets = frozenset(head.targets)
        self._chunks = chunks
        self._blobs = envelope.blobs
        self._sums = head.sums
        self._scenes: dict[int, tuple[Scene, ...]] = {}
        self._locs: list[Loc] | None = None
        self._recompile = recompile
        self._fresh: ScenePart | None = None

    def _blob(self, index: int) -> Raw:
        blob = self._blobs[index]
        if checksum(blob) != self._sums[index]:
            raise ValueError("a blob that does not match its checksum")
        return blob

    def scene(self, index: int) -> Scene:
        if self._fresh is not None:
            return self._fresh.scene(index)
        at = index // CHUNK
        chunk = self._scenes.get(at)
        if chunk is None:
            try:
                chunk = _CHUNK.decode(self._blob(at))
                expected = self.ids[at * CHUNK : (at + 1) * CHUNK]
                if [s.id for s in chunk] != list(expected) or any(s.loc.path != self.path for s in chunk):
                    raise ValueError("a blob whose scenes are not the ones listed")
            except (msgspec.DecodeError, ValueError):
                return self._fall_back().scene(index)
            self._scenes[at] = chunk
        return chunk[index - at * CHUNK]

    @property
    def locs(self) -> Sequence[Loc]:
        if self._fresh is not None:
            return self._fresh.locs
        if self._locs is None:
            try:
                locs = _LOCS.decode(self._blob(self._chunks))
                if len(locs) != len(self.ids):
                    raise ValueError("places that do not match the ids")
            except (msgspec.DecodeError, ValueError):
                return self._fall_back().locs
            self._locs = locs
        return self._locs

    @property
    def entries(self) -> list[Entry]:
        if self._fresh is not None:
            return self._fresh.entries
        try:
            references = _REFERENCES.decode(self._blob(self._chunks + 1))
            if len(references) != len(self.ids):
                raise ValueError("references that do not match the ids")
            scenes = [self.scene(i) for i in range(len(self.ids))]
            locs = self.locs
        except (msgspec.DecodeError, ValueError):
            return self._fall_back().entries
        if self._fresh is not None:  # a blob failed while the scenes were read
            return self._fresh.entries
        return [
            Entry(sid, loc, scene, references=refs)
            for sid, loc, scene, refs in zip(self.ids, locs, scenes, references, strict=True)
        ]

    def _fall_back(self) -> ScenePart:
        fresh = self._fresh = self._recompile()
        return fresh


def decode_scenes(key: str, data: bytes, recompile: Callable[[], ScenePart]) -> CachedPart:
    return CachedPart(unseal(key, data), recompile)


# --------------------------------------------------------------------------- the folder


def read(key: str) -> bytes | None:
    """The entry stored under `key`, or None (no entry, caching off, an unreadable folder)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / f"{key}{_SUFFIX}").read_bytes()
    except OSError:
        return None


def write(key: str, entry: bytes) -> bool:
    """Store `entry` under `key`; any failure is ignored (the cache only saves time) and leaves no file behind."""
    folder = cache_dir()
    if folder is None:
        return False
    temp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(entry)
        os.replace(temp, folder / f"{key}{_SUFFIX}")
    except OSError:
        with suppress(OSError):
            temp.unlink(missing_ok=True)
        return False
    return True


def prune() -> None:
    """Remove the oldest entries beyond `MAX_ENTRIES` or `MAX_BYTES` (and temporary files a crash left)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        found = []
        for entry in os.scandir(folder):
            if entry.name.endswith(_SUFFIX) or entry.name.endswith(".tmp"):
                st = entry.stat(follow_symlinks=False)
                found.append((st.st_mtime_ns, st.st_size, entry.path, entry.name.endswith(".tmp")))
    except OSError:
        return
    found.sort(reverse=True)
    kept = total = 0
    stale_temp = time.time_ns() - 60 * 10**9
    for mtime, size, path, temporary in found:
        if temporary:
            if mtime < stale_temp:  # a write killed midway (another process may be writing a fresh one)
                _remove(path)
            continue
        kept += 1
        total += size
        if kept > MAX_ENTRIES or total > MAX_BYTES:
            _remove(path)


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)
