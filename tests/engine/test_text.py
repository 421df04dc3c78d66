"""Templates: `{name}` interpolation without ever handing author text to `str.format`."""

from __future__ import annotations

from game.engine.text import parse_template


def test_templates_render_through_their_pattern_like_their_pieces():
    template = parse_template("{{literal}} {n} and {flag}, {name}}}")
    assert template.pattern == "{{literal}} {} and {}, {}}}"
    assert template.render({"n": 3, "flag": False, "name": "{x.__class__}"}) == "{literal} 3 and false, {x.__class__}}"
