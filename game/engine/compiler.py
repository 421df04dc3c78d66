"""Read a story's YAML files and check them into a `Story`: the slow, careful path.

Loading is checking: two passes over the YAML nodes collect every problem
(syntax, shape, types, references, expressions, interpolation) with its file,
line and column, so an author fixes a whole story in one round. Nothing is
re-validated at run time; the runtime trusts what this module returns.

Kept apart from `game.engine.loader` (as ink keeps its compiler apart from its
runtime) so that a story read back from the cache never imports PyYAML or this
module: the player's first screen does not wait for either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from game.engine import format as fmt
from game.engine.errors import Diagnostics, Loc, did_you_mean
from game.engine.expressions import (
    KEYWORDS,
    Expression,
    ExpressionError,
    Literal,
    check_types,
    compile_node,
    parse,
    type_name,
)
from game.engine.format import MAX_FILE_BYTES
from game.engine.loader import STORY_FILE, _inside, _rel, story_files
from game.engine.model import Assignment, Branch, Choice, Ending, Paragraph, Scene, Story, Variable
from game.engine.text import Template, TemplateError, parse_template, split_paragraphs
from game.engine.yaml_source import (
    NodeReader,
    SourceFile,
    YamlFileError,
    compose,
    is_bool,
    is_int,
    is_mapping,
    is_null,
    is_sequence,
    is_string,
    kind_of,
    scalar_value,
)

_IDENT_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@dataclass
class _RawScene:
    id: str
    node: MappingNode
    key_node: ScalarNode
    reader: NodeReader
    chapter: str | None


@dataclass
class StoryCompiler:
    root: Path
    diags: Diagnostics = field(default_factory=Diagnostics)
    variables: dict[str, Variable] = field(default_factory=dict)
    endings: dict[str, Ending] = field(default_factory=dict)
    raw_scenes: dict[str, _RawScene] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    unreadable: int = 0
    #: Names declared in story.yaml or a scene file but refused (already reported there): a reference to
    #: one is not a second mistake, so it is not reported again.
    broken_variables: set[str] = field(default_factory=set)
    broken_endings: set[str] = field(default_factory=set)
    broken_scenes: set[str] = field(default_factory=set)
    #: story.yaml (or its `variables` / `endings`) could not be read: references to them cannot be checked.
    variables_unknown: bool = False
    endings_unknown: bool = False
    # Memos for the pass over scenes: a story repeats the same few expressions
    # and choice texts many times, and each is parsed, checked and compiled once.
    _expressions: dict[tuple[str, str], Expression] = field(default_factory=dict)
    _templates: dict[str, Template] = field(default_factory=dict)
    _prose: dict[str, tuple[Template, ...]] = field(default_factory=dict)

    # ------------------------------------------------------------------ driver

    def run(self) -> Story | None:
        if not self.root.is_dir():
            what = (
                "story folder does not exist"
                if not self.root.exists()
                else "this is a file, not a folder: a story is a folder holding story.yaml and scene files"
            )
            self.diags.error(Loc(str(self.root), 0, 0), what, "no-story")
            return None
        story_path = self.root / STORY_FILE
        if not story_path.is_file():
            self.diags.error(
                Loc(STORY_FILE, 0, 0),
                f"file not found: every story folder needs a {STORY_FILE} (title, start, variables, endings)",
                "no-story",
            )
            return None
        if not _inside(story_path.resolve(), self.root.resolve()):
            self.diags.error(
                Loc(STORY_FILE, 0, 0), "story.yaml links outside the story folder and was not read", "outside"
            )
            return None
        header = self._read(story_path)
        title, start, start_node, story_reader = self._story_header(header)
        before = len(self.diags.items)
        files = story_files(self.root, self.diags)
        self.unreadable += len(self.diags.items) - before  # files linking outside were refused
        for file in files:
            self._collect_scenes(self._read(file))
        scenes = self._build_scenes()
        start_loc = Loc(STORY_FILE)
        if start is not None and start_node is not None and story_reader is not None:
            start_loc = story_reader.loc(start_node)
            if start not in self.raw_scenes and start not in self.broken_scenes and self.raw_scenes:
                self.diags.error(
                    story_reader.source.loc_in_scalar(start_node, 0),
                    f"start scene '{start}' does not exist{did_you_mean(start, self.raw_scenes)}",
                    "unknown-scene",
                )
        if not self.raw_scenes and not self.broken_scenes and header is not None and not self.unreadable:
            self.diags.error(
                Loc(STORY_FILE), "the story has no scenes: add a scene file (any *.yaml beside story.yaml)", "no-scenes"
            )
        if self.diags.has_errors or title is None or start is None:
            return None
        return Story(
            title=title,
            start=start,
            root=self.root,
            variables=self.variables,
            endings=self.endings,
            scenes=scenes,
            files=tuple(self.files),
            start_loc=start_loc,
        )

    def _read(self, file: Path) -> tuple[NodeReader, Node] | None:
        rel = _rel(file, self.root)
        self.files.append(rel)
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                self.diags.error(
                    Loc(rel, 0, 0),
                    f"file is {size:,} bytes; story files may be at most {MAX_FILE_BYTES:,} bytes",
                    "too-large",
                )
                self.unreadable += 1
                return None
            raw = file.read_bytes()
        except OSError as exc:
            self.diags.error(Loc(rel, 0, 0), f"cannot read file: {exc.strerror or exc}", "unreadable")
            self.unreadable += 1
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.diags.error(Loc(rel, line, 1), "file is not valid UTF-8 text", "encoding")
            self.unreadable += 1
            return None
        source = SourceFile(rel, text)
        reader = NodeReader(source, self.diags)
        try:
            node = compose(source)
        except YamlFileError as exc:
            self.diags.error(exc.loc, exc.message, exc.code)
            self.unreadable += 1
            return None
        if node is None:
            self.diags.error(Loc(rel), "file is empty: expected a mapping", "shape")
            self.unreadable += 1
            return None
        if not reader.check_tree(node):
            self.unreadable += 1
            return None
        return reader, node

    # ------------------------------------------------------------------ helpers

    def _keys(self, reader: NodeReader, node: Node, spec: dict[str, fmt.Key], what: str) -> dict[str, Node] | None:
        """Check a mapping against its key table; return key → value node."""
        return reader.keyed(node, spec, what)

    def _text(self, reader: NodeReader, node: Node, what: str) -> str | None:
        """Prose fields accept any scalar (so `title: Yes` stays the word 'Yes')."""
        if isinstance(node, ScalarNode) and not is_null(node):
            return node.value
        reader.error(node, f"{what} must be text, found {kind_of(node)}", "type")
        return None

    def _id(self, reader: NodeReader, node: Node, what: str, kind: str = "a scene id") -> str | None:
        value = node.value if isinstance(node, ScalarNode) and not is_null(node) else ""
        if value and not value[0].isdigit() and set(value) <= _IDENT_CHARS:
            return value
        reader.error(node, f"{what} must be {kind} (letters, digits and '_'), found {kind_of(node)}", "type")
        return None

    def _name_ok(self, reader: NodeReader, key_node: Node, name: str, what: str) -> bool:
        if not name or name[0].isdigit() or not set(name) <= _IDENT_CHARS:
            reader.error(
                key_node,
                f"{what} '{name}' must be a name of letters, digits and '_', not starting with a digit",
                "name",
            )
            return False
        return True

    # ------------------------------------------------------------------ story.yaml

    def _story_header(
        self, parsed: tuple[NodeReader, Node] | None
    ) -> tuple[str | None, str | None, Node | None, NodeReader | None]:
        if parsed is None:
            self.variables_unknown = self.endings_unknown = True
            return None, None, None, None
        reader, node = parsed
        keys = self._keys(reader, node, fmt.STORY_KEYS, STORY_FILE)
        if keys is None:
            self.unreadable += 1
            self.variables_unknown = self.endings_unknown = True
            return None, None, None, None
        title = self._text(reader, keys["title"], "'title'") if "title" in keys else None
        start = self._id(reader, keys["start"], "'start'") if "start" in keys else None
        if "variables" in keys:
            self._variables(reader, keys["variables"])
        if "endings" in keys:
            self._endings(reader, keys["endings"])
        return title, start, keys.get("start"), reader

    def _variables(self, reader: NodeReader, node: Node) -> None:
        if is_null(node):
            return
        if not is_mapping(node):
            reader.error(
                node, f"'variables' must be a mapping of name → default or settings, found {kind_of(node)}", "type"
            )
            self.variables_unknown = True
            return
        for name, key_node, value in reader.items(node):
            if not self._name_ok(reader, key_node, name, "variable name"):
                continue
            if name in KEYWORDS or name == "visits":
                reader.error(
                    key_node,
                    f"'{name}' is a word of the expression language and cannot name a variable",
                    "reserved-name",
                )
                continue
            errors_before = len(self.diags.items)
            var = self._variable(reader, name, key_node, value)
            if var is not None and len(self.diags.items) == errors_before:
                self.variables[name] = var
            else:
                self.broken_variables.add(name)

    def _variable(self, reader: NodeReader, name: str, key_node: Node, node: Node) -> Variable | None:
        loc = reader.loc(key_node)
        if isinstance(node, ScalarNode):
            default = self._value(reader, node, f"the default of '{name}'")
            return None if default is None else Variable(name, type(default), default, None, None, None, loc)
        keys = self._keys(reader, node, fmt.VARIABLE_KEYS, f"variable '{name}'")
        if keys is None or "default" not in keys:
            return None
        default = self._value(reader, keys["default"], f"the default of '{name}'")
        if default is None:
            return None
        label = self._text(reader, keys["label"], "'label'") if "label" in keys else None
        bounds: dict[str, int] = {}
        for bound in ("min", "max"):
            if bound not in keys:
                continue
            if type(default) is not int:
                reader.error(
                    keys[bound],
                    f"'{bound}' applies only to integer variables; '{name}' is a {type_name(type(default))}",
                    "bounds",
                )
            elif not is_int(keys[bound]):
                reader.error(keys[bound], f"'{bound}' must be an integer, found {kind_of(keys[bound])}", "type")
            else:
                bounds[bound] = scalar_value(keys[bound])  # type: ignore[assignment]
        low, high = bounds.get("min"), bounds.get("max")
        if low is not None and high is not None and low > high:
            reader.error(keys["max"], f"'max' ({high}) is below 'min' ({low})", "bounds")
        elif low is not None and default < low:  # type: ignore[operator]
            reader.error(keys["default"], f"default {default} is below 'min' ({low})", "bounds")
        elif high is not None and default > high:  # type: ignore[operator]
            reader.error(keys["default"], f"default {default} is above 'max' ({high})", "bounds")
        return Variable(name, type(default), default, label, low, high, loc)

    def _value(self, reader: NodeReader, node: Node, what: str) -> int | str | bool | None:
        if is_bool(node) or is_int(node) or is_string(node):
            value = scalar_value(node)
            if type(value) is int and abs(value) > 2**63 - 1:
                reader.error(node, f"{what} is too large: integers go up to {2**63 - 1:,}", "number-range")
                return None
            return value  # type: ignore[return-value]
        reader.error(node, f"{what} must be an integer, a string or a boolean, found {kind_of(node)}", "type")
        return None

    def _endings(self, reader: NodeReader, node: Node) -> None:
        if is_null(node):
            return
        if not is_mapping(node):
            reader.error(
                node, f"'endings' must be a mapping of id → {{title, description}}, found {kind_of(node)}", "type"
            )
            self.endings_unknown = True
            return
        for ending_id, key_node, value in reader.items(node):
            if not self._name_ok(reader, key_node, ending_id, "ending id"):
                continue
            keys = self._keys(reader, value, fmt.ENDING_KEYS, f"ending '{ending_id}'")
            title = self._text(reader, keys["title"], "'title'") if keys and "title" in keys else None
            description = (
                self._text(reader, keys["description"], "'description'") if keys and "description" in keys else ""
            )
            if title is not None and description is not None:
                self.endings[ending_id] = Ending(ending_id, title, description, reader.loc(key_node))
            else:
                self.broken_endings.add(ending_id)

    # ------------------------------------------------------------------ scene files, pass 1

    def _collect_scenes(self, parsed: tuple[NodeReader, Node] | None) -> None:
        if parsed is None:
            return
        reader, node = parsed
        keys = self._keys(reader, node, fmt.SCENE_FILE_KEYS, "a scene file")
        if keys is None:
            self.unreadable += 1  # its scenes are unknown: references to them are not checked
            return
        chapter = self._text(reader, keys["chapter"], "'chapter'") if "chapter" in keys else None
        scenes = keys.get("scenes")
        if scenes is None:
            self.unreadable += 1
            return
        if not is_mapping(scenes):
            reader.error(scenes, f"'scenes' must be a mapping of scene id → scene, found {kind_of(scenes)}", "type")
            self.unreadable += 1
            return
        for scene_id, key_node, value in reader.items(scenes):
            if not self._name_ok(reader, key_node, scene_id, "scene id"):
                continue
            if scene_id in self.raw_scenes:
                first = self.raw_scenes[scene_id]
                reader.error(
                    key_node,
                    f"duplicate scene id '{scene_id}' (also defined at {first.reader.loc(first.key_node)})",
                    "duplicate-scene",
                )
                first.reader.error(
                    first.key_node,
                    f"duplicate scene id '{scene_id}' (also defined at {reader.loc(key_node)})",
                    "duplicate-scene",
                )
                continue
            if not is_mapping(value):
                reader.error(value, f"scene '{scene_id}' must be a mapping, found {kind_of(value)}", "type")
                self.broken_scenes.add(scene_id)
                continue
            self.raw_scenes[scene_id] = _RawScene(scene_id, value, key_node, reader, chapter)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ scene files, pass 2

    def _build_scenes(self) -> dict[str, Scene]:
        scenes: dict[str, Scene] = {}
        for raw in self.raw_scenes.values():
            scene = self._scene(raw)
            if scene is not None:
                scenes[raw.id] = scene
        return scenes

    def _scene(self, raw: _RawScene) -> Scene | None:
        reader, what = raw.reader, f"scene '{raw.id}'"
        keys = self._keys(reader, raw.node, fmt.SCENE_KEYS, what)
        if keys is None:
            return None
        order = [k.value for k, _ in raw.node.value]
        present = sorted((k for k in fmt.SCENE_EXITS if k in keys), key=order.index)
        if not present:
            reader.error(
                raw.key_node,
                f"{what} needs one of 'choices', 'goto' or 'ending' (where does the player go next?)",
                "no-exit",
            )
        elif len(present) > 1:
            second = present[1]
            reader.error(
                raw.node.value[order.index(second)][0],
                f"{what} has both '{present[0]}' and '{second}': keep exactly one of 'choices', 'goto', 'ending'",
                "two-exits",
            )
        title = self._text(reader, keys["title"], "'title'") if "title" in keys else None
        chapter = self._text(reader, keys["chapter"], "'chapter'") if "chapter" in keys else raw.chapter
        paragraphs = self._scene_text(reader, keys["text"]) if "text" in keys else ()
        choices = goto = ending = None
        if "choices" in keys:
            choices = self._choices(reader, keys["choices"], raw.id)
        if "goto" in keys:
            goto = self._goto(reader, keys["goto"])
        if "ending" in keys:
            ending = self._ending_ref(reader, keys["ending"])
        if paragraphs is None or (len(present) == 1 and choices is None and goto is None and ending is None):
            return None
        return Scene(raw.id, title, chapter, paragraphs, choices, goto, ending, reader.loc(raw.key_node))

    def _scene_text(self, reader: NodeReader, node: Node) -> tuple[Paragraph, ...] | None:
        if isinstance(node, ScalarNode) and not is_null(node):
            return self._paragraphs(reader, node, None)
        if not is_sequence(node):
            reader.error(node, f"'text' must be prose or a list of paragraphs, found {kind_of(node)}", "type")
            return None
        out: list[Paragraph] = []
        ok = True
        for item in node.value:
            if isinstance(item, ScalarNode) and not is_null(item):
                got = self._paragraphs(reader, item, None)
            else:
                keys = self._keys(reader, item, fmt.PARAGRAPH_KEYS, "a paragraph")
                if keys is None or "text" not in keys:
                    ok = False
                    continue
                condition = self._expression(reader, keys["if"], bool, "'if'") if "if" in keys else None
                got = self._paragraphs(reader, keys["text"], condition, reader.loc(item))
            if got is None:
                ok = False
            else:
                out.extend(got)
        return tuple(out) if ok else None

    def _paragraphs(
        self, reader: NodeReader, node: Node, condition: Expression | None, loc: Loc | None = None
    ) -> tuple[Paragraph, ...] | None:
        """The paragraphs of one prose scalar; a conditional one is located at its entry (where its `if` is)."""
        if not isinstance(node, ScalarNode) or is_null(node):
            reader.error(node, f"paragraph text must be prose, found {kind_of(node)}", "type")
            return None
        templates = self._prose.get(node.value)
        if templates is None:
            whole = self._template(reader, node)
            if whole is None:
                return None
            split = split_paragraphs(node.value)
            templates = (whole,) if split == [node.value] else tuple(parse_template(p) for p in split)
            self._prose[node.value] = templates
        loc = loc or reader.loc(node)
        return tuple(Paragraph(t, condition, loc) for t in templates)

    def _template(self, reader: NodeReader, node: ScalarNode):  # noqa: ANN202 - Template | None
        known = self._templates.get(node.value)
        if known is not None:
            return known
        try:
            template = parse_template(node.value)
        except TemplateError as exc:
            reader.diags.error(reader.source.loc_in_scalar(node, exc.offset, exc.snippet), exc.message, "interpolation")
            return None
        ok = True
        for name, offset in zip(template.names, template.offsets, strict=False):
            if name not in self.variables:
                ok = False
                if self._variable_reported(name):
                    continue
                loc = reader.source.loc_in_scalar(node, offset, "{" + name)
                reader.diags.error(
                    loc, f"unknown variable '{name}' in text{did_you_mean(name, self.variables)}", "unknown-variable"
                )
        if ok:
            self._templates[node.value] = template
        return template if ok else None

    def _choices(self, reader: NodeReader, node: Node, scene_id: str) -> tuple[Choice, ...] | None:
        if not is_sequence(node):
            reader.error(node, f"'choices' must be a list of choices, found {kind_of(node)}", "type")
            return None
        if not node.value:
            reader.error(node, "'choices' is empty: offer at least one choice, or use 'goto' or 'ending'", "no-exit")
            return None
        out: list[Choice] = []
        ok = True
        for index, item in enumerate(node.value):
            choice = self._choice(reader, item, scene_id, index)
            if choice is None:
                ok = False
            else:
                out.append(choice)
        return tuple(out) if ok else None

    def _choice(self, reader: NodeReader, node: Node, scene_id: str, index: int) -> Choice | None:
        keys = self._keys(reader, node, fmt.CHOICE_KEYS, f"choice {index + 1}")
        if keys is None:
            return None
        text_node = keys.get("text")
        template = None
        if text_node is not None and self._text(reader, text_node, "choice 'text'") is not None:
            template = self._template(reader, text_node)  # type: ignore[arg-type]
        goto = self._goto(reader, keys["goto"]) if "goto" in keys else None
        condition = self._expression(reader, keys["if"], bool, "'if'") if "if" in keys else None
        sets = self._sets(reader, keys["set"]) if "set" in keys else ()
        once = False
        if "once" in keys:
            if is_bool(keys["once"]):
                once = bool(scalar_value(keys["once"]))  # type: ignore[arg-type]
            else:
                reader.error(keys["once"], f"'once' must be true or false, found {kind_of(keys['once'])}", "type")
        if template is None or goto is None or sets is None or ("if" in keys and condition is None):
            return None
        return Choice(scene_id, index, template, goto, condition, sets, once, reader.loc(node))

    def _sets(self, reader: NodeReader, node: Node) -> tuple[Assignment, ...] | None:
        if not is_mapping(node):
            reader.error(node, f"'set' must be a mapping of variable → expression, found {kind_of(node)}", "type")
            return None
        out: list[Assignment] = []
        ok = True
        for name, key_node, value in reader.items(node):
            var = self.variables.get(name)
            if var is None:
                if not self._variable_reported(name):
                    reader.error(
                        key_node, f"unknown variable '{name}'{did_you_mean(name, self.variables)}", "unknown-variable"
                    )
                ok = False
                continue
            expr = self._expression(reader, value, var.type, f"the value for '{name}'")
            if expr is None:
                ok = False
                continue
            out.append(Assignment(name, expr, reader.loc(key_node)))
        return tuple(out) if ok else None

    def _goto(self, reader: NodeReader, node: Node) -> tuple[Branch, ...] | None:
        if isinstance(node, ScalarNode):
            target = self._scene_ref(reader, node)
            return None if target is None else (Branch(target, None, reader.loc(node)),)
        if not is_sequence(node) or not node.value:
            reader.error(node, f"'goto' must be a scene id or a list of branches, found {kind_of(node)}", "type")
            return None
        out: list[Branch] = []
        ok = True
        last = len(node.value) - 1
        for i, item in enumerate(node.value):
            keys = self._keys(reader, item, fmt.BRANCH_KEYS, "a branch")
            if keys is None or "scene" not in keys:
                ok = False
                continue
            condition = None
            if "if" in keys:
                if i == last:
                    reader.error(
                        item,
                        "the last branch of a 'goto' must have no 'if', so there is always somewhere to go",
                        "open-goto",
                    )
                    ok = False
                condition = self._expression(reader, keys["if"], bool, "'if'")
                if condition is None:
                    ok = False
            elif i != last:
                reader.error(
                    item, "this branch has no 'if', so the branches after it can never be taken", "dead-branch"
                )
                ok = False
            target = self._scene_ref(reader, keys["scene"], "'scene'")
            if target is None:
                ok = False
                continue
            out.append(Branch(target, condition, reader.loc(item)))
        return tuple(out) if ok else None

    def _scene_ref(self, reader: NodeReader, node: Node, what: str = "'goto'") -> str | None:
        target = self._id(reader, node, what)
        if target is None:
            return None
        if target not in self.raw_scenes:
            if self.unreadable or target in self.broken_scenes:  # already reported where it is defined
                return None
            reader.diags.error(
                reader.source.loc_in_scalar(node, 0),
                f"unknown scene '{target}'{did_you_mean(target, self.raw_scenes)}",
                "unknown-scene",
            )
            return None
        return target

    def _ending_ref(self, reader: NodeReader, node: Node) -> str | None:
        ending = self._id(reader, node, "'ending'", "an ending id")
        if ending is None:
            return None
        if ending not in self.endings:
            if self.endings_unknown or ending in self.broken_endings:  # already reported in story.yaml
                return None
            known = (
                f"; story.yaml defines: {', '.join(self.endings)}"
                if self.endings
                else "; story.yaml defines no endings"
            )
            hint = did_you_mean(ending, self.endings)
            reader.diags.error(
                reader.source.loc_in_scalar(node, 0), f"unknown ending '{ending}'{hint or known}", "unknown-ending"
            )
            return None
        return ending

    # ------------------------------------------------------------------ expressions

    def _expression(self, reader: NodeReader, node: Node, want: type, what: str) -> Expression | None:
        """Parse, type-check and compile one expression, reporting located errors."""
        known = self._expressions.get((node.tag, node.value)) if isinstance(node, ScalarNode) else None
        if known is not None:
            return self._typed(reader, node, known, want, what)
        if is_bool(node) or is_int(node):
            value = scalar_value(node)
            literal = Literal(value, 0)  # type: ignore[arg-type]
            expr = Expression(node.value, literal, type(value), compile_node(literal))
            self._expressions[(node.tag, node.value)] = expr
            return self._typed(reader, node, expr, want, what)
        if not is_string(node):
            reader.error(node, f"{what} must be an expression, found {kind_of(node)}", "type")
            return None
        source: str = node.value  # type: ignore[assignment]
        src = reader.source
        errors_before = len(self.diags.items)
        refused: list[str] = []  # names already reported where they are declared

        def at(offset: int, snippet: str = "") -> Loc:
            return src.loc_in_scalar(node, offset, snippet)

        def unknown_variable(name_node) -> None:  # noqa: ANN001
            if self._variable_reported(name_node.name):
                refused.append(name_node.name)
                return
            hint = did_you_mean(name_node.name, self.variables)
            if not hint and want is str and name_node.name not in self.variables:
                hint = f" (to write text, quote it inside the value: \"'{name_node.name}'\")"
            self.diags.error(
                at(name_node.offset, name_node.name), f"unknown variable '{name_node.name}'{hint}", "unknown-variable"
            )

        def unknown_scene(visits_node) -> None:  # noqa: ANN001
            if self.unreadable or visits_node.scene in self.broken_scenes:
                refused.append(visits_node.scene)
                return
            hint = did_you_mean(visits_node.scene, self.raw_scenes)
            self.diags.error(
                at(visits_node.scene_offset, visits_node.scene),
                f"unknown scene '{visits_node.scene}' in visits(){hint}",
                "unknown-scene",
            )

        try:
            tree = parse(source)
            result_type = check_types(
                tree,
                {n: v.type for n, v in self.variables.items()},
                self.raw_scenes.__contains__,
                unknown_variable,
                unknown_scene,
            )
        except ExpressionError as exc:
            self.diags.error(at(exc.offset), f"in {what}: {exc.message}", "expression")
            return None
        if len(self.diags.items) != errors_before or refused:
            return None
        expr = Expression(source, tree, result_type, compile_node(tree))
        self._expressions[(node.tag, source)] = expr
        return self._typed(reader, node, expr, want, what)

    def _variable_reported(self, name: str) -> bool:
        """True when `name` is unknown only because its declaration was refused (and reported) already."""
        return self.variables_unknown or name in self.broken_variables

    def _typed(self, reader: NodeReader, node: Node, expr: Expression, want: type, what: str) -> Expression | None:
        if expr.type is not None and expr.type is not want:
            reader.error(
                node, f"{what} must be {_article(want)} but this expression gives {_article(expr.type)}", "type"
            )
            return None
        return expr


def _article(t: type) -> str:
    name = type_name(t)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"
