"""The language server: pygls wiring, and the path from a keystroke to its diagnostics.

Each story folder the editor touches is a `workspace.Project`. An edit marks
its project dirty and wakes one checker task; the checker takes the open
buffers as they are *now*, has the project's `StoryLoader` load the story with
them in place of their files (one thread, so an edit compiles the edited file
alone), turns the engine's diagnostics into the protocol's, and publishes
them. Edits that arrive during a check are folded into the next one, so a
burst of keystrokes costs one check after the current one, not one each.

Once the author pauses (`QUIET` seconds without an edit), the slow half of
`million-miles check` (authoring warnings and the explorer, `game.authoring.findings`)
runs in a child process and its findings join the loader's; the index of
names is brought up to date then too. Requests (completion, hover…) are
answered on the event loop from the latest check and index.

Every feature lives in its own module; this one only connects them to the
protocol and to the documents the editor holds.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from game import __version__
from game.authoring.findings import Background
from game.engine.errors import Diagnostic
from game.lsp import actions, completion, navigation, playthroughs, rename, symbols
from game.lsp.diagnostics import to_lsp
from game.lsp.index import PLAYTHROUGH_SUFFIX, FileIndex, Occurrence, index_file
from game.lsp.positions import LineIndex
from game.lsp.workspace import Index, Project, group_by_path, is_story_file, story_root

#: Seconds without an edit before the slow findings and the index are brought up to date.
QUIET = 0.3
T = TypeVar("T")
logger = logging.getLogger(__name__)


class StoryServer(LanguageServer):
    """The `million-miles lsp` server: the checker, live, for every story folder the editor opens."""

    def __init__(self, quiet: float = QUIET, max_states: int | None = None) -> None:
        super().__init__("million-miles", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.quiet = quiet
        self.max_states = max_states
        self.projects: dict[Path, Project] = {}
        #: One thread checks (the loader is not shared between threads); another reads files for the index.
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="check")
        self.indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index")
        self._dirty: dict[Path, set[str]] = {}
        self._wake: asyncio.Event | None = None
        self._checking: asyncio.Task[None] | None = None
        self._published: dict[str, list[types.Diagnostic]] = {}
        #: Per project: the slow findings by file, and the child computing them.
        #: (converted once, when they arrive: a file that changes since loses its own).
        self._findings: dict[Path, dict[str, list[types.Diagnostic]]] = {}
        self._background: dict[Path, Background] = {}
        self._later: dict[Path, asyncio.Task[None]] = {}

    # ------------------------------------------------------------------ documents and projects

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or "utf-16")

    def buffers(self, project: Project) -> dict[str, str]:
        """The open documents inside the project's folder (relative path → unsaved text)."""
        out = {}
        for uri, document in self.workspace.text_documents.items():
            path = _path(uri)
            if path is not None and path.is_relative_to(project.root):
                out[project.rel(path)] = document.source
        return out

    def overlays(self, project: Project) -> dict[str, str]:
        return {rel: text for rel, text in self.buffers(project).items() if is_story_file(rel)}

    def project_for(self, uri: str) -> Project | None:
        """The project a document belongs to: its story folder, or for a playthrough the story it plays."""
        path = _path(uri)
        if path is None:
            return None
        root: Path | None
        if path.name.endswith(PLAYTHROUGH_SUFFIX):
            document = self.workspace.text_documents.get(uri)
            text = document.source if document is not None else _read(path)
            root = playthroughs.story_folder(path, text) if text is not None else None
            if root is not None and not (root / "story.yaml").is_file():
                root = None
        else:
            root = story_root(path)
        return None if root is None else self.project(root)

    def project(self, root: Path) -> Project:
        root = root.resolve()
        found = self.projects.get(root)
        if found is None:
            found = self.projects[root] = Project(root)
        return found

    def uri(self, project: Project, rel: str) -> str:
        path = project.root / rel
        for uri in list(self.workspace.text_documents):
            if _path(uri) == path:
                return str(uri)
        made = from_fs_path(str(path))
        return made if isinstance(made, str) else path.as_uri()

    def lines(self, uri: str) -> LineIndex | None:
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            return LineIndex(document.source, self.encoding)
        path = _path(uri)
        text = _read(path) if path is not None else None
        return None if text is None else LineIndex(text, self.encoding)

    # ------------------------------------------------------------------ checking

    def request_check(self, project: Project, changed: str | None = None) -> None:
        """Check the project again soon; `changed` is the file whose text changed (its slow findings go)."""
        changes = self._dirty.setdefault(project.root, set())
        if changed is not None:
            changes.add(changed)
            self._findings.get(project.root, {}).pop(changed, None)
        self._background.setdefault(project.root, Background()).cancel()
        later = self._later.pop(project.root, None)
        if later is not None:
            later.cancel()
        if self._wake is None:
            self._wake = asyncio.Event()
        if self._checking is None or self._checking.done():
            self._checking = asyncio.ensure_future(self._check_forever())
        self._wake.set()

    async def _check_forever(self) -> None:
        assert self._wake is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._dirty:
                root, changed = self._dirty.popitem()
                project = self.projects[root]
                try:
                    await self._check(loop, project, changed)
                except Exception:  # a bug of ours must not stop the checking of later edits
                    logger.exception("checking %s failed", root)

    async def _check(self, loop: asyncio.AbstractEventLoop, project: Project, changed: set[str]) -> None:
        overlays = self.overlays(project)
        encoding = self.encoding
        await loop.run_in_executor(self.checker, project.check, overlays)
        if project.story is None:  # as `check`: no warnings nor exploration while the story has errors
            self._findings.pop(project.root, None)
        await self._show(project, changed, overlays, encoding)
        self._check_playthroughs(project)
        self._later[project.root] = asyncio.ensure_future(self._after_pause(project, project.version))

    async def _show(self, project: Project, changed: set[str], overlays: Mapping[str, str], encoding: str) -> None:
        """Publish the last check's diagnostics with the slow findings that still stand."""
        check = project.last
        if check is None:
            return
        versions = {rel: self._version(project, rel) for rel in overlays}
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(
            self.checker, self._convert, project, check.diagnostics, check.texts, overlays, encoding
        )
        for rel, items in self._findings.get(project.root, {}).items():
            found[rel] = found.get(rel, []) + items
        self._publish(project, found, changed, versions)

    def _version(self, project: Project, rel: str) -> int | None:
        document = self.workspace.text_documents.get(self.uri(project, rel))
        return document.version if document is not None else None

    def _convert(
        self,
        project: Project,
        diagnostics: list[Diagnostic],
        texts: Mapping[str, str],
        overlays: Mapping[str, str],
        encoding: str,
    ) -> dict[str, list[types.Diagnostic]]:
        out: dict[str, list[types.Diagnostic]] = {}
        for rel, items in group_by_path(diagnostics).items():
            if Path(rel).is_absolute():  # about the folder itself: shown on story.yaml
                rel = "story.yaml"
            text = texts.get(rel)
            if text is None:
                text = project.text(rel, overlays) or ""
            lines = LineIndex(text, encoding)
            out.setdefault(rel, []).extend(to_lsp(d, lines) for d in items)
        return out

    def _publish(
        self,
        project: Project,
        found: dict[str, list[types.Diagnostic]],
        changed: set[str],
        versions: Mapping[str, int | None],
    ) -> None:
        files = set(found) | set(changed)
        files |= {
            rel
            for uri, items in self._published.items()
            if items
            and (path := _path(uri)) is not None
            and path.is_relative_to(project.root)
            and not path.name.endswith(PLAYTHROUGH_SUFFIX)
            for rel in [project.rel(path)]
        }
        for rel in sorted(files):
            uri = self.uri(project, rel)
            items = found.get(rel, [])
            if rel not in changed and self._published.get(uri) == items:
                continue
            self._published[uri] = items
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=versions.get(rel))
            )

    def _check_playthroughs(self, project: Project) -> None:
        """Check every open playthrough that plays this project's story, against its latest check."""
        for uri, document in list(self.workspace.text_documents.items()):
            path = _path(uri)
            if path is None or not path.name.endswith(PLAYTHROUGH_SUFFIX) or self.project_for(uri) is not project:
                continue
            shown = path.name
            found = playthroughs.check(path, shown, document.source, project.story)
            lines = LineIndex(document.source, self.encoding)
            items = [to_lsp(d, lines) for d in found]
            self._published[uri] = items
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=document.version)
            )

    async def _after_pause(self, project: Project, version: int) -> None:
        """Once the author pauses: the index of names, then the slow findings (if the story loads)."""
        await asyncio.sleep(self.quiet)
        loop = asyncio.get_running_loop()
        buffers = self.buffers(project)
        await loop.run_in_executor(self.indexer, project.index, buffers)
        if project.story is None or project.version != version:
            return
        background = self._background.setdefault(project.root, Background())
        overlays = self.overlays(project)
        found = await background.run(project.root, overlays, self.max_states)
        if found is None or project.version != version:
            return
        self._findings[project.root] = await loop.run_in_executor(
            self.checker, self._convert, project, found, {}, overlays, self.encoding
        )
        await self._show(project, set(), overlays, self.encoding)

    # ------------------------------------------------------------------ what features need

    async def index(self, project: Project) -> Index:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.indexer, project.index, self.buffers(project))

    async def file(self, uri: str) -> tuple[Project, Index, FileIndex, LineIndex] | None:
        """The project, its index, the document's own index and lines, for a request about `uri`."""
        project = self.project_for(uri)
        path = _path(uri)
        lines = self.lines(uri)
        if project is None or path is None or lines is None:
            return None
        index = await self.index(project)
        rel = project.rel(path) if path.is_relative_to(project.root) else path.name
        found = index.files.get(rel) or index_file(rel, lines.text)
        return project, index, found, lines

    def locate(self, project: Project) -> Callable[[Occurrence], types.Location | None]:
        cache: dict[str, LineIndex | None] = {}

        def locate(occurrence: Occurrence) -> types.Location | None:
            uri = self.uri(project, occurrence.path)
            if uri not in cache:
                cache[uri] = self.lines(uri)
            lines = cache[uri]
            if lines is None:
                return None
            return types.Location(uri, lines.range(occurrence.line, occurrence.start, occurrence.end))

        return locate


def _path(uri: str) -> Path | None:
    fs = to_fs_path(uri)
    return Path(fs).resolve() if fs else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None


def build() -> StoryServer:
    """The server with every feature registered."""
    server = StoryServer()

    @server.feature(types.INITIALIZED)
    def initialized(ls: StoryServer, params: types.InitializedParams) -> None:
        """Check the stories of the workspace at once: their files on disk get diagnostics unopened."""
        uris = [folder.uri for folder in ls.workspace.folders.values()] or [ls.workspace.root_uri]
        for folder_uri in uris:
            path = _path(folder_uri) if folder_uri else None
            if path is None:
                continue
            roots = [path] if (path / "story.yaml").is_file() else sorted(p.parent for p in path.glob("*/story.yaml"))
            for root in roots:
                ls.request_check(ls.project(root))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: StoryServer, params: None) -> None:
        """Stop the children computing slow findings: nobody will read them."""
        for background in ls._background.values():
            background.cancel()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StoryServer, params: types.DidOpenTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StoryServer, params: types.DidChangeTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: StoryServer, params: types.DidSaveTextDocumentParams) -> None:
        _changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StoryServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = _path(uri)
        if path is not None and path.name.endswith(PLAYTHROUGH_SUFFIX):
            ls._published[uri] = []
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        _changed(ls, uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: StoryServer, params: types.DidChangeWatchedFilesParams) -> None:
        for project in list(ls.projects.values()):
            ls.request_check(project)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", " ", "{", "(", "-"]),
    )
    async def complete(ls: StoryServer, params: types.CompletionParams) -> types.CompletionList:
        known = await ls.file(params.text_document.uri)
        if known is None:
            return types.CompletionList(is_incomplete=False, items=[])
        project, index, found, lines = known
        offered = None
        if found.kind == "playthrough":
            path = _path(params.text_document.uri)
            assert path is not None
            story = project.story

            def offered(line: int) -> list[str]:
                return playthroughs.offered_at(path, lines.text, line, story)

        items = completion.complete(found.kind, lines, params.position, index, offered)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: StoryServer, params: types.DefinitionParams) -> list[types.Location]:
        known = await ls.file(params.text_document.uri)
        if known is None:
            return []
        project, index, found, lines = known
        return navigation.definition(found, lines, params.position, index, ls.locate(project))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: StoryServer, params: types.ReferenceParams) -> list[types.Location]:
        known = await ls.file(params.text_document.uri)
        if known is None:
            return []
        project, index, found, lines = known
        return navigation.references(
            found, lines, params.position, index, ls.locate(project), params.context.include_declaration
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: StoryServer, params: types.HoverParams) -> types.Hover | None:
        known = await ls.file(params.text_document.uri)
        if known is None:
            return None
        project, index, found, lines = known
        return navigation.hover(found, lines, params.position, index, project.story)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: StoryServer, params: types.PrepareRenameParams) -> types.PrepareRenameResult | None:
        known = await ls.file(params.text_document.uri)
        if known is None:
            return None
        _, index, found, lines = known
        return rename.prepare(found, lines, params.position, index)

    @server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    async def do_rename(ls: StoryServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        known = await ls.file(params.text_document.uri)
        if known is None:
            return None
        project, index, found, lines = known

        def edits_for(rel: str, occurrences: list[Occurrence], new: str) -> tuple[str, list[types.TextEdit]] | None:
            uri = ls.uri(project, rel)
            file_lines = ls.lines(uri)
            if file_lines is None:
                return None
            edits = [types.TextEdit(file_lines.range(o.line, o.start, o.end), new) for o in occurrences]
            return uri, edits

        try:
            return rename.rename(found, lines, params.position, params.new_name, index, edits_for)
        except rename.RenameError as exc:
            from pygls.exceptions import JsonRpcInvalidParams

            raise JsonRpcInvalidParams(str(exc)) from None

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbol(ls: StoryServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        lines = ls.lines(params.text_document.uri)
        path = _path(params.text_document.uri)
        if lines is None or path is None:
            return []
        project = ls.project_for(params.text_document.uri)
        rel = project.rel(path) if project is not None and path.is_relative_to(project.root) else path.name
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(ls.indexer, index_file, rel, lines.text)
        return symbols.document_symbols(found, lines)

    @server.feature(types.WORKSPACE_SYMBOL)
    async def workspace_symbol(ls: StoryServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol]:
        out: list[types.WorkspaceSymbol] = []
        for project in list(ls.projects.values()):
            index = await ls.index(project)
            files = [(ls.uri(project, rel), found) for rel, found in index.files.items()]

            def lines_of(found: FileIndex, project: Project = project) -> LineIndex | None:
                return ls.lines(ls.uri(project, found.path))

            out += symbols.workspace_symbols(files, params.query, lines_of)
        return out

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: StoryServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        lines = ls.lines(params.text_document.uri)
        if lines is None:
            return []
        return actions.did_you_mean(params.text_document.uri, lines, list(params.context.diagnostics))

    return server


def _changed(ls: StoryServer, uri: str) -> None:
    project = ls.project_for(uri)
    path = _path(uri)
    if project is None or path is None:
        return
    rel = project.rel(path) if path.is_relative_to(project.root) else None
    if path.name.endswith(PLAYTHROUGH_SUFFIX):
        if project.last is None:  # its story is checked first; the playthrough right after
            ls.request_check(project)
        else:
            ls._check_playthroughs(project)
        return
    ls.request_check(project, rel)


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """Serve the protocol over standard input and output until the editor says exit."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    build().start_io(stdin, stdout)
