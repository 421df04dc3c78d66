"""Static warnings about a story that loads but probably isn't what its author meant.

These complement the loader's errors and the explorer's reachability findings:
variables nobody reads or writes, scenes too long for an 80×24 terminal, and
conditions that can never be false given the variables' bounds.
"""

from __future__ import annotations

import itertools
import textwrap

from game.engine.errors import Diagnostic, Loc
from game.engine.expressions import Binary, Literal, Name, Node, Unary, Value, Visits, literal
from game.engine.loader import iter_expressions
from game.engine.model import Paragraph, Story, Variable
from game.engine.text import Piece, Show

#: What an 80×24 terminal leaves for a scene: text wrapped at this width...
FIT_WIDTH = 72
#: ...and this many lines for the text plus one line per choice.
FIT_LINES = 18


def lint(story: Story) -> list[Diagnostic]:
    """Every static warning for `story`, in file order."""
    out: list[Diagnostic] = []
    out.extend(_variable_use(story))
    out.extend(_screen_fit(story))
    out.extend(_always_true(story))
    return out


def _warn(loc: Loc, message: str, code: str) -> Diagnostic:
    return Diagnostic(loc, message, "warning", code)


# --------------------------------------------------------------------------- variables


def variables_read(story: Story) -> set[str]:
    read: set[str] = set()
    for expression, _ in iter_expressions(story):
        read |= expression.reads
    for scene in story.scenes.values():
        for template, _ in scene.templates():
            read.update(template.names)
    return read


def variables_written(story: Story) -> set[str]:
    return {name for s in story.scenes.values() for name, _ in s.assigned()}


def _variable_use(story: Story) -> list[Diagnostic]:
    read, written = variables_read(story), variables_written(story)
    out = []
    for var in story.variables.values():
        if var.name not in read and not var.label:
            out.append(
                _warn(
                    var.loc,
                    f"variable '{var.name}' is never read: no condition, expression or text uses it, "
                    "and it has no label to show it to the player",
                    "unused-variable",
                )
            )
        if var.name not in written:
            out.append(
                _warn(
                    var.loc,
                    f"variable '{var.name}' is never changed: nothing sets it, so it is always {literal(var.default)}",
                    "constant-variable",
                )
            )
    return out


# --------------------------------------------------------------------------- screen fit


def _placeholder_width(var: Variable) -> int:
    if var.type == "int":
        bounds = [b for b in (var.min, var.max) if b is not None]
        return max(len(str(b)) for b in bounds) if len(bounds) == 2 else 6
    if var.type == "bool":
        return 5
    if var.type == "set":
        return 24
    return max(len(str(var.default)), 8)


def _paragraph_lines(story: Story, paragraph: Paragraph) -> int:
    template = paragraph.template
    if template.pieces:
        text = _longest(story, template.pieces)
    else:
        text = "".join(
            part if isinstance(part, str) else "x" * _placeholder_width(story.variables[part[0]])
            for part in template.parts
        )
    return len(textwrap.wrap(text, FIT_WIDTH))


def _longest(story: Story, pieces: tuple[Piece, ...]) -> str:
    """A stand-in for the longest way a text of alternatives can read (the longest arm of each)."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        elif isinstance(piece, Show):
            names = piece.expression.reads
            widest = max((_placeholder_width(story.variables[n]) for n in names if n in story.variables), default=6)
            out.append("x" * widest)
        else:
            out.append(max((_longest(story, arm.pieces) for arm in piece.arms), key=len, default=""))
    return "".join(out)


def _domain(story: Story, name: str, literals: set[Value]) -> list[Value]:
    """The values worth trying for a variable: all of a small bounded range, else the edges of the literals."""
    var = story.variables[name]
    if var.type == "bool":
        return [False, True]
    if var.type == "set":
        words = sorted(v for v in literals if isinstance(v, str))
        empty = var.default if isinstance(var.default, frozenset) else frozenset()
        return [empty, *(empty | {w} for w in words), empty | frozenset(words)]
    if var.type == "int":
        if var.min is not None and var.max is not None and var.max - var.min <= 64:
            return list(range(var.min, var.max + 1))
        ints = {v for v in literals if isinstance(v, int) and not isinstance(v, bool)}
        start = var.default if isinstance(var.default, int) else 0
        return sorted({start} | {v + d for v in ints for d in (-1, 0, 1)})
    return sorted({str(var.default)} | {v for v in literals if isinstance(v, str)})


def _literals(node: Node) -> set[Value]:
    if isinstance(node, Literal):
        return {node.value}
    if isinstance(node, Unary):
        return _literals(node.operand)
    if isinstance(node, Binary):
        return _literals(node.left) | _literals(node.right)
    return set()


#: Above this many combinations of variable values, scene height falls back to an upper bound.
MAX_COMBINATIONS = 50_000


def scene_height(story: Story, scene_id: str) -> int:
    """Lines the scene needs at 80×24 in its longest possible form.

    Conditional paragraphs are often exclusive (`applications <= 3` / `>= 4`),
    so adding them all up would cry wolf: we try every combination of the
    values their conditions read and keep the tallest one that can occur.
    """
    scene = story.scenes[scene_id]
    heights = [_paragraph_lines(story, p) for p in scene.paragraphs]
    choices = len(scene.choices) if scene.choices is not None else 1
    conditional = [i for i, p in enumerate(scene.paragraphs) if p.condition is not None]

    def total(shown: list[int]) -> int:
        return sum(heights[i] for i in shown) + max(0, len(shown) - 1) + choices

    always = [i for i in range(len(heights)) if i not in conditional]
    if not conditional:
        return total(always)
    conditions = [c for p in scene.paragraphs if (c := p.condition) is not None]
    names = sorted({n for c in conditions for n in c.reads})
    visited = sorted({v for c in conditions for v in c.visits})
    literals: set[Value] = set().union(*(_literals(c.node) for c in conditions))
    domains = [_domain(story, n, literals) for n in names]
    visit_values: list[Value] = sorted(
        {0, 1, 2} | {v + d for v in literals if type(v) is int and v >= 0 for d in (0, 1)}
    )
    domains += [visit_values] * len(visited)
    count = 1
    for d in domains:
        count *= len(d)
    if count > MAX_COMBINATIONS:
        return total(list(range(len(heights))))
    variables = story.defaults()
    best = 0
    tests = [(i, c.evaluate) for i, p in enumerate(scene.paragraphs) if (c := p.condition) is not None]
    for combo in itertools.product(*domains):
        variables.update(zip(names, combo[: len(names)], strict=True))
        visits = {
            scene: count for scene, count in zip(visited, combo[len(names) :], strict=True) if isinstance(count, int)
        }
        shown = always + [i for i, test in tests if test(variables, visits)]
        best = max(best, total(sorted(shown)))
    return best


def _screen_fit(story: Story) -> list[Diagnostic]:
    out = []
    for scene in story.scenes.values():
        height = scene_height(story, scene.id)
        if height > FIT_LINES:
            out.append(
                _warn(
                    scene.loc,
                    f"scene '{scene.id}' needs {height} lines at its longest (text wrapped at {FIT_WIDTH} "
                    f"columns plus one line per choice) but an 80×24 screen has room for {FIT_LINES}: "
                    "shorten it or split it into two scenes",
                    "too-long",
                )
            )
    return out


# --------------------------------------------------------------------------- always-true conditions

Interval = tuple[float, float]
_UNKNOWN = None


def _interval(node: Node, story: Story) -> Interval | None:
    """The range an integer expression can take, from literals and variable bounds."""
    inf = float("inf")
    if isinstance(node, Literal) and type(node.value) is int:
        return (node.value, node.value)
    if isinstance(node, Name):
        var = story.variables.get(node.name)
        if var is None or var.type != "int":
            return None
        return (var.min if var.min is not None else -inf, var.max if var.max is not None else inf)
    if isinstance(node, Visits):
        return (0, inf)
    if isinstance(node, Unary) and node.op == "-":
        inner = _interval(node.operand, story)
        return None if inner is None else (-inner[1], -inner[0])
    if isinstance(node, Binary) and node.op in "+-*":
        a, b = _interval(node.left, story), _interval(node.right, story)
        if a is None or b is None:
            return None
        if node.op == "+":
            return (a[0] + b[0], a[1] + b[1])
        if node.op == "-":
            return (a[0] - b[1], a[1] - b[0])
        try:
            products = [x * y for x in a for y in b]
        except (OverflowError, ValueError):
            return None
        if any(p != p for p in products):  # inf * 0
            return None
        return (min(products), max(products))
    return None


def truth(node: Node, story: Story) -> bool | None:
    """True/False when the condition's value is certain from bounds alone, else None."""
    if isinstance(node, Literal) and type(node.value) is bool:
        return node.value
    if isinstance(node, Unary) and node.op == "not":
        inner = truth(node.operand, story)
        return None if inner is None else not inner
    if isinstance(node, Binary):
        if node.op in ("and", "or"):
            a, b = truth(node.left, story), truth(node.right, story)
            if node.op == "and":
                return False if False in (a, b) else (True if a is b is True else None)
            return True if True in (a, b) else (False if a is b is False else None)
        left, right = _interval(node.left, story), _interval(node.right, story)
        if left is None or right is None:
            return None
        op = node.op
        if op == "<":
            return True if left[1] < right[0] else False if left[0] >= right[1] else None
        if op == "<=":
            return True if left[1] <= right[0] else False if left[0] > right[1] else None
        if op == ">":
            return True if left[0] > right[1] else False if left[1] <= right[0] else None
        if op == ">=":
            return True if left[0] >= right[1] else False if left[1] < right[0] else None
        if op == "==" and left[0] == left[1] == right[0] == right[1]:
            return True
        if op in ("==", "!=") and (left[1] < right[0] or right[1] < left[0]):
            return op == "!="
    return None


def _always_true(story: Story) -> list[Diagnostic]:
    out = []
    for scene in story.scenes.values():
        # Choice conditions are judged by the explorer over every reachable state (never offered /
        # always true), which is sharper than bounds; here: paragraphs and goto branches.
        conditions = [(p.condition, p.loc, "paragraph") for p in scene.paragraphs if p.condition is not None]
        for branch in scene.goto or ():
            if branch.condition is not None:
                conditions.append((branch.condition, branch.loc, "branch"))
        for choice in scene.choices or ():
            for branch in choice.goto:
                if branch.condition is not None:
                    conditions.append((branch.condition, branch.loc, "branch"))
        for condition, loc, what in conditions:
            certain = truth(condition.node, story)
            if certain is True:
                out.append(
                    _warn(
                        loc,
                        f"the {what}'s 'if: {condition.source}' is always true (given the variables' min/max), "
                        "so it never hides anything: remove it or fix the condition",
                        "always-true",
                    )
                )
            elif certain is False:
                out.append(
                    _warn(
                        loc,
                        f"the {what}'s 'if: {condition.source}' can never be true (given the variables' min/max), "
                        f"so {'the paragraph is never shown' if what == 'paragraph' else 'the branch is never taken'}",
                        "never-true",
                    )
                )
    return out
