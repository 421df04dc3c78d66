"""Story format 2 in the full-screen player: a scene that asks the player to type a text, titles
filled in from the state, sets of words as values, and a scene tagged for the launch sequence."""

from __future__ import annotations

import pytest

from game.engine.loader import load_story
from game.engine.saves import SaveStore
from game.tui.app import MillionMilesApp
from game.tui.screens.cards import LaunchSequence
from game.tui.screens.scene import SceneScreen

STORY = """\
format: 2
title: Names
start: ask
variables:
  name: {default: "Ana", label: Name}
  bag: {default: [], label: Bag}
endings:
  done: {title: Done}
"""
SCENES = """\
scenes:
  ask:
    title: Welcome
    input:
      variable: name
      prompt: What is your name?
      max: 8
      default: Ana
    text: The form has one box.
    goto: room
  room:
    title: "{name}'s room"
    text: "Hi, {name}."
    choices:
      - text: Pack the map
        set: {bag: bag + 'map'}
        goto: room
      - text: Go
        goto: pad
  pad:
    tags: [launch-sequence]
    text: The engines light.
    ending: done
"""


@pytest.fixture
def app_of(make_story, private_home):
    story = load_story(make_story({"scenes.yaml": SCENES}, story=STORY))

    def make(motion: bool = False) -> MillionMilesApp:
        app = MillionMilesApp(story, SaveStore(private_home, story), opening="story")
        app.animation_level = "full" if motion else "none"
        return app

    return make


def test_a_scene_that_asks_for_a_name_takes_it_typed_and_fills_the_title_in(app_of, drive, screen_text):
    app = app_of()

    async def scenario(pilot):
        text = screen_text(app)
        assert "What is your name?" in text and "Type your answer, then Enter (nothing typed: Ana)" in text
        assert "1. Continue" not in text  # the field takes the place of the choices
        await pilot.press(*"Marta", "enter")
        assert app.session.game.variables["name"] == "Marta"
        assert "Marta's room" in screen_text(app) and "Hi, Marta." in screen_text(app)
        assert "Name Marta" in " ".join(screen_text(app).split())
        await pilot.press("u")  # undo goes back to the question, the field empty again
        assert app.session.game.asks and app.screen.query_one("#answer").value == ""

    drive(app, scenario, size=(80, 24))


def test_enter_alone_takes_the_default_and_the_answer_is_cut_to_its_length(app_of, drive):
    app = app_of()

    async def scenario(pilot):
        await pilot.press("enter")
        assert app.session.game.variables["name"] == "Ana"
        await pilot.press("u", *"Maximiliano", "enter")
        assert app.session.game.variables["name"] == "Maximili"

    drive(app, scenario, size=(60, 20))


def test_keys_typed_at_the_question_are_text_not_commands(app_of, drive):
    app = app_of()

    async def scenario(pilot):
        await pilot.press(*"quj", "enter")  # quit, undo, journal? no: a name
        assert app.session.game.variables["name"] == "quj" and isinstance(app.screen, SceneScreen)

    drive(app, scenario)


def test_a_set_is_shown_as_its_members(app_of, drive, screen_text):
    app = app_of()

    async def scenario(pilot):
        await pilot.press("enter")
        assert "Bag none" in " ".join(screen_text(app).split())
        await pilot.press("1")
        assert "Bag map" in " ".join(screen_text(app).split())

    drive(app, scenario, size=(80, 24))


def test_a_scene_tagged_launch_sequence_plays_it(app_of, drive):
    app = app_of(motion=True)

    async def scenario(pilot):
        await pilot.press("enter", "2")
        assert isinstance(app.screen, LaunchSequence)

    drive(app, scenario)
