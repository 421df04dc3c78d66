"""The mistakes a new author makes, each in a small working story, and what `check` answers.

Each mistake below was made, one at a time, in the story `million-miles new`
writes (issue #16, "The messages an author reads"), and `million-miles check`'s
answer graded: A, one message, at the place the author got wrong, with advice
that fits; B, all that but the advice, or a second message; C, the right file
but the wrong line or no advice, or a few messages for one mistake; D, a line
or more late, with advice that does not fit; E, far from the mistake; F,
nothing at all, or a flood.

Before: 16 A, 11 B, 11 C, 9 D, 3 E, 6 F (56 mistakes). After: 56 A. Grade before → after:

    D → A  missing colon after a key
    D → A  missing colon before a blank line
    D → A  no space after the colon
    C → A  key indented too deep
    B → A  key indented one space too shallow
    C → A  key dedented to the scene ids
    D → A  line dedented inside a | block
    D → A  line with ': ' dedented inside a | block
    E → A  unclosed double quote
    E → A  unclosed single quote
    E → A  unclosed quote, closed by another scene's
    A → A  ': ' inside a text
    B → A  text that starts with a quote
    B → A  text that starts with a brace
    A → A  a tab for indentation
    C → A  no '- ' before the first choice
    C → A  no space after '-'
    D → A  a '{' never closed
    C → A  no '- ' between two choices
    F → A  'variabels:' in story.yaml
    C → A  'ending:' for 'endings:' in story.yaml
    B → A  'scene:' for 'scenes:'
    B → A  'strat:' for 'start:'
    B → A  'txt:' for a scene's 'text:'
    B → A  'txt:' for a choice's 'text:'
    B → A  'choises:' for 'choices:'
    D → A  a file that fails to parse, and a mistake in another
    A → A  a choice with a broken 'if' and an unknown 'goto'
    A → A  a choice with an unknown variable in 'set' and an unknown 'goto'
    A → A  a choice with a mistyped 'if' and an unknown 'goto'
    A → A  a branch with an unknown variable and an unknown scene
    F → A  ' #' in prose
    F → A  ' #' in a title
    F → A  a placeholder in a scene's title
    F → A  a placeholder in an ending's title
    F → A  a placeholder in a chapter
    C → A  'default: no' compared with 'no'
    C → A  'set: {keeper: yes}' for a string
    C → A  'True' in an expression
    D → A  '=>' for '>='
    B → A  'set' of an undeclared variable
    C → A  story.yml for story.yaml
    B → A  text compared without quotes
    B → A  an ending's id in a goto
    A → A  unknown scene
    A → A  unknown variable in text
    A → A  unknown ending
    A → A  unknown start scene
    A → A  '=' for '=='
    A → A  '&&' for 'and'
    A → A  a scene with no way on
    A → A  a scene with two ways on
    A → A  a scene id defined twice
    A → A  empty text
    C → A  a playthrough without 'story:' (million-miles test)
    D → A  'once: yes' in an editor (the JSON Schema)

The last two are tested where they live: tests/testing/test_runner.py and
tests/authoring/test_schema.py. Each answer here is exact: a change to one is a
change to what authors read, and belongs in docs/authoring.md part 6 too.
"""

from __future__ import annotations

import pytest

from game.cli import main

STORY = """\
# yaml-language-server: $schema=schema/story.schema.json
# The heart of a story: its title, first scene, state and endings.
# Format reference: docs/authoring.md of A Million Miles Away, or `million-miles schema`.
title: Lighthouse
start: harbor

variables:
  courage: {default: 1, label: Courage, min: 0, max: 3}   # shown to the player
  has_lantern: false                                      # hidden

endings:
  lit:
    title: The Light Holds
    description: You kept the lighthouse burning through the storm.
  ashore:
    title: Safe Ashore
    description: You waited out the storm in the harbor. The ships found their own way.
"""

CHAPTER = """\
# yaml-language-server: $schema=schema/scenes.schema.json
# Any *.yaml file beside story.yaml (subfolders too) holds scenes.
chapter: The Storm

scenes:
  harbor:
    title: The Harbor
    text: |
      Rain drums on the tin roof of the harbor shed. Out past the breakwater
      the lighthouse stands dark: the keeper has not come back from town.

      Your courage: {courage}.
    choices:
      - text: Take the lantern from its hook
        once: true
        set: {has_lantern: true}
        goto: harbor
      - text: Steady yourself
        if: courage < 3
        set: {courage: courage + 1}
        goto: harbor
      - text: Row out to the lighthouse
        if: courage >= 2
        goto: crossing
      - text: Wait for morning
        goto: morning

  crossing:
    title: The Crossing
    text:
      - The sea lifts the boat and drops it. Spray stings your eyes.
      - if: has_lantern
        text: The lantern swings at the bow, a small brave light.
      - if: not has_lantern
        text: You row into the dark by feel alone.
    goto:
      - if: has_lantern
        scene: lamp_room
      - scene: morning

  lamp_room:
    title: The Lamp Room
    text: |
      You climb the iron stairs and touch the lantern's flame to the great
      wick. The beam swings out over the water, and far off a ship answers
      with its horn.
    ending: lit

  morning:
    title: Morning
    text: |
      Grey light. The storm has blown itself out, and the fishing boats come
      home one by one, having found their own way.
    ending: ashore
"""

#: Mistake → (the edits that make it, what `check .` prints). An edit is (file, old text, new text),
#: ("+", file, text) for a new file, or ("mv", old name, new name).
MISTAKES: dict[str, tuple[list[tuple[str, str, str]], list[str]]] = {
    "missing colon after a key": (
        [("chapter1.yaml", "    title: The Crossing", "    title The Crossing")],
        [
            "chapter1.yaml:29:5: error: YAML syntax error: a ':' is missing after 'title': write 'title: The Crossing' (without it YAML reads this line as text, and the lines after it too)",
            "1 error, 0 warnings",
        ],
    ),
    "missing colon before a blank line": (
        [("chapter1.yaml", "    goto: morning\n\n", "    goto morning\n\n")],
        [
            "chapter1.yaml:26:9: error: YAML syntax error: a ':' is missing after 'goto': write 'goto: morning' (without it YAML reads this line as text, and the lines after it too)",
            "1 error, 0 warnings",
        ],
    ),
    "no space after the colon": (
        [("chapter1.yaml", "        goto: crossing", "        goto:crossing")],
        [
            "chapter1.yaml:24:9: error: YAML syntax error: a space is missing after ':': write 'goto: crossing' (YAML reads 'goto:crossing' as one piece of text)",
            "1 error, 0 warnings",
        ],
    ),
    "key indented too deep": (
        [("chapter1.yaml", "    title: The Crossing\n    text:", "    title: The Crossing\n      text:")],
        [
            "chapter1.yaml:30:7: error: YAML syntax error: 'text' is indented more than 'title' on line 29, so YAML reads it as more of that line's text: indent it 4 spaces, like 'title'",
            "1 error, 0 warnings",
        ],
    ),
    "key indented one space too shallow": (
        [("chapter1.yaml", "    ending: lit", "   ending: lit")],
        [
            "chapter1.yaml:47:4: error: YAML syntax error: this key is indented 3 spaces, which lines up with no key above it: indent it 4 spaces like 'text' on line 43 or 2 spaces like 'lamp_room' on line 41",
            "1 error, 0 warnings",
        ],
    ),
    "key dedented to the scene ids": (
        [("chapter1.yaml", "    ending: lit", "  ending: lit")],
        [
            "chapter1.yaml:47:3: error: 'ending' is indented like a scene id, so it reads as a scene of its own: if it belongs to the scene above, indent it like that scene's other keys",
            "1 error, 0 warnings",
        ],
    ),
    "line dedented inside a | block": (
        [("chapter1.yaml", "      wick. The beam", "    wick. The beam")],
        [
            "chapter1.yaml:45:5: error: YAML syntax error: this line of the text begun on line 43 is indented less than the text's first line (6 spaces), which ends the text there: indent it 6 spaces like the lines above",
            "1 error, 0 warnings",
        ],
    ),
    "line with ': ' dedented inside a | block": (
        [("chapter1.yaml", "      the lighthouse stands dark", "    the lighthouse stands dark")],
        [
            "chapter1.yaml:10:5: error: YAML syntax error: this line of the text begun on line 8 is indented less than the text's first line (6 spaces), which ends the text there: indent it 6 spaces like the lines above",
            "1 error, 0 warnings",
        ],
    ),
    "unclosed double quote": (
        [("chapter1.yaml", "    title: The Harbor", '    title: "The Harbor')],
        [
            "chapter1.yaml:7:12: error: YAML syntax error: the quote mark \" that opens this text is never closed: end the text with \" (or write it below a '|' line, where quote marks are plain text)",
            "1 error, 0 warnings",
        ],
    ),
    "unclosed single quote": (
        [("chapter1.yaml", "    title: Morning", "    title: 'Morning")],
        [
            "chapter1.yaml:50:12: error: YAML syntax error: the quote mark ' that opens this text is never closed: end the text with ' (or write it below a '|' line, where quote marks are plain text)",
            "1 error, 0 warnings",
        ],
    ),
    "unclosed quote, closed by another scene's": (
        [
            ("chapter1.yaml", "    title: The Harbor", '    title: "The Harbor'),
            ("chapter1.yaml", "    title: Morning", '    title: "Morning"'),
        ],
        [
            'chapter1.yaml:7:12: error: YAML syntax error: the quote mark " that opens this text is not closed on this line: YAML reads on, through the keys below, to the next " on line 50; end the text with " (or write it below a \'|\' line, where quote marks are plain text)',
            "1 error, 0 warnings",
        ],
    ),
    "': ' inside a text": (
        [("chapter1.yaml", "    title: Morning", "    title: Morning: grey")],
        [
            "chapter1.yaml:50:19: error: YAML syntax error: mapping values are not allowed in this context; a ': ' inside text starts a new key: put the whole text in quotes, or below a '|' line",
            "1 error, 0 warnings",
        ],
    ),
    "text that starts with a quote": (
        [("chapter1.yaml", "    title: Morning", '    title: "Morning," she said')],
        [
            "chapter1.yaml:50:12: error: YAML syntax error: this text starts with a quote mark, so YAML reads only what is between the quote marks as the text, and not what follows: put the whole text in single quotes: '\"Morning,\" she said'",
            "1 error, 0 warnings",
        ],
    ),
    "text that starts with a brace": (
        [("chapter1.yaml", "    title: Morning", "    title: {courage} mornings")],
        [
            "chapter1.yaml:50:12: error: YAML syntax error: this text starts with '{', so YAML reads a {key: value} mapping, and not what follows: put the whole text in single quotes: '{courage} mornings'",
            "1 error, 0 warnings",
        ],
    ),
    "a tab for indentation": (
        [("chapter1.yaml", "    title: Morning", "\ttitle: Morning")],
        [
            "chapter1.yaml:50:1: error: YAML syntax error: found character that cannot start any token (while scanning for the next token); this is a tab: YAML indents with spaces only",
            "1 error, 0 warnings",
        ],
    ),
    "no '- ' before the first choice": (
        [("chapter1.yaml", "    choices:\n      - text: Take", "    choices:\n        text: Take")],
        [
            "chapter1.yaml:14:9: error: YAML syntax error: the list under 'choices' goes on at line 18 with '- ', but its first item has none: start this line with '- ' (each item of a list starts with '- ')",
            "1 error, 0 warnings",
        ],
    ),
    "no space after '-'": (
        [("chapter1.yaml", "      - text: Wait for morning", "      -text: Wait for morning")],
        [
            "chapter1.yaml:25:7: error: YAML syntax error: a space is missing after '-': write '- text: Wait for morning' (each item of a list starts with '- ')",
            "1 error, 0 warnings",
        ],
    ),
    "a '{' never closed": (
        [("chapter1.yaml", "set: {has_lantern: true}", "set: {has_lantern: true")],
        [
            "chapter1.yaml:16:14: error: YAML syntax error: this '{' is never closed: end the {...} on this line with '}' (if this is text, put it in quotes)",
            "1 error, 0 warnings",
        ],
    ),
    "no '- ' between two choices": (
        [("chapter1.yaml", "        goto: crossing\n      - text: Wait", "        goto: crossing\n        text: Wait")],
        [
            "chapter1.yaml:25:9: error: 'text' again (first at line 22): a '- ' is missing at the start of this line, so YAML reads two items of the list as one; write '- ' before 'text' (each item of a list starts with '- ')",
            "1 error, 0 warnings",
        ],
    ),
    "'variabels:' in story.yaml": (
        [("story.yaml", "variables:", "variabels:")],
        [
            "story.yaml:7:1: error: unknown key 'variabels' in story.yaml (did you mean 'variables'?)",
            "1 error, 0 warnings",
        ],
    ),
    "'ending:' for 'endings:' in story.yaml": (
        [("story.yaml", "endings:", "ending:")],
        ["story.yaml:11:1: error: unknown key 'ending' in story.yaml (did you mean 'endings'?)", "1 error, 0 warnings"],
    ),
    "'scene:' for 'scenes:'": (
        [("chapter1.yaml", "scenes:", "scene:")],
        [
            "chapter1.yaml:5:1: error: unknown key 'scene' in a scene file (did you mean 'scenes'?)",
            "1 error, 0 warnings",
        ],
    ),
    "'strat:' for 'start:'": (
        [("story.yaml", "start: harbor", "strat: harbor")],
        ["story.yaml:5:1: error: unknown key 'strat' in story.yaml (did you mean 'start'?)", "1 error, 0 warnings"],
    ),
    "'txt:' for a scene's 'text:'": (
        [("chapter1.yaml", "    title: The Lamp Room\n    text: |", "    title: The Lamp Room\n    txt: |")],
        [
            "chapter1.yaml:43:5: error: unknown key 'txt' in scene 'lamp_room' (did you mean 'text'?)",
            "1 error, 0 warnings",
        ],
    ),
    "'txt:' for a choice's 'text:'": (
        [("chapter1.yaml", "      - text: Wait for morning\n", "      - txt: Wait for morning\n")],
        ["chapter1.yaml:25:9: error: unknown key 'txt' in choice 4 (did you mean 'text'?)", "1 error, 0 warnings"],
    ),
    "'choises:' for 'choices:'": (
        [("chapter1.yaml", "    choices:\n      - text: Take", "    choises:\n      - text: Take")],
        [
            "chapter1.yaml:13:5: error: unknown key 'choises' in scene 'harbor' (did you mean 'choices'?)",
            "1 error, 0 warnings",
        ],
    ),
    "a file that fails to parse, and a mistake in another": (
        [
            ("chapter1.yaml", "    title: Morning", '    title: "Morning'),
            ("+", "extra.yaml", "scenes:\n  attic:\n    text: Dust.\n    goto: nowhere\n"),
        ],
        [
            "chapter1.yaml:50:12: error: YAML syntax error: the quote mark \" that opens this text is never closed: end the text with \" (or write it below a '|' line, where quote marks are plain text)",
            "extra.yaml:4:11: error: unknown scene 'nowhere'",
            "2 errors, 0 warnings",
        ],
    ),
    "a choice with a broken 'if' and an unknown 'goto'": (
        [
            (
                "chapter1.yaml",
                "        if: courage >= 2\n        goto: crossing",
                "        if: courage >=\n        goto: crosing",
            )
        ],
        [
            "chapter1.yaml:23:23: error: in 'if': expected a value but found the end of the expression",
            "chapter1.yaml:24:15: error: unknown scene 'crosing' (did you mean 'crossing'?)",
            "2 errors, 0 warnings",
        ],
    ),
    "a choice with an unknown variable in 'set' and an unknown 'goto'": (
        [
            (
                "chapter1.yaml",
                "        set: {has_lantern: true}\n        goto: harbor",
                "        set: {has_lanter: true}\n        goto: harbr",
            )
        ],
        [
            "chapter1.yaml:16:15: error: unknown variable 'has_lanter' (did you mean 'has_lantern'?)",
            "chapter1.yaml:17:15: error: unknown scene 'harbr' (did you mean 'harbor'?)",
            "2 errors, 0 warnings",
        ],
    ),
    "a choice with a mistyped 'if' and an unknown 'goto'": (
        [
            (
                "chapter1.yaml",
                "        if: courage >= 2\n        goto: crossing",
                "        if: courage\n        goto: crosing",
            )
        ],
        [
            "chapter1.yaml:23:13: error: 'if' must be a boolean but this expression gives an integer",
            "chapter1.yaml:24:15: error: unknown scene 'crosing' (did you mean 'crossing'?)",
            "2 errors, 0 warnings",
        ],
    ),
    "a branch with an unknown variable and an unknown scene": (
        [
            (
                "chapter1.yaml",
                "      - if: has_lantern\n        scene: lamp_room",
                "      - if: has_lanter\n        scene: lamp_rom",
            )
        ],
        [
            "chapter1.yaml:37:13: error: unknown variable 'has_lanter' (did you mean 'has_lantern'?)",
            "chapter1.yaml:38:16: error: unknown scene 'lamp_rom' (did you mean 'lamp_room'?)",
            "2 errors, 0 warnings",
        ],
    ),
    "' #' in prose": (
        [
            (
                "chapter1.yaml",
                "    text: |\n      You climb the iron stairs and touch the lantern's flame to the great\n      wick. The beam swings out over the water, and far off a ship answers\n      with its horn.",
                "    text: You climb the stairs to lamp #2 and light it.",
            )
        ],
        [
            "chapter1.yaml:43:40: warning: ' #' starts a YAML comment, so this text ends before '#2': to keep it, put the whole text in quotes (or write it below a '|' line)",
            "Lighthouse: 4 scenes, 2 endings; 0 errors, 1 warning",
        ],
    ),
    "' #' in a title": (
        [("chapter1.yaml", "    title: Morning", "    title: Morning #2")],
        [
            "chapter1.yaml:50:20: warning: ' #' starts a YAML comment, so this text ends before '#2': to keep it, put the whole text in quotes (or write it below a '|' line)",
            "Lighthouse: 4 scenes, 2 endings; 0 errors, 1 warning",
        ],
    ),
    "a placeholder in a scene's title": (
        [("chapter1.yaml", "    title: Morning", "    title: Morning, courage {courage}")],
        [
            "chapter1.yaml:50:29: warning: '{courage}' in 'title' is shown as written, braces and all: variables are filled in only in scene text and choice text",
            "Lighthouse: 4 scenes, 2 endings; 0 errors, 1 warning",
        ],
    ),
    "a placeholder in an ending's title": (
        [("story.yaml", "title: Safe Ashore", "title: Safe Ashore with courage {courage}")],
        [
            "story.yaml:16:37: warning: '{courage}' in 'title' is shown as written, braces and all: variables are filled in only in scene text and choice text",
            "Lighthouse: 4 scenes, 2 endings; 0 errors, 1 warning",
        ],
    ),
    "a placeholder in a chapter": (
        [("chapter1.yaml", "chapter: The Storm", "chapter: The Storm {courage}")],
        [
            "chapter1.yaml:3:20: warning: '{courage}' in 'chapter' is shown as written, braces and all: variables are filled in only in scene text and choice text",
            "Lighthouse: 4 scenes, 2 endings; 0 errors, 1 warning",
        ],
    ),
    "'default: no' compared with 'no'": (
        [
            ("story.yaml", "  has_lantern: false", "  has_lantern: false\n  answer: {default: no}"),
            ("chapter1.yaml", "        if: courage < 3", "        if: courage < 3 and answer == 'no'"),
        ],
        [
            "chapter1.yaml:19:36: error: in 'if': cannot compare boolean with string; 'answer' is a boolean because YAML reads its default, no, as false: if it is text, put it in quotes in story.yaml: 'no'",
            "1 error, 0 warnings",
        ],
    ),
    "'set: {keeper: yes}' for a string": (
        [
            (
                "story.yaml",
                "  has_lantern: false",
                "  has_lantern: false\n  keeper: {default: 'unknown', label: Keeper}",
            ),
            ("chapter1.yaml", "set: {has_lantern: true}", "set: {has_lantern: true, keeper: yes}"),
        ],
        [
            "chapter1.yaml:16:42: error: the value for 'keeper' must be a string but this expression gives a boolean; YAML reads yes as true: for the text, write \"'yes'\"",
            "1 error, 0 warnings",
        ],
    ),
    "'True' in an expression": (
        [("chapter1.yaml", "      - if: has_lantern\n        text", "      - if: has_lantern == True\n        text")],
        [
            "chapter1.yaml:32:28: error: unknown variable 'True' (write 'true': the expression language writes booleans in lower case)",
            "1 error, 0 warnings",
        ],
    ),
    "'=>' for '>='": (
        [("chapter1.yaml", "if: courage >= 2", "if: courage => 2")],
        ["chapter1.yaml:23:21: error: in 'if': '=>' is not an operator: write '>='", "1 error, 0 warnings"],
    ),
    "'set' of an undeclared variable": (
        [("chapter1.yaml", "set: {has_lantern: true}", "set: {has_lantern: true, gold: 5}")],
        [
            "chapter1.yaml:16:34: error: unknown variable 'gold'; declare it in story.yaml, under 'variables:', with its starting value (gold: 0)",
            "1 error, 0 warnings",
        ],
    ),
    "story.yml for story.yaml": (
        [("mv", "story.yaml", "story.yml")],
        [
            "story.yml: error: the story's own file must be named story.yaml (scene files may end in .yml, it may not): rename story.yml to story.yaml",
            "1 error, 0 warnings",
        ],
    ),
    "text compared without quotes": (
        [
            ("story.yaml", "  has_lantern: false", "  has_lantern: false\n  mood: {default: calm, label: Mood}"),
            ("chapter1.yaml", "if: courage < 3", "if: mood == calm"),
        ],
        [
            "chapter1.yaml:19:21: error: unknown variable 'calm' (to compare with text, quote it: 'calm')",
            "1 error, 0 warnings",
        ],
    ),
    "an ending's id in a goto": (
        [("chapter1.yaml", "goto: morning\n\n", "goto: ashore\n\n")],
        [
            "chapter1.yaml:26:15: error: unknown scene 'ashore'; 'ashore' is an ending: to end the story there, go to a scene with 'ending: ashore'",
            "1 error, 0 warnings",
        ],
    ),
    "unknown scene": (
        [("chapter1.yaml", "goto: morning\n\n", "goto: mornin\n\n")],
        ["chapter1.yaml:26:15: error: unknown scene 'mornin' (did you mean 'morning'?)", "1 error, 0 warnings"],
    ),
    "unknown variable in text": (
        [("chapter1.yaml", "{courage}.", "{corage}.")],
        [
            "chapter1.yaml:12:22: error: unknown variable 'corage' in text (did you mean 'courage'?)",
            "1 error, 0 warnings",
        ],
    ),
    "unknown ending": (
        [("chapter1.yaml", "ending: lit", "ending: light")],
        ["chapter1.yaml:47:13: error: unknown ending 'light' (did you mean 'lit'?)", "1 error, 0 warnings"],
    ),
    "unknown start scene": (
        [("story.yaml", "start: harbor", "start: harbour")],
        ["story.yaml:5:8: error: start scene 'harbour' does not exist (did you mean 'harbor'?)", "1 error, 0 warnings"],
    ),
    "'=' for '=='": (
        [("chapter1.yaml", "if: courage < 3", "if: courage = 3")],
        [
            "chapter1.yaml:19:21: error: in 'if': '=' is not an operator here: use '==' to compare",
            "1 error, 0 warnings",
        ],
    ),
    "'&&' for 'and'": (
        [("chapter1.yaml", "if: courage >= 2", "if: courage >= 2 && has_lantern")],
        ["chapter1.yaml:23:26: error: in 'if': unexpected '&': use 'and'", "1 error, 0 warnings"],
    ),
    "a scene with no way on": (
        [("chapter1.yaml", "    ending: ashore", "")],
        [
            "chapter1.yaml:49:3: error: scene 'morning' needs one of 'choices', 'goto' or 'ending' (where does the player go next?)",
            "1 error, 0 warnings",
        ],
    ),
    "a scene with two ways on": (
        [("chapter1.yaml", "    ending: lit", "    ending: lit\n    goto: morning")],
        [
            "chapter1.yaml:48:5: error: scene 'lamp_room' has both 'ending' and 'goto': keep exactly one of 'choices', 'goto', 'ending'",
            "1 error, 0 warnings",
        ],
    ),
    "a scene id defined twice": (
        [("+", "more.yaml", "scenes:\n  morning:\n    text: Again.\n    ending: ashore\n")],
        [
            "chapter1.yaml:49:3: error: duplicate scene id 'morning' (also defined at more.yaml:2:3)",
            "more.yaml:2:3: error: duplicate scene id 'morning' (also defined at chapter1.yaml:49:3)",
            "2 errors, 0 warnings",
        ],
    ),
    "empty text": (
        [
            (
                "chapter1.yaml",
                "    title: Morning\n    text: |\n      Grey light. The storm has blown itself out, and the fishing boats come\n      home one by one, having found their own way.\n",
                "    title: Morning\n    text:\n",
            )
        ],
        [
            "chapter1.yaml:51:10: error: 'text' must be prose or a list of paragraphs, found nothing (null)",
            "1 error, 0 warnings",
        ],
    ),
}


def write(folder, edits=()):
    (folder / "story.yaml").write_text(STORY, encoding="utf-8")
    (folder / "chapter1.yaml").write_text(CHAPTER, encoding="utf-8")
    for edit in edits:
        if edit[0] == "+":
            (folder / edit[1]).write_text(edit[2], encoding="utf-8")
        elif edit[0] == "mv":
            (folder / edit[1]).rename(folder / edit[2])
        else:
            path = folder / edit[0]
            text = path.read_text(encoding="utf-8")
            assert edit[1] in text, edit
            path.write_text(text.replace(edit[1], edit[2], 1), encoding="utf-8")


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_check_answers_each_mistake_at_its_place(mistake, tmp_path, capsys, monkeypatch):
    edits, expected = MISTAKES[mistake]
    write(tmp_path, edits)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    main(["check", "."])
    assert capsys.readouterr().out.splitlines() == expected


def test_the_story_without_a_mistake_is_clean(tmp_path, capsys, monkeypatch):
    write(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict", "."]) == 0
    assert capsys.readouterr().out.splitlines() == ["Lighthouse: 4 scenes, 2 endings; 0 errors, 0 warnings"]
