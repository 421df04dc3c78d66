"""The loader's fast paths decide nothing on their own: they agree with the careful paths they skip."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.text import TemplateError, parse_template, template_names
from game.engine.yaml_source import _MAYBE_ANCHOR, _plain_tree, _StoryLoader

try:
    from yaml import CSafeLoader as Reference
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Reference  # type: ignore[assignment]

SCALARS = [
    "yes",
    "No",
    "on",
    "~",
    "null",
    "",
    "12",
    "0x1F",
    "1_000",
    "3.5",
    "1e3",
    ".inf",
    "2001-12-14",
    "true",
    "text",
    "a: b",
    "-5",
    "'q'",
    '"d"',
    "resolve > 2",
    "<<",
]


def tags(text: str, loader: type) -> list[tuple[str, str]]:
    node = yaml.compose(text, Loader=loader)
    out = []
    for key, value in node.value:
        out += [(key.tag, key.value), (value.tag, value.value)]
    return out


def test_the_memoised_resolver_gives_the_safe_loaders_tags():
    text = "".join(f"k{i}: {s}\n" if ": " not in s else f"k{i}: '{s}'\n" for i, s in enumerate(SCALARS))
    text += "".join(f"{s}: v\n" for s in ("yes", "12", "true", "plain"))
    for _ in range(2):  # the second time from the memo
        assert tags(text, _StoryLoader) == tags(text, Reference)


@pytest.mark.parametrize("text", ["x: &a 1", "x: *a", "- &a [1]", "x: [*a]", "x: {k: *a}", "&a x: 1", "x:\n  &a\n"])
def test_every_anchor_or_alias_is_looked_at(text):
    assert _MAYBE_ANCHOR.search(text)


@pytest.mark.parametrize("text", ["if: a * 2 > 3", "text: AT&T and Q & A", "text: 3*4"])
def test_text_that_only_looks_like_one_is_not(text):
    assert not _MAYBE_ANCHOR.search(text)


def test_a_tree_with_aliases_is_left_to_the_careful_check_at_once():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(9)]
    node = yaml.compose("\n".join(lines), Loader=Reference)  # nine levels of nine: 387 million leaves if expanded
    started = time.perf_counter()
    assert _plain_tree(node) is False
    assert time.perf_counter() - started < 0.5


def test_a_plain_tree_passes_and_a_deep_or_tagged_one_does_not():
    assert _plain_tree(yaml.compose("a: [1, {b: c}]\nd: e\n", Loader=Reference))
    assert not _plain_tree(yaml.compose("a: " + "[" * 40 + "]" * 40 + "\n", Loader=Reference))
    assert not _plain_tree(yaml.compose("a: !custom x\n", Loader=Reference))


def test_templates_render_through_their_pattern_like_their_pieces():
    template = parse_template("{{literal}} {n} and {flag}, {name}}}")
    assert template.pattern == "{{literal}} {} and {}, {}}}"
    assert template.render({"n": 3, "flag": False, "name": "{x.__class__}"}) == "{literal} 3 and false, {x.__class__}}"


def _names_or_error(make) -> tuple:
    try:
        return ("names", tuple(make()))
    except TemplateError as exc:
        return ("error", exc.message, exc.offset)


@given(
    st.lists(
        st.sampled_from(["{", "}", "{{", "}}", "a", "b_1", " ", "\n", "\n\n", "x.y", "1", "é", "{n}", "{ n }"]),
        max_size=12,
    ).map("".join)
)
@settings(max_examples=2000, deadline=None, derandomize=True)
def test_template_names_checks_a_text_as_parse_template_does(source):
    assert _names_or_error(lambda: template_names(source)) == _names_or_error(lambda: parse_template(source).names)
