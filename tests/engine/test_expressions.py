"""The restricted expression language: grammar, types, evaluation, and its safety limits."""

from __future__ import annotations

import pytest

from game.engine.expressions import (
    INT_LIMIT,
    STRING_LIMIT,
    ExpressionError,
    check_types,
    compile_node,
    parse,
)

TYPES = {"n": "int", "s": "str", "b": "bool", "m": "int"}


def unknown(name):
    raise AssertionError(f"no variable should be unknown here: {name}")


def run(source: str, variables=None, visits=None):
    tree = parse(source)
    check_types(tree, TYPES, unknown)
    return compile_node(tree)(variables or {"n": 3, "s": "hi", "b": True, "m": 10}, visits or {})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("n - 5", -2),
        ("-n", -3),
        ("--n", 3),
        ("n * m", 30),
        ("s + ' there'", "hi there"),
        ('s == "hi"', True),
        ("n >= 3 and m < 11", True),
        ("n > 3 or not b", False),
        ("not (n == 3)", False),
        ("true and false or true", True),
        ("visits(cave)", 2),
        ("visits(home) == 0", True),
        ("n != m", True),
        ("b == true", True),
    ],
)
def test_evaluation(source, expected):
    assert run(source, visits={"cave": 2}) == expected


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("n >", "expected a value but found the end of the expression", 3),
        ("(n + 1", "expected ')' but found the end of the expression", 6),
        ("n = 1", "'=' is not an operator here: use '==' to compare", 2),
        ("n && b", "unexpected '&': use 'and'", 2),
        ("1 < n < 3", "comparisons cannot be chained: join them with 'and'", 6),
        ("n 1", "unexpected '1' after a complete expression", 2),
        ("foo(1)", "unknown function 'foo': the only function is visits(scene_id)", 0),
        ("visits(1)", "visits() takes a scene id, found '1'", 7),
        ("'open", "unterminated string: add the closing quote", 0),
        ("n.__class__", "unexpected character '.'", 1),
        ("n[0]", "unexpected character '['", 1),
        ("", "empty expression", 0),
        ("9" * 19, "integer literal too large (at most 18 digits)", 0),
    ],
)
def test_syntax_errors_have_messages_and_offsets(source, message, offset):
    with pytest.raises(ExpressionError) as info:
        parse(source)
    assert info.value.message == message
    assert info.value.offset == offset


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("n + s", "'+' adds two integers or joins two strings, not integer and string"),
        ("s < s", "'<' compares integers but got string and string"),
        ("n and b", "'and' needs booleans but got integer and boolean"),
        ("not n", "'not' needs a boolean but got an integer"),
        ("n == s", "cannot compare integer with string"),
        ("-s", "'-' needs an integer but got a string"),
        ("s * 2", "'*' needs integers but got string and integer"),
    ],
)
def test_type_errors(source, message):
    with pytest.raises(ExpressionError) as info:
        check_types(parse(source), TYPES, unknown)
    assert info.value.message == message


def test_unknown_variables_are_reported_through_the_callback_and_do_not_cascade():
    seen = []
    assert check_types(parse("nope + 1 > 2 and b"), TYPES, lambda name: seen.append(name.name)) == "bool"
    assert seen == ["nope"]


def test_visits_is_an_integer_whatever_the_scene_a_whole_story_decides_if_it_exists():
    assert check_types(parse("visits(attic) + 1"), TYPES, unknown) == "int"


def test_integers_saturate_instead_of_growing_without_bound():
    assert (
        run(
            "m * m * m * m * m * m * m * m * m * m * m * m * m * m * m * m * m * m * m * m",
            {"n": 0, "s": "", "b": True, "m": 10**9},
        )
        == INT_LIMIT
    )
    assert run("0 - m * m * m", {"n": 0, "s": "", "b": True, "m": 10**9}) == -INT_LIMIT


def test_strings_are_cut_at_the_limit():
    long = "x" * (STRING_LIMIT - 1)
    assert len(run("s + s", {"n": 0, "s": long, "b": True, "m": 0})) == STRING_LIMIT


def test_deep_nesting_is_refused_not_a_crash():
    with pytest.raises(ExpressionError, match="nested more than"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionError, match="nested more than"):
        parse("not " * 200 + "true")


def test_long_expressions_are_refused():
    with pytest.raises(ExpressionError, match="longer than"):
        parse("1 + " * 1000 + "1")


def test_the_evaluator_never_uses_eval_or_exec():
    import inspect

    import game.engine.expressions as module

    source = inspect.getsource(module)
    for forbidden in ("eval(", "exec(", "compile(", "__import__", "getattr("):
        assert forbidden not in source.replace("compile_node(", "")


@pytest.mark.parametrize("source", ["²", "1²", "①", "x > ²", "٣", "１"])
def test_only_ascii_digits_make_numbers(source):
    with pytest.raises(ExpressionError, match="unexpected character"):
        parse(source)


def test_a_long_chain_of_operators_is_refused_before_anything_walks_it():
    with pytest.raises(ExpressionError, match="expression too deep"):
        parse(" + ".join(["1"] * 300))
    assert run(" + ".join(["1"] * 65)) == 65  # the longest chain accepted (64 operators) evaluates


def test_the_deepest_expression_accepted_evaluates_far_from_the_recursion_limit():
    import sys

    deepest = " + ".join(["n"] * 63) + " > 0"  # 62 additions and a comparison: 63 levels
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(400)  # a face deep in its own stack (Textual, a test runner) has this much left
        assert run(deepest) is True
    finally:
        sys.setrecursionlimit(limit)
