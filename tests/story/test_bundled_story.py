"""The bundled story through the engine's Python API: the fields chapter, and the story's promises."""

from __future__ import annotations

import random

import pytest

from game.bundled import bundled_story_path
from game.engine.explore import explore_exhaustive
from game.engine.loader import load_story
from game.engine.runtime import Game


@pytest.fixture(scope="module")
def story():
    return load_story(bundled_story_path())


def play_fields(story, pick) -> Game:
    game = Game(story)
    while game.scene.chapter == "The Fields":
        options = game.options
        game.choose(pick(options))
        assert len(game.path) < 60, "the fields chapter should end"
    return game


def test_the_story_declares_what_the_game_needs(story):
    assert story.start == "fields_dawn"
    assert story.labelled[0].name == "applications"
    assert story.labelled[0].label == "NASA applications"
    assert set(story.endings) == {"launch", "distance", "livermore", "ground", "washout"}
    chapters = list(dict.fromkeys(s.chapter for s in story.scenes.values()))
    assert chapters == ["The Fields", "The Lab", "The Applications", "Training", "The Launch", "Epilogue"]
    assert len(story.scenes) >= 150


def test_the_fields_chapter_plays_headless_and_moves_the_state(story):
    game = play_fields(story, lambda options: 1)
    assert game.scene.id == "lab_graduation"
    assert game.state.variables["applications"] == 0  # no application before the lab
    assert game.state.variables != story.defaults()  # the fields changed who José is
    assert len(game.path) >= 8
    journal = list(game.journal())
    assert journal[0].scene.id == "fields_dawn"
    assert any("Young" in " ".join(entry.paragraphs) for entry in journal)


def test_other_choices_in_the_fields_lead_to_other_scenes_and_state(story):
    first = play_fields(story, lambda options: 1)
    last = play_fields(story, lambda options: len(options))
    seen_first = {entry.scene.id for entry in first.journal()}
    seen_last = {entry.scene.id for entry in last.journal()}
    assert seen_first != seen_last
    assert first.state.variables != last.state.variables


def test_random_playthroughs_always_reach_an_ending(story):
    rng = random.Random(7)
    endings = set()
    for _ in range(400):
        game = Game(story)
        while not game.is_over:
            game.paragraphs  # noqa: B018 - rendering is part of playing
            game.choose(rng.randrange(len(game.options)) + 1)
            assert len(game.path) < 2000
        endings.add(game.ending.id)
        if game.ending.id in ("launch", "distance", "ground", "washout"):
            assert game.state.variables["applications"] == 12
    assert endings == set(story.endings)


def test_exhaustive_exploration_finds_nothing_wrong(story):
    result = explore_exhaustive(story)
    assert result.complete
    assert result.diagnostics() == []
    assert set(result.endings) == set(story.endings)
