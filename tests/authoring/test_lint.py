"""The checker's static warnings: unused variables, overlong scenes, conditions that cannot vary."""

from __future__ import annotations

from game.authoring.lint import FIT_LINES, lint, scene_height
from game.engine.loader import load_story

STORY = """\
title: T
start: a
variables:
  n: {default: 0, label: Count, min: 0, max: 3}
  ghost: 5
  never_set: {default: 1, label: Shown}
  flag: false
endings:
  done: {title: Done}
"""


def warnings(root) -> list[str]:
    return [f"{d.loc.line}:{d.code}: {d.message}" for d in lint(load_story(root))]


def test_a_clean_story_has_no_warnings(make_story):
    root = make_story(
        {
            "s.yaml": "scenes:\n  a:\n    text: 'n is {n}, {never_set}'\n    choices:\n"
            "      - {text: Up, if: n < 3, set: {n: n + 1, ghost: ghost + 1, never_set: 2, flag: ghost > 5}, goto: a}\n"
            "      - {text: End, if: flag, goto: b}\n"
            "  b:\n    text: Bye.\n    ending: done\n"
        },
        story=STORY,
    )
    assert warnings(root) == []


def test_unused_and_constant_variables(make_story):
    root = make_story(
        {
            "s.yaml": "scenes:\n  a:\n    text: Hi {n}.\n    choices:\n"
            "      - {text: Up, set: {n: n + 1}, goto: b}\n"
            "  b:\n    text: Bye.\n    ending: done\n"
        },
        story=STORY,
    )
    found = warnings(root)
    assert (
        "5:unused-variable: variable 'ghost' is never read: no condition, expression or text uses it, "
        "and it has no label to show it to the player" in found
    )
    assert "5:constant-variable: variable 'ghost' is never changed: nothing sets it, so it is always 5" in found
    assert any(w.startswith("6:constant-variable: variable 'never_set'") for w in found)
    assert not any("'n'" in w for w in found)


def test_paragraph_and_branch_conditions_always_or_never_true_from_bounds(make_story):
    root = make_story(
        {
            "s.yaml": "scenes:\n  a:\n    text:\n"
            "      - {if: n >= 0, text: Always.}\n"
            "      - {if: n > 3, text: Never.}\n"
            "    choices:\n"
            "      - {text: One, set: {n: n + 1}, goto: a}\n"
            "      - text: Two\n        goto:\n          - {if: n > 2 or true, scene: b}\n          - {scene: a}\n"
            "  b:\n    text: Bye {ghost} {never_set} {flag}.\n    ending: done\n"
        },
        story=STORY,
    )
    found = [w for w in warnings(root) if "-true" in w]
    assert found == [
        "4:always-true: the paragraph's 'if: n >= 0' is always true (given the variables' min/max), "
        "so it never hides anything: remove it or fix the condition",
        "5:never-true: the paragraph's 'if: n > 3' can never be true (given the variables' min/max), "
        "so the paragraph is never shown",
        "10:always-true: the branch's 'if: n > 2 or true' is always true (given the variables' min/max), "
        "so it never hides anything: remove it or fix the condition",
    ]


def test_choice_conditions_true_in_every_reachable_state_are_reported_by_check(make_story, capsys):
    from game.cli import main

    root = make_story(
        {
            "s.yaml": "scenes:\n  a:\n    text: Hi {n} {ghost} {never_set} {flag}.\n    choices:\n"
            "      - {text: Up, if: n < 3, set: {n: n + 1, ghost: 1, never_set: 2, flag: true}, goto: b}\n"
            "      - {text: Out, goto: c}\n"
            "  b:\n    text: Again.\n    choices:\n"
            "      - {text: Onward, if: n >= 1, goto: c}\n"
            "  c:\n    text: Bye.\n    ending: done\n"
        },
        story=STORY,
    )
    assert main(["check", "--strict", str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{root}/s.yaml:10:9: warning: choice \"Onward\" has 'if: n >= 1', which is true in every state that "
        "reaches scene 'b': it never hides the choice, so remove it or fix the condition"
    ) in out
    # 'a' is only ever reached with n == 0, so "Up"'s n < 3 never hides it either.
    assert "s.yaml:5:9: warning: choice \"Up\" has 'if: n < 3', which is true in every state" in out
    assert out.strip().endswith("0 errors, 2 warnings (--strict: warnings count as failures)")


def test_a_scene_too_long_for_80x24(make_story):
    long_text = " ".join(["word"] * 300)  # 1,499 characters: 22 lines at 72 columns, plus the Continue
    root = make_story({"s.yaml": f"scenes:\n  a:\n    text: {long_text}\n    ending: done\n"}, story=STORY)
    [warning] = [w for w in warnings(root) if "too-long" in w]
    assert warning.startswith("2:too-long: scene 'a' needs 23 lines at its longest")
    assert "but an 80×24 screen has room for 18: shorten it or split it into two scenes" in warning


def test_exclusive_conditional_paragraphs_are_not_added_up(make_story):
    para = " ".join(["word"] * 60)  # about 5 lines at 72 columns
    text = "\n".join(f"      - if: n == {i}\n        text: {para}" for i in range(4))
    root = make_story({"s.yaml": f"scenes:\n  a:\n    text:\n{text}\n    ending: done\n"}, story=STORY)
    story = load_story(root)
    assert scene_height(story, "a") <= FIT_LINES
    assert not [w for w in warnings(root) if "too-long" in w]
