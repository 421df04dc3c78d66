"""Text that reaches a terminal or a page is safe everywhere: bidirectional controls, and markup in maps.

A right-to-left override (U+202E) or an isolate (U+2066) in a title can make a terminal show
text in another order than it is; a Mermaid map is read as HTML by its viewer. Each filter is
built on the engine's one list of dangerous characters (`CONTROL_CHARACTERS`).
"""

from __future__ import annotations

import io

import pytest

from game.authoring.graph import to_dot, to_mermaid
from game.engine.errors import CONTROL_CHARACTERS, printable
from game.engine.loader import load_story
from game.present.terminal import VisibleControls, clean

BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("char", BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_bidirectional_controls_are_dangerous_characters_everywhere(char):
    assert ord(char) in CONTROL_CHARACTERS
    text = f"abc{char}def"
    assert clean(text) == "abcdef"  # players: removed
    assert printable(text) == f"abc\\u{ord(char):04x}def"  # messages: shown
    stream = io.StringIO()
    VisibleControls(stream).write(text)  # the authoring commands' output: shown
    assert stream.getvalue() == f"abc\\u{ord(char):04x}def"


def test_mermaid_maps_show_markup_as_text(make_story):
    title = '<img src=x onerror="alert(1)"> & #1'
    root = make_story(
        {"s.yaml": f"chapter: '<b>One</b>'\nscenes:\n  a:\n    title: '{title}'\n    text: Hi.\n    ending: done\n"},
        story="title: T\nstart: a\nendings:\n  done: {title: '<script>x</script>'}\n",
    )
    story = load_story(root)
    mermaid = to_mermaid(story, labels=True)
    for raw in ("<img", "<b>", "<script>", 'onerror="', "& #1"):
        assert raw not in mermaid
    assert "#lt;img src=x onerror=#quot;alert(1)#quot;#gt; #amp; #35;1" in mermaid
    assert 'label="<img src=x onerror=\\"alert(1)\\"> & #1' in to_dot(story)  # a quoted DOT label is text
