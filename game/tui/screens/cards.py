"""A moment to look at: a title card when a chapter begins, and the launch sequence.

Both are short (a card about two seconds, the launch about five), drawn with plain characters,
and any key or a click ends them at once; the key is not passed on, so nobody chooses by
accident. Each comes once the scene it opens is on the screen
(`SceneScreen.play_moment_once_drawn`): the scene answers the move at once, and the moment's
backdrop fades in over it, dimming it. They are never shown when motion is unwelcome
(`motion_allowed`): with the player's reduced-motion setting (command palette), under NO_COLOR,
when Textual's animations are off (TEXTUAL_ANIMATIONS=none), and never in the line player. Nor
on the scene `play` opens the game on: that frame is the one startup is measured by.

Which scene starts the launch is the story's to say: a scene tagged `launch-sequence` (story
format 2's tags; the bundled story's liftoff is one).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Digits, Static

from game.engine.model import Scene
from game.tui.textual_fixes import StyledOnceWhenShown

#: A scene with this tag opens with the launch sequence (story format 2: `tags: [launch-sequence]`;
#: the bundled story's liftoff in scenes/05_launch.yaml has it).
LAUNCH_TAG = "launch-sequence"


def launches(scene: Scene) -> bool:
    """Whether reaching `scene` plays the launch sequence."""
    return LAUNCH_TAG in scene.tags


#: Seconds a chapter card stays, once drawn.
CARD_SECONDS = 1.8
#: Seconds the backdrop of a card or the launch takes to dim the scene under it.
FADE_SECONDS = 0.25
#: Seconds between two steps of the countdown, and between two frames of the rest.
COUNT_STEP, FRAME_STEP = 0.2, 0.15

ROCKET = [
    "    /\\    ",
    "   |  |   ",
    "   |NA|   ",
    "   |SA|   ",
    "  /|  |\\  ",
    " /_|__|_\\ ",
]
FLAME = ["   /||\\   ", "   \\||/   ", "    \\/    "]
PAD = "__|______|__"
MONARCH = [
    " .--.   .--. ",
    "(    \\ /    )",
    " '-.  V  .-' ",
    "  (__/ \\__)  ",
]


#: Rows of the launch picture.
CANVAS = 10


def launch_frame(top: int, pad: bool, flame: int) -> str:
    """The rocket with its top at row `top` (above the picture when negative), `flame` rows of
    flame under it, and the pad at the bottom while it is still on it."""
    width = len(PAD)
    rows = [" " * width] * CANVAS
    for i, line in enumerate([*ROCKET, *FLAME[:flame]]):
        if 0 <= top + i < CANVAS:
            rows[top + i] = line.center(width)
    if pad:
        rows[-1] = PAD
    return "\n".join(rows)


def motion_allowed(app: App[Any], reduced_motion: bool) -> bool:
    """Whether cards and the launch may play: not with reduced motion, NO_COLOR, or Textual's
    animations turned off."""
    return not reduced_motion and not os.environ.get("NO_COLOR") and app.animation_level != "none"


class _Moment(StyledOnceWhenShown, ModalScreen[None]):
    """A screen that plays by itself, then closes; any key or click closes it sooner."""

    STYLESHEET = "cards.tcss"  # read when first shown: game/tui/stylesheets.py

    def __init__(self) -> None:
        super().__init__()
        self._moment_timers: list[Timer] = []
        self._done = False

    def on_mount(self) -> None:
        """The backdrop fades in: the scene under it, drawn a moment before, dims as the moment
        begins (its colour is the stylesheet's, from fully transparent)."""
        backdrop = self.styles.background
        self.styles.background = backdrop.with_alpha(0)
        self.styles.animate("background", backdrop, duration=FADE_SECONDS)

    def after(self, seconds: float, callback: Callable[[], object]) -> None:
        self._moment_timers.append(self.set_timer(seconds, callback))

    def finish(self) -> None:
        if self._done:
            return
        self._done = True
        for timer in self._moment_timers:
            timer.stop()
        if self.is_current:
            self.dismiss()

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.finish()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.finish()


class ChapterCard(_Moment):
    """'Chapter 3', a rule drawn out from the middle, and the chapter's name."""

    def __init__(self, number: int, name: str) -> None:
        super().__init__()
        self.number, self.chapter = number, name

    def compose(self) -> ComposeResult:
        with Vertical(id="card"):
            yield Static(Content(f"Chapter {self.number}"), id="card-number")
            yield Static("", id="card-rule")
            yield Static(Content(self.chapter), id="card-name")

    def on_mount(self) -> None:
        width = max(12, min(40, len(self.chapter) + 8))
        rule = self.query_one("#card-rule", Static)
        for step in range(1, 7):
            self.after(step * 0.05, partial(rule.update, "─" * (width * step // 6)))
        self.after(CARD_SECONDS, self.finish)


class LaunchSequence(_Moment):
    """The countdown, liftoff, main engine cutoff, and the monarch."""

    def compose(self) -> ComposeResult:
        with Vertical(id="launch"):
            yield Static("T-minus", id="launch-label")
            yield Digits("10", id="launch-count")
            yield Static("", id="launch-art")

    def on_mount(self) -> None:
        label = self.query_one("#launch-label", Static)
        count = self.query_one("#launch-count", Digits)
        art = self.query_one("#launch-art", Static)
        art.update(launch_frame(CANVAS - 1 - len(ROCKET), pad=True, flame=0))
        at = 0.0
        for n in range(9, -1, -1):
            at += COUNT_STEP
            self.after(at, partial(count.update, str(n)))
        at += COUNT_STEP

        def liftoff() -> None:
            count.visible = False  # its room kept: the picture does not jump
            label.update("LIFTOFF")

        self.after(at, liftoff)
        start = CANVAS - 1 - len(ROCKET)
        for step in range(1, 9):  # the rocket climbs out of the picture on its flame
            frame = launch_frame(start - (step * step) // 3, pad=step < 3, flame=min(3, step))
            self.after(at + step * FRAME_STEP, partial(art.update, frame))
        at += 9 * FRAME_STEP

        def cutoff() -> None:
            label.update("MAIN ENGINE CUTOFF")
            art.update(
                "\n".join(
                    ["", "   ·      *        ·", "", "        ·     ·", "  *            ·   ", "", "", "", "", ""]
                )
            )

        self.after(at, cutoff)
        at += 6 * FRAME_STEP

        def monarch() -> None:
            label.update("")
            art.update("\n".join(["", "", "", *MONARCH, "", "", ""]))
            art.add_class("-monarch")

        self.after(at, monarch)
        self.after(at + 8 * FRAME_STEP, self.finish)
