"""The author expression language: parsed, type-checked and compiled once at load.

Why our own language: story files come from strangers, so author text must
never reach `eval`/`exec`/`compile`. The grammar is tiny (literals, variables,
`+ - *`, comparisons, `and or not`, parentheses, `visits(scene)`; from format 2
also sets of strings with `in`, `not in` and `count()`, and chance with
`random(low, high)` and `roll(dice, sides)`), the types are checked against the
story's variables before play starts, and every expression is compiled into a
tree of closures so evaluation during play is a few function calls, not a tree
walk.

Chance is drawn through `PLAY.draw`, which the runtime points at the game whose
move is being made, drawing from the game's seed (so undo, saves and hot reload
replay the same numbers); the explorer sets `DRAW` to force each possible
outcome in turn.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, TypeAlias, cast
from typing import Literal as TypeLiteral

from msgspec import Struct

Value: TypeAlias = int | str | bool | frozenset[str]
#: A value's type, by the name of its Python type: what variables and expressions are declared as
#: ("set": a set of strings, format 2).
ValueType: TypeAlias = TypeLiteral["int", "str", "bool", "set"]
Evaluator: TypeAlias = Callable[[Mapping[str, Value], Mapping[str, int]], Value]
#: How chance is drawn: `(dice, sides, base)` -> base + the sum of `dice` draws in 0..sides-1.
Drawer: TypeAlias = Callable[[int, int, int], int]

#: Integers are saturated here so a loop of `x * x` cannot eat memory or time.
INT_LIMIT = 2**63 - 1
#: Strings are cut here so a loop of `s + s` cannot grow without bound.
STRING_LIMIT = 10_000
#: Expressions longer than this are refused at load.
MAX_EXPRESSION_LENGTH = 2_000
#: Parenthesis / operator nesting deeper than this is refused at load.
MAX_DEPTH = 64
#: A set keeps at most this many strings, so a loop adding to one cannot eat memory.
SET_LIMIT = 1_000
#: `roll(dice, sides)`: at most this many dice, each of at most this many sides.
MAX_DICE = 100
MAX_SIDES = 1_000

TYPE_NAMES: dict[str, str] = {"int": "integer", "str": "string", "bool": "boolean", "set": "set"}


def _lowest(dice: int, sides: int, base: int) -> int:
    """Chance outside a move (nothing draws there): the lowest outcome, never an error."""
    return base


class Drawing:
    """How play draws: the runtime points `draw` at the game whose move is being made."""

    __slots__ = ("draw",)

    def __init__(self) -> None:
        self.draw: Drawer = _lowest


#: Where chance comes from in play (a plain attribute, read once a draw: play makes many moves).
PLAY = Drawing()
#: A drawer that takes the place of play's for a while (the explorer's, trying every outcome).
DRAW: ContextVar[Drawer | None] = ContextVar("DRAW", default=None)


class ExpressionError(Exception):
    """A syntax or type error at `offset` (0-based) within the expression text."""

    def __init__(self, message: str, offset: int = 0, length: int = 1):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.length = length


def type_name(value_type: str) -> str:
    """How messages name a type: 'integer', 'string', 'boolean'."""
    return TYPE_NAMES.get(value_type, value_type)


def type_of(value: Value) -> ValueType:
    """The `ValueType` of a value (True is a boolean, not an integer)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, frozenset):
        return "set"
    return "int" if isinstance(value, int) else "str"


def literal(value: Value) -> str:
    """A value as an expression would write it (`true`, `3`, `'text'`, `['a', 'b']`): how authors' tools show values."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, frozenset):
        return "[" + ", ".join(repr(item) for item in sorted(value)) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


# --------------------------------------------------------------------------- tokens


class Token(Struct, frozen=True, gc=False):
    kind: str  # "int", "str", "name", "op", "end"
    text: str
    offset: int
    value: Value | None = None


_TWO_CHAR_OPS = ("==", "!=", "<=", ">=")
_ONE_CHAR_OPS = "+-*<>(),"


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c in " \t\r\n":
            i += 1
        elif "0" <= c <= "9":  # ASCII digits only: '²' or '①' are characters, never numbers
            j = i
            while j < n and "0" <= source[j] <= "9":
                j += 1
            if j - i > 18:
                raise ExpressionError("integer literal too large (at most 18 digits)", i, j - i)
            tokens.append(Token("int", source[i:j], i, int(source[i:j])))
            i = j
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1
            tokens.append(Token("name", source[i:j], i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and source[j] != c:
                j += 1
            if j >= n:
                raise ExpressionError("unterminated string: add the closing quote", i, n - i)
            text = source[i + 1 : j]
            if len(text) > STRING_LIMIT:
                raise ExpressionError(f"string literal longer than {STRING_LIMIT} characters", i)
            tokens.append(Token("str", source[i : j + 1], i, text))
            i = j + 1
        elif source.startswith(_TWO_CHAR_OPS, i):
            tokens.append(Token("op", source[i : i + 2], i))
            i += 2
        elif c in _ONE_CHAR_OPS:
            tokens.append(Token("op", c, i))
            i += 1
        elif c == "=" and source.startswith(("=>", "=<"), i):
            raise ExpressionError(f"'{source[i : i + 2]}' is not an operator: write '{source[i + 1]}='", i, 2)
        elif c == "=":
            raise ExpressionError("'=' is not an operator here: use '==' to compare", i)
        elif c == "&" or c == "|" or c == "!":
            hint = {"&": "and", "|": "or", "!": "not"}[c]
            raise ExpressionError(f"unexpected '{c}': use '{hint}'", i)
        else:
            raise ExpressionError(f"unexpected character {c!r}", i)
    tokens.append(Token("end", "", n))
    return tokens


# --------------------------------------------------------------------------- syntax tree


# The syntax tree is plain data (stored in the cache as it is); each kind carries a tag so that
# a stored tree decodes back into the right classes.


class Literal(Struct, frozen=True, array_like=True, gc=False, tag="L"):
    value: Value
    offset: int


class Name(Struct, frozen=True, array_like=True, gc=False, tag="N"):
    name: str
    offset: int


class Visits(Struct, frozen=True, array_like=True, gc=False, tag="V"):
    scene: str
    offset: int
    scene_offset: int


class Unary(Struct, frozen=True, array_like=True, gc=False, tag="U"):
    op: str
    operand: Node
    offset: int


class Binary(Struct, frozen=True, array_like=True, gc=False, tag="B"):
    op: str
    left: Node
    right: Node
    offset: int


class Call(Struct, frozen=True, array_like=True, gc=False, tag="C"):
    """`count(set)`, `random(low, high)` or `roll(dice, sides)` (format 2)."""

    function: str
    args: tuple[Node, ...]
    offset: int


Node: TypeAlias = Literal | Name | Visits | Unary | Binary | Call

KEYWORDS = {"and", "or", "not", "true", "false"}
#: Words format 2 adds: `'lamp' in inventory`, `'lamp' not in inventory`.
KEYWORDS_2 = KEYWORDS | {"in"}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">=", "in", "not in"}
#: The functions of format 2, with the types of their arguments and of their result.
FUNCTIONS: dict[str, tuple[tuple[ValueType, ...], ValueType]] = {
    "count": (("set",), "int"),
    "random": (("int", "int"), "int"),
    "roll": (("int", "int"), "int"),
}
#: The functions that draw chance: allowed only where a move is made (see `chance_in`).
CHANCE = frozenset({"random", "roll"})
#: What each function is for, in messages and editors.
FUNCTION_DOCS: dict[str, str] = {
    "visits": "visits(scene): how many times the player has entered the scene",
    "count": "count(set): how many strings the set holds",
    "random": "random(low, high): a whole number from low to high, drawn when the move is made",
    "roll": f"roll(dice, sides): the total of rolling dice (at most {MAX_DICE}) with that many sides",
}


class _Parser:
    def __init__(self, source: str, version: int = 1):
        self.tokens = tokenize(source)
        self.pos = 0
        self.depth = 0
        self.version = version
        self.keywords = KEYWORDS if version < 2 else KEYWORDS_2

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def expect_op(self, text: str) -> Token:
        if not self.at("op", text):
            raise ExpressionError(f"expected '{text}' but found {describe(self.tok)}", self.tok.offset)
        return self.advance()

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression nested more than {MAX_DEPTH} levels deep", self.tok.offset)

    def parse(self) -> Node:
        if self.at("end"):
            raise ExpressionError("empty expression", 0)
        node = self.parse_or()
        if not self.at("end"):
            raise ExpressionError(f"unexpected {describe(self.tok)} after a complete expression", self.tok.offset)
        _check_depth(node)
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.at("name", "or"):
            t = self.advance()
            node = Binary("or", node, self.parse_and(), t.offset)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.at("name", "and"):
            t = self.advance()
            node = Binary("and", node, self.parse_not(), t.offset)
        return node

    def parse_not(self) -> Node:
        if self.at("name", "not"):
            t = self.advance()
            self.nest()
            operand = self.parse_not()
            self.depth -= 1
            return Unary("not", operand, t.offset)
        return self.parse_comparison()

    def comparison_op(self) -> str | None:
        """The comparison at the current token (`in` and `not in` from format 2), if any."""
        t = self.tok
        if t.kind == "op" and t.text in _COMPARISONS:
            return t.text
        if self.version >= 2 and t.kind == "name":
            if t.text == "in":
                return "in"
            after = self.tokens[self.pos + 1]
            if t.text == "not" and after.kind == "name" and after.text == "in":
                return "not in"
        return None

    def parse_comparison(self) -> Node:
        node = self.parse_sum()
        op = self.comparison_op()
        if op is not None:
            t = self.advance()
            if op == "not in":
                self.advance()
            node = Binary(op, node, self.parse_sum(), t.offset)
            if self.comparison_op() is not None:
                raise ExpressionError(
                    "comparisons cannot be chained: join them with 'and'", self.tok.offset, len(self.tok.text)
                )
        return node

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while self.tok.kind == "op" and self.tok.text in "+-":
            t = self.advance()
            node = Binary(t.text, node, self.parse_product(), t.offset)
        return node

    def parse_product(self) -> Node:
        node = self.parse_unary()
        while self.at("op", "*"):
            t = self.advance()
            node = Binary("*", node, self.parse_unary(), t.offset)
        return node

    def parse_unary(self) -> Node:
        if self.at("op", "-"):
            t = self.advance()
            self.nest()
            operand = self.parse_unary()
            self.depth -= 1
            return Unary("-", operand, t.offset)
        return self.parse_atom()

    def parse_atom(self) -> Node:
        t = self.tok
        if t.kind in ("int", "str"):
            self.advance()
            assert t.value is not None
            return Literal(t.value, t.offset)
        if t.kind == "name":
            self.advance()
            if t.text == "true":
                return Literal(True, t.offset)
            if t.text == "false":
                return Literal(False, t.offset)
            if t.text in self.keywords:
                raise ExpressionError(f"expected a value but found '{t.text}'", t.offset, len(t.text))
            if self.at("op", "("):
                return self.parse_call(t)
            return Name(t.text, t.offset)
        if self.at("op", "("):
            self.advance()
            self.nest()
            node = self.parse_or()
            self.depth -= 1
            self.expect_op(")")
            return node
        raise ExpressionError(f"expected a value but found {describe(t)}", t.offset, max(1, len(t.text)))

    def parse_call(self, name: Token) -> Node:
        if name.text == "visits":
            self.expect_op("(")
            if not self.at("name") or self.tok.text in self.keywords:
                raise ExpressionError(f"visits() takes a scene id, found {describe(self.tok)}", self.tok.offset)
            scene = self.advance()
            self.expect_op(")")
            return Visits(scene.text, name.offset, scene.offset)
        signature = FUNCTIONS.get(name.text)
        if signature is None or self.version < 2:
            if signature is not None:
                message = f"{name.text}() is new in format 2: add 'format: 2' at the top of story.yaml to use it"
            elif self.version < 2:
                message = f"unknown function '{name.text}': the only function is visits(scene_id)"
            else:
                known = ", ".join(f"{f}()" for f in FUNCTION_DOCS)
                message = f"unknown function '{name.text}': the functions are {known}"
            raise ExpressionError(message, name.offset, len(name.text))
        self.expect_op("(")
        self.nest()
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.parse_or())
            while self.at("op", ","):
                self.advance()
                args.append(self.parse_or())
        self.depth -= 1
        if len(args) != len(signature[0]):
            raise ExpressionError(
                f"{name.text}() takes {len(signature[0])} argument{'s' if len(signature[0]) != 1 else ''}, "
                f"found {len(args)}: {FUNCTION_DOCS[name.text]}",
                name.offset,
                len(name.text),
            )
        self.expect_op(")")
        if name.text == "roll":
            _check_dice(args, name)
        low, high = args[0], args[-1]
        if (
            name.text == "random"
            and isinstance(low, Literal)
            and isinstance(high, Literal)
            and type(low.value) is int
            and type(high.value) is int
            and low.value > high.value
        ):
            raise ExpressionError(
                f"random({low.value}, {high.value}) has its bounds the wrong way round: the low one comes first,"
                f" random({high.value}, {low.value})",
                name.offset,
                len(name.text),
            )
        return Call(name.text, tuple(args), name.offset)


def _check_dice(args: list[Node], name: Token) -> None:
    """`roll(dice, sides)` takes whole numbers as written, within bounds: dice are counted, not computed."""
    for arg, what, most in ((args[0], "dice", MAX_DICE), (args[1], "sides", MAX_SIDES)):
        if not (isinstance(arg, Literal) and type(arg.value) is int and 1 <= arg.value <= most):
            raise ExpressionError(
                f"roll() takes the number of {what} as a whole number from 1 to {most}, e.g. roll(2, 6)", arg.offset
            )


def _check_depth(root: Node) -> None:
    """Refuse a tree deeper than `MAX_DEPTH`, as a chain of operators makes (`1 + 1 + ... + 1`).

    Checking, compiling and evaluating an expression all walk its tree by recursion, in
    every face; bounding its depth here, once, keeps every one of them far from Python's
    recursion limit. Parentheses are bounded as they are read (`_Parser.nest`). The walk
    here keeps its own stack, so it cannot run out either.
    """
    stack: list[tuple[Node, int]] = [(root, 1)]  # each operator with the number of operators down to it
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH and isinstance(node, (Unary, Binary)):
            raise ExpressionError(
                f"expression too deep: more than {MAX_DEPTH} operators rest on one another;"
                " split it (set a variable from part of it first)",
                node.offset,
            )
        if isinstance(node, Unary):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, Binary):
            stack += [(node.left, depth + 1), (node.right, depth + 1)]
        elif isinstance(node, Call):
            stack += [(arg, depth + 1) for arg in node.args]


def describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    return f"'{token.text}'"


def parse(source: str, version: int = 1) -> Node:
    """Parse expression text (of a story of format `version`) into a syntax tree, or raise `ExpressionError`."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION_LENGTH} characters", 0)
    return _Parser(source, version).parse()


# --------------------------------------------------------------------------- types


def check_types(
    node: Node, variable_types: Mapping[str, ValueType], unknown_variable: Callable[[Name], None]
) -> ValueType | None:
    """Return the type of `node`, raising `ExpressionError` on a type error.

    An unknown variable is reported through `unknown_variable` (so the compiler can
    add "did you mean") and typed as None, which suppresses cascading errors.
    `visits(scene)` is an integer whatever the scene: whether it exists is a question
    about the whole story, answered when the story's files are put together.
    """
    if isinstance(node, Literal):
        return type_of(node.value)
    if isinstance(node, Name):
        found = variable_types.get(node.name)
        if found is None:
            unknown_variable(node)
        return found
    if isinstance(node, Visits):
        return "int"
    if isinstance(node, Call):
        return _check_call(node, variable_types, unknown_variable)
    if isinstance(node, Unary):
        t = check_types(node.operand, variable_types, unknown_variable)
        want: ValueType = "bool" if node.op == "not" else "int"
        if t is not None and t != want:
            raise ExpressionError(
                f"'{node.op}' needs {_a(type_name(want))} but got {_a(type_name(t))}", node.offset, len(node.op)
            )
        return want
    left = check_types(node.left, variable_types, unknown_variable)
    right = check_types(node.right, variable_types, unknown_variable)
    op = node.op
    if left is None or right is None:
        if op in _COMPARISONS or op in ("and", "or"):
            return "bool"
        return left if op in ("+", "-") and left == "set" else (left or right)
    if op in ("and", "or"):
        if left != "bool" or right != "bool":
            raise ExpressionError(
                f"'{op}' needs booleans but got {type_name(left)} and {type_name(right)}", node.offset, len(op)
            )
        return "bool"
    if op in ("in", "not in"):
        if left != "str" or right != "set":
            raise ExpressionError(
                f"'{op}' tests whether a string is in a set, not {_a(type_name(left))} in {_a(type_name(right))}",
                node.offset,
                len(op),
            )
        return "bool"
    if op in ("==", "!="):
        if left != right:
            raise ExpressionError(f"cannot compare {type_name(left)} with {type_name(right)}", node.offset, len(op))
        return "bool"
    if op in ("<", "<=", ">", ">="):
        if left != "int" or right != "int":
            raise ExpressionError(
                f"'{op}' compares integers but got {type_name(left)} and {type_name(right)}", node.offset, len(op)
            )
        return "bool"
    if left == "set" and op in ("+", "-"):
        if right in ("str", "set"):
            return "set"
        verb = "adds a string (or a set) to" if op == "+" else "takes a string (or a set) from"
        raise ExpressionError(f"'{op}' {verb} a set, not {_a(type_name(right))}", node.offset)
    if op == "+":
        if left == right and left in ("int", "str"):
            return left
        raise ExpressionError(
            f"'+' adds two integers or joins two strings, not {type_name(left)} and {type_name(right)}",
            node.offset,
        )
    if left != "int" or right != "int":
        raise ExpressionError(f"'{op}' needs integers but got {type_name(left)} and {type_name(right)}", node.offset)
    return "int"


def _check_call(
    node: Call, variable_types: Mapping[str, ValueType], unknown_variable: Callable[[Name], None]
) -> ValueType:
    wanted, result = FUNCTIONS[node.function]
    for arg, want in zip(node.args, wanted, strict=True):
        got = check_types(arg, variable_types, unknown_variable)
        if got is not None and got != want:
            raise ExpressionError(
                f"{node.function}() takes {_a(type_name(want))} here, not {_a(type_name(got))}: "
                + FUNCTION_DOCS[node.function],
                node.offset,
                len(node.function),
            )
    return result


def chance_in(node: Node) -> list[Call]:
    """Every `random()` and `roll()` of the expression, in the order written."""
    return [call for call in _calls(node) if call.function in CHANCE]


def _calls(node: Node) -> list[Call]:
    if isinstance(node, Call):
        return [node, *(c for arg in node.args for c in _calls(arg))]
    if isinstance(node, Unary):
        return _calls(node.operand)
    if isinstance(node, Binary):
        return _calls(node.left) + _calls(node.right)
    return []


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly below `node`."""
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def visits_in(node: Node) -> list[Visits]:
    """Every `visits(scene)` of the expression, in the order written."""
    if isinstance(node, Visits):
        return [node]
    return [v for child in children(node) for v in visits_in(child)]


def names_read(node: Node) -> set[str]:
    """Every variable the expression reads (used by the checker and explorer)."""
    if isinstance(node, Name):
        return {node.name}
    out: set[str] = set()
    for child in children(node):
        out |= names_read(child)
    return out


def scenes_visited(node: Node) -> set[str]:
    """Every scene whose visit count the expression reads."""
    return {v.scene for v in visits_in(node)}


# --------------------------------------------------------------------------- compile


def _saturate(x: int) -> int:
    if x > INT_LIMIT:
        return INT_LIMIT
    if x < -INT_LIMIT:
        return -INT_LIMIT
    return x


def _add(a: Value, b: Value) -> Value:
    if isinstance(a, str) and isinstance(b, str):
        s = a + b
        return s[:STRING_LIMIT] if len(s) > STRING_LIMIT else s
    if isinstance(a, frozenset):
        if isinstance(b, str):
            return a if b in a or len(a) >= SET_LIMIT else a | {b}
        assert isinstance(b, frozenset), "the type checker lets only a string or a set be added to a set"
        joined = a | b
        return joined if len(joined) <= SET_LIMIT else frozenset(sorted(joined)[:SET_LIMIT])
    assert isinstance(a, int) and isinstance(b, int), "the type checker lets only integers or strings meet here"
    return _saturate(a + b)


def _negate(a: Value) -> int:
    assert isinstance(a, int), "the type checker lets only integers be negated"
    return _saturate(-a)


def _sub(a: Value, b: Value) -> Value:
    if isinstance(a, frozenset):
        if isinstance(b, str):
            return a - {b}
        assert isinstance(b, frozenset), "the type checker lets only a string or a set be taken from a set"
        return a - b
    assert isinstance(a, int) and isinstance(b, int), "the type checker lets only integers or sets meet here"
    return _saturate(a - b)


def _contains(a: str, b: frozenset[str]) -> bool:
    return a in b


def _lacks(a: str, b: frozenset[str]) -> bool:
    return a not in b


def _random(low: int, high: int) -> int:
    """A whole number from `low` to `high` (just `low` when `high` is below it)."""
    return (DRAW.get() or PLAY.draw)(1, max(high - low + 1, 1), low)


def _roll(dice: int, sides: int) -> int:
    """The total of `dice` dice with `sides` sides each."""
    return (DRAW.get() or PLAY.draw)(dice, sides, dice)


def _count(items: frozenset[str]) -> int:
    return len(items)


_FUNCTIONS: dict[str, Callable[..., int]] = {"count": _count, "random": _random, "roll": _roll}


def _mul(a: int, b: int) -> int:
    return _saturate(a * b)


_BINARY: dict[str, Callable[[Any, Any], Value]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "+": _add,
    "-": _sub,
    "*": _mul,
    "in": _contains,
    "not in": _lacks,
}


def compile_node(node: Node) -> Evaluator:
    """Turn a checked syntax tree into a closure `(variables, visits) -> value`."""
    if isinstance(node, Literal):
        value = node.value
        return lambda v, s: value
    if isinstance(node, Name):
        name = node.name
        return lambda v, s: v[name]
    if isinstance(node, Visits):
        scene = node.scene
        return lambda v, s: s.get(scene, 0)
    if isinstance(node, Call):
        function = _FUNCTIONS[node.function]
        if len(node.args) == 1 and isinstance(node.args[0], Name):  # `count(kit)`
            argument = node.args[0].name
            return lambda v, s: function(v[argument])
        constants = [arg.value for arg in node.args if isinstance(arg, Literal)]
        if len(constants) == 2 == len(node.args):  # `random(1, 6)`: still drawn at each call
            low, high = constants
            return lambda v, s: function(low, high)
        args = [compile_node(arg) for arg in node.args]
        if len(args) == 1:
            (only,) = args
            return lambda v, s: function(only(v, s))
        first, second = args
        return lambda v, s: function(first(v, s), second(v, s))
    if isinstance(node, Unary):
        inner = compile_node(node.operand)
        if node.op == "not":
            return lambda v, s: not inner(v, s)
        return lambda v, s: _negate(inner(v, s))
    left, right = compile_node(node.left), compile_node(node.right)
    if node.op == "and":
        return lambda v, s: left(v, s) and right(v, s)
    if node.op == "or":
        return lambda v, s: left(v, s) or right(v, s)
    # Specialise the commonest shapes (`resolve > 2`, `applications + 1`, `'water' in kit`,
    # `a < b`) to one call: both sides are read alike, only without a closure for each.
    fn = _BINARY[node.op]
    lhs, rhs = node.left, node.right
    if isinstance(lhs, Name) and isinstance(rhs, Literal):
        name, const = lhs.name, rhs.value
        if node.op in ("+", "-") and const.__class__ is int:  # `applications + 1`: the name is an integer
            step = const if node.op == "+" else -const

            def count_on(v: Mapping[str, Value], s: Mapping[str, int]) -> Value:
                x = cast(int, v[name]) + step
                return x if -INT_LIMIT <= x <= INT_LIMIT else _saturate(x)

            return count_on
        return lambda v, s: fn(v[name], const)
    if isinstance(lhs, Literal) and isinstance(rhs, Name):
        const, name = lhs.value, rhs.name
        return lambda v, s: fn(const, v[name])
    if isinstance(lhs, Name) and isinstance(rhs, Name):
        first_name, second_name = lhs.name, rhs.name
        return lambda v, s: fn(v[first_name], v[second_name])
    return lambda v, s: fn(left(v, s), right(v, s))


class Expression(Struct, frozen=True, array_like=True, gc=False, cache_hash=True):
    """A parsed and type-checked author expression: plain data, stored in the cache as it is.

    `evaluate` is its compiled form, made on first use and shared by every equal
    expression (a story repeats the same few conditions many times).
    """

    source: str
    node: Node
    type: ValueType | None
    #: It draws chance (`random()`, `roll()`): the runtime says where each draw is made.
    chance: bool = False

    @property
    def evaluate(self) -> Evaluator:
        found = _EVALUATORS.get(self)
        if found is None:
            if len(_EVALUATORS) >= _MAX_EVALUATORS:
                _EVALUATORS.clear()
            found = _EVALUATORS[self] = compile_node(self.node)
        return found

    @property
    def reads(self) -> set[str]:
        return names_read(self.node)

    @property
    def visits(self) -> set[str]:
        return scenes_visited(self.node)


#: Compiled expressions by value. The source text is part of the key, so `1` and `true`
#: (equal in Python) never share a closure. Bounded: a long editing session compiles many.
_EVALUATORS: dict[Expression, Evaluator] = {}
_MAX_EVALUATORS = 100_000
