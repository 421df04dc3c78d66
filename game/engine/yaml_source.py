"""YAML reading that keeps positions and refuses what PyYAML lets slip.

We compose a node graph (never construct arbitrary Python objects) with the
safe loader, the C one where the platform has it, and walk the nodes
ourselves. Walking nodes gives us every key's line and column, lets us report
duplicate keys (PyYAML silently keeps the last), and refuse anchors/aliases
(the root of "billion laughs" bombs) instead of expanding them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine.errors import Diagnostics, Loc, did_you_mean
from game.engine.format import Key

try:  # The C loader is several times faster; fall back where libyaml is missing.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]


class _StoryLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with PyYAML's Python-level resolver memoised.

    libyaml parses in C but asks the Python resolver for the tag of every
    scalar (a dictionary lookup and a few regular expressions each time). Story
    files repeat the same keys and values thousands of times, and a plain
    scalar's tag depends only on its text, so each text is resolved once. The
    safe loader has no path resolvers, so the per-node bookkeeping for them is
    skipped too. The tags are exactly those the plain safe loader gives.
    """

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool] | None) -> str:
        if kind is ScalarNode and implicit is not None and implicit[0]:
            tag = _PLAIN_TAGS.get(value)  # type: ignore[arg-type]
            if tag is None:
                if len(_PLAIN_TAGS) > 100_000:
                    _PLAIN_TAGS.clear()
                tag = _PLAIN_TAGS[value] = super().resolve(kind, value, implicit)  # type: ignore[index]
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


#: Plain scalar text -> its implicit tag, shared by every load (bounded).
_PLAIN_TAGS: dict[str, str] = {}
#: An anchor (`&a`) or alias (`*a`) can only begin where a YAML token can:
#: only files where this matches get the event-by-event alias check.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[\]{},:])[&*][^\s\[\]{},]", re.M)

#: Nesting deeper than this is refused (no story needs it; bombs do).
MAX_NESTING = 32

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
#: Plain data only: explicit tags such as `!!python/object` or `!custom` are refused, not interpreted.
_ALLOWED_TAGS = frozenset(
    {_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _NULL_TAG, _STR_TAG, _MAP_TAG, _SEQ_TAG, "tag:yaml.org,2002:timestamp"}
)


@dataclass
class SourceFile:
    """One YAML file's text, with index→(line, col) mapping for messages."""

    path: str  # relative to the story folder, with forward slashes
    text: str

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    def loc_at(self, index: int) -> Loc:
        line = bisect.bisect_right(self._line_starts, index) - 1
        return Loc(self.path, line + 1, index - self._line_starts[line] + 1)

    def loc(self, node: Node) -> Loc:
        mark = node.start_mark
        return Loc(self.path, mark.line + 1, mark.column + 1)

    def loc_in_scalar(self, node: Node, offset: int, snippet: str = "") -> Loc:
        """Locate a character of a scalar's *value* in the file's text.

        Plain and quoted one-line scalars appear verbatim in the file; block
        scalars are matched line by line. When the value cannot be mapped
        (escapes, folding), we search for the snippet and fall back to the
        scalar's start.
        """
        start, end = node.start_mark.index, node.end_mark.index
        raw = self.text[start:end]
        value = node.value if isinstance(node, ScalarNode) else ""
        at = raw.find(value) if value else -1
        if at >= 0 and value:
            return self.loc_at(start + at + offset)
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            # Map the value's line/column onto the block's content lines.
            before = value[:offset]
            line_in_value = before.count("\n")
            col_in_line = offset - (before.rfind("\n") + 1)
            content_lines = [ln for ln in raw.split("\n")[1:]]
            nonblank = [ln for ln in content_lines if ln.strip()]
            indent = len(nonblank[0]) - len(nonblank[0].lstrip(" ")) if nonblank else 0
            if node.style == "|" and line_in_value < len(content_lines):
                return Loc(self.path, node.start_mark.line + 2 + line_in_value, indent + col_in_line + 1)
        if snippet:
            at = raw.find(snippet)
            if at >= 0:
                return self.loc_at(start + at)
        return self.loc(node)


class YamlFileError(Exception):
    """The file is not readable YAML; carries a located message and its diagnostic code."""

    def __init__(self, loc: Loc, message: str, code: str = "yaml"):
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.code = code


def compose(source: SourceFile) -> Node | None:
    """Parse `source` into a node graph, raising `YamlFileError` with a position."""
    if ("*" in source.text or "&" in source.text) and _MAYBE_ANCHOR.search(source.text):
        _refuse_aliases(source)
    try:
        nodes = list(yaml.compose_all(source.text, Loader=_StoryLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        loc = Loc(source.path, mark.line + 1, mark.column + 1) if mark else Loc(source.path)
        hint = _syntax_hint(source, problem, mark.index if mark else -1)
        raise YamlFileError(loc, f"YAML syntax error: {problem}{context}{hint}") from None
    except yaml.reader.ReaderError as exc:  # a control character; PyYAML gives an index, not a line
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise YamlFileError(
            source.loc_at(max(0, exc.position)),
            f"YAML syntax error: the control character U+{char:04X} is not allowed in YAML text; delete it",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(Loc(source.path), f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise YamlFileError(
            Loc(source.path), f"document nested too deeply (at most {MAX_NESTING} levels)", "too-deep"
        ) from None
    if len(nodes) > 1:
        raise YamlFileError(
            source.loc(nodes[1]), "a story file holds one YAML document, found another after '---'", "two-documents"
        )
    return nodes[0] if nodes else None


def _syntax_hint(source: SourceFile, problem: str, index: int) -> str:
    """What a writer most likely did, for PyYAML's most puzzling messages ('' when we cannot tell)."""
    if 0 <= index < len(source.text) and source.text[index] == "\t":
        return "; this is a tab: YAML indents with spaces only"
    if problem.startswith("mapping values are not allowed"):
        return "; a ': ' inside text starts a new key: put the whole text in quotes, or below a '|' line"
    if problem.startswith("did not find expected key"):
        return (
            "; check the indentation of this line, and quote text that starts with a quote mark,"
            " '{' or '[' (or write it below a '|' line)"
        )
    return ""


def _refuse_aliases(source: SourceFile) -> None:
    """Anchors and aliases are refused where they are written: they are how YAML bombs work."""
    try:
        for event in yaml.parse(source.text, Loader=SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                raise YamlFileError(
                    Loc(source.path, mark.line + 1, mark.column + 1),
                    "anchors and aliases ('&name', '*name') are not supported in story files",
                    "alias",
                )
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their position


class NodeReader:
    """Walks composed nodes for the loader, reporting shape problems as it goes."""

    def __init__(self, source: SourceFile, diags: Diagnostics):
        self.source = source
        self.diags = diags
        self._seen: set[int] = set()

    def loc(self, node: Node) -> Loc:
        return self.source.loc(node)

    def error(self, node: Node, message: str, code: str = "error") -> None:
        self.diags.error(self.loc(node), message, code)

    def check_tree(self, node: Node, depth: int = 0) -> bool:
        """Refuse aliases and over-deep nesting anywhere in the document."""
        if depth == 0 and not self._seen and _plain_tree(node):
            return True  # the usual case, confirmed level by level without a call per node
        if id(node) in self._seen:
            self.error(node, "anchors and aliases ('&name', '*name') are not supported in story files", "alias")
            return False
        self._seen.add(id(node))
        if node.tag == _MERGE_TAG:  # `<<: {...}` is tagged by the resolver, not by the author
            self.error(node, "merge keys ('<<') are not supported in story files: write the keys out", "merge-key")
            return False
        if node.tag not in _ALLOWED_TAGS:
            self.error(node, f"the YAML tag '{node.tag}' is not allowed in story files", "tag")
            return False
        if depth > MAX_NESTING:
            self.error(node, f"nested more than {MAX_NESTING} levels deep", "too-deep")
            return False
        ok = True
        if isinstance(node, MappingNode):
            for key, value in node.value:
                ok = self.check_tree(key, depth + 1) and ok
                ok = self.check_tree(value, depth + 1) and ok
        elif isinstance(node, SequenceNode):
            for item in node.value:
                ok = self.check_tree(item, depth + 1) and ok
        return ok

    def keyed(self, node: Node, spec: Mapping[str, Key], what: str) -> dict[str, Node] | None:
        """Check a mapping against its key table (unknown, duplicate, missing keys); return key → value node.

        Shared by every located file format (scenes, story.yaml, playthroughs), so
        they all answer a typo the same way: with the place and a "did you mean".
        """
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping, found {kind_of(node)}", "type")
            return None
        out: dict[str, Node] = {}
        for key_node, value in node.value:  # the usual case: known, distinct, plain keys
            key = key_node.value
            if key.__class__ is not str or key_node.tag not in _KEY_TAGS or key not in spec or key in out:
                break
            out[key] = value
        else:
            for key, key_spec in spec.items():
                if key_spec.required and key not in out:
                    break
            else:
                return out
        out = {}
        for key, key_node, value in self.items(node):
            if key not in spec:
                allowed = ", ".join(spec)
                hint = did_you_mean(key, spec)
                self.error(
                    key_node, f"unknown key '{key}' in {what}{hint or f'; expected one of: {allowed}'}", "unknown-key"
                )
                continue
            out[key] = value
        for key in [k for k, s in spec.items() if s.required and k not in out]:
            self.error(node, f"{what} is missing required key '{key}'", "missing-key")
        return out

    def items(self, node: Node) -> Iterator[tuple[str, ScalarNode, Node]]:
        """Yield `(key, key_node, value_node)`, reporting duplicate and non-string keys."""
        seen: dict[str, ScalarNode] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _KEY_TAGS:
                self.error(key_node, f"keys must be plain names, found {kind_of(key_node)}", "bad-key")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key]
                self.error(
                    key_node,
                    f"duplicate key '{key}' (first defined at line {first.start_mark.line + 1});"
                    " YAML would silently keep only the last one",
                    "duplicate-key",
                )
                continue
            seen[key] = key_node
            yield key, key_node, value_node


_KEY_TAGS = frozenset({_STR_TAG, _INT_TAG, _BOOL_TAG})
_tag_of = attrgetter("tag")


def _plain_tree(root: Node) -> bool:
    """True when `check_tree` would find nothing to refuse: allowed tags only, not
    too deep, no node reached twice (an alias). Works a level at a time with
    C-level helpers; any doubt returns False and `check_tree` walks and reports."""
    seen: set[int] = set()
    level = [root]
    depth = 0
    while level:
        if depth > MAX_NESTING or not _ALLOWED_TAGS.issuperset(map(_tag_of, level)):
            return False
        ids = set(map(id, level))
        if len(ids) != len(level) or not seen.isdisjoint(ids):
            return False  # a node met twice: an alias. Stop before expanding it (no level outgrows the file).
        seen |= ids
        pairs = [n.value for n in level if isinstance(n, MappingNode)]
        lists = [n.value for n in level if isinstance(n, SequenceNode)]
        level = list(chain.from_iterable(chain.from_iterable(pairs)))
        level.extend(chain.from_iterable(lists))
        depth += 1
    return True


def scalar_value(node: ScalarNode) -> object:
    """The Python value of a scalar node (int, float, bool, None or str)."""
    if node.tag == _STR_TAG:
        return node.value
    return _CONSTRUCTOR.construct_object(node)


def kind_of(node: Node) -> str:
    """What an author would call this node's type, for 'expected X, found Y'."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing (null)"
    if node.tag == _BOOL_TAG:
        return f"the boolean {node.value}"
    if node.tag == _INT_TAG:
        return f"the integer {node.value}"
    if node.tag == _FLOAT_TAG:
        return f"the number {node.value}"
    return f"the text '{_short(node.value)}'"


def _short(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_mapping(node: Node) -> bool:
    return isinstance(node, MappingNode)


def is_sequence(node: Node) -> bool:
    return isinstance(node, SequenceNode)


def is_string(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _STR_TAG


def is_int(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _INT_TAG


def is_bool(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _BOOL_TAG


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG
