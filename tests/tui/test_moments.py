"""Chapter title cards and the launch sequence: shown when a chapter begins and at the launch,
brief, skipped by any key (which is not passed on), and never with reduced motion, NO_COLOR,
Textual's animations off, or on the scene the game opens on."""

from __future__ import annotations

import json

import pytest

from game.engine.loader import load_story
from game.engine.saves import SaveStore
from game.tui.app import MillionMilesApp
from game.tui.screens.cards import ChapterCard, LaunchSequence
from game.tui.screens.scene import SceneScreen

STORY = """\
format: 2
title: Countdown
start: pad
"""
SCENES = """\
chapter: The Pad
scenes:
  pad:
    title: The Pad
    text: The crew walks out.
    choices:
      - {text: Climb in, goto: launch_liftoff}
      - {text: Wait a day, goto: pad}
  launch_liftoff:
    chapter: The Flight
    title: Liftoff
    tags: [launch-sequence]
    text: The engines light.
    goto: orbit
  orbit:
    chapter: The Flight
    title: Orbit
    text: Quiet.
    choices:
      - {text: Look down, goto: orbit}
"""


@pytest.fixture
def moving(make_app):
    """An app with Textual's animations on (make_app turns them off for every other test)."""

    def make(**kwargs) -> MillionMilesApp:
        app = make_app(**kwargs)
        app.animation_level = "full"
        return app

    return make


@pytest.fixture
def lasting_cards(monkeypatch):
    """Cards that stay until a key or a click: a test that looks at one must not race its timer
    (1.8 s, which a busy machine can spend between two keys)."""
    import game.tui.screens.cards as cards

    monkeypatch.setattr(cards, "CARD_SECONDS", 600)


@pytest.fixture
def launch_app(make_story, private_home):
    story = load_story(make_story({"scenes.yaml": SCENES}, story=STORY))

    def make() -> MillionMilesApp:
        app = MillionMilesApp(story, SaveStore(private_home, story), opening="story")
        app.animation_level = "full"
        return app

    return make


def test_a_new_chapter_opens_with_its_title_card_which_closes_by_itself(
    moving, drive, screen_text, wait_until, monkeypatch
):
    import game.tui.screens.cards as cards

    monkeypatch.setattr(cards, "CARD_SECONDS", 0.5)
    app = moving()
    shown: list[str] = []  # what each card said, seen as the app handles its messages

    def hook(message) -> None:
        if app.screen_stack and isinstance(app.screen, ChapterCard) and app.screen.is_mounted:
            text = " ".join(str(w.render()) for w in app.screen.query("Static"))
            if not shown or shown[-1] != text:
                shown.append(text)

    async def scenario(pilot):
        await pilot.press("n")  # a new game: the first chapter's card
        await wait_until(pilot, lambda: isinstance(app.screen, SceneScreen), "the card to close by itself")
        assert any("Chapter 1" in t and "The Fields" in t for t in shown), shown
        monkeypatch.setattr(cards, "CARD_SECONDS", 30)  # the next one stays until it is looked at
        await pilot.press("1", "1", "1")  # ropes, continue, mail the first application: chapter 2
        assert isinstance(app.screen, ChapterCard)
        await wait_until(pilot, lambda: "Chapter 2" in screen_text(app), "the second chapter's card")
        assert "The Applications" in screen_text(app)

    drive(app, scenario, message_hook=hook)


def test_any_key_skips_a_card_and_is_not_taken_as_a_choice(moving, drive, lasting_cards):
    app = moving()

    async def scenario(pilot):
        await pilot.press("n")
        assert isinstance(app.screen, ChapterCard)
        await pilot.press("2")  # skips the card: does not watch the star
        assert isinstance(app.screen, SceneScreen) and app.session.game.path == []
        await pilot.press("2")
        assert app.session.game.path == [2]

    drive(app, scenario)


def test_a_click_skips_a_card(moving, drive, lasting_cards):
    app = moving()

    async def scenario(pilot):
        await pilot.press("n")
        await pilot.click(offset=(2, 2))
        assert isinstance(app.screen, SceneScreen)

    drive(app, scenario)


def test_moving_within_a_chapter_and_undo_show_no_card(moving, drive, lasting_cards):
    app = moving()

    async def scenario(pilot):
        await pilot.press("n", "escape")  # past the first card
        await pilot.press("1", "1", "2")
        assert isinstance(app.screen, SceneScreen)
        await pilot.press("1")  # into The Applications
        assert isinstance(app.screen, ChapterCard)
        await pilot.press("escape", "u")  # undo, back into The Fields: no card going back
        assert isinstance(app.screen, SceneScreen) and app.session.game.scene.id == "rows"

    drive(app, scenario)


def test_the_launch_plays_the_countdown_cutoff_and_monarch_then_shows_the_scene(
    launch_app, drive, screen_text, wait_until, monkeypatch
):
    import game.tui.screens.cards as cards

    # Quick, but each phase long enough to be seen between two looks on a busy machine.
    monkeypatch.setattr(cards, "COUNT_STEP", 0.3)
    monkeypatch.setattr(cards, "FRAME_STEP", 0.1)
    app = launch_app()
    seen: set[str] = set()

    def look() -> bool:
        text = screen_text(app)
        seen.update(word for word in ("T-minus", "LIFTOFF", "MAIN ENGINE CUTOFF", "(__/ \\__)") if word in text)
        return isinstance(app.screen, SceneScreen)

    async def scenario(pilot):
        assert isinstance(app.screen, SceneScreen)  # the first scene opens without a card
        await pilot.press("1")
        assert isinstance(app.screen, LaunchSequence)
        # The first frame: T-minus 10, the rocket on its pad (the countdown gives it 3.3 s: a
        # screenshot of a busy machine can take most of a second).
        await wait_until(pilot, lambda: look() or "T-minus" in seen, "the countdown's first frame")
        await wait_until(pilot, look, "the launch to end by itself", timeout=10)
        assert seen == {"T-minus", "LIFTOFF", "MAIN ENGINE CUTOFF", "(__/ \\__)"}
        assert "The engines light." in screen_text(app)

    drive(app, scenario, size=(80, 24))


def test_any_key_skips_the_launch(launch_app, drive, screen_text):
    app = launch_app()

    async def scenario(pilot):
        await pilot.press("1")
        assert isinstance(app.screen, LaunchSequence)
        await pilot.press("1")
        assert isinstance(app.screen, SceneScreen) and app.session.game.scene.id == "launch_liftoff"
        assert "The engines light." in screen_text(app)

    drive(app, scenario, size=(60, 20))


@pytest.mark.parametrize("why", ["reduced motion", "NO_COLOR", "animations off"])
def test_no_card_and_no_launch_when_motion_is_unwelcome(launch_app, drive, monkeypatch, store, why):
    app = launch_app()
    if why == "reduced motion":
        app.store.update_settings(reduced_motion=True)
    elif why == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        app.animation_level = "none"

    async def scenario(pilot):
        await pilot.press("1")  # the launch, and a new chapter
        assert isinstance(app.screen, SceneScreen)
        await pilot.press("1")
        assert app.session.game.scene.id == "orbit"

    drive(app, scenario)


def test_reduced_motion_is_a_setting_in_the_command_palette_remembered_for_next_time(moving, drive, store):
    app = moving()

    async def scenario(pilot):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert "Reduced motion: off" in titles
        app.action_reduce_motion()
        assert {c.title for c in app.get_system_commands(app.screen)} >= {"Reduced motion: on"}
        await pilot.press("n")
        assert isinstance(app.screen, SceneScreen)  # no card

    drive(app, scenario)
    assert json.loads(store.settings_path.read_text(encoding="utf-8"))["reduced_motion"] is True
    again = moving()

    async def check(pilot):
        assert again.reduced_motion
        await pilot.press("n", "y")  # a new game over the one in progress
        assert isinstance(again.screen, SceneScreen)

    drive(again, check)


def test_the_game_opens_on_its_first_scene_without_a_card(moving, drive):
    app = moving(opening="story")

    async def scenario(pilot):
        assert isinstance(app.screen, SceneScreen)

    drive(app, scenario)


def test_a_card_is_styled_as_it_opens_and_a_second_pass_would_change_nothing(moving, drive, lasting_cards, styles_of):
    """The cards skip the pass in which Textual styles a pushed screen again on its first showing
    (`StyledOnceWhenShown`): run by hand once the card is up, the pass changes no widget's styles."""
    app = moving()

    async def scenario(pilot):
        await pilot.press("n")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, ChapterCard)
        before = styles_of(card)
        assert len(before) >= 4 and any(rules for rules in before.values())
        app.stylesheet.update_nodes(list(card.walk_children(with_self=True)), animate=False)
        assert styles_of(card) == before

    drive(app, scenario)


def test_a_new_games_card_comes_over_its_first_scene_already_drawn(moving, drive, lasting_cards):
    """The card's translucent backdrop shows the scene under it: from the card's first frame on,
    that scene has its text (pushed before the scene was filled in, the card was drawn over an
    empty scene first, and everything drawn again a moment later)."""
    app = moving()
    seen: list[str] = []  # the scene's text under the card, at each message while the card is up

    def hook(message) -> None:
        stack = app.screen_stack
        if len(stack) > 2 and isinstance(stack[-1], ChapterCard) and isinstance(stack[-2], SceneScreen):
            texts = stack[-2].query("#text")
            seen.append(str(texts.first().render()) if texts else "")

    async def scenario(pilot):
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChapterCard)
        assert seen and all("Papá ties the mattress" in text for text in seen), seen[:3]

    drive(app, scenario, message_hook=hook)


def test_the_scene_answers_the_key_at_once_and_the_card_fades_in_over_it(
    moving, drive, lasting_cards, wait_until, monkeypatch
):
    """After `n` the first frame drawn is the new game's first scene; its chapter card comes over
    it once that frame is out, its backdrop fading in from transparent to the stylesheet's dimming."""
    from textual._compositor import Compositor

    app = moving()
    frames: list[tuple[str, float]] = []  # at each frame drawn after the key: the screen on top, its backdrop's alpha
    original = Compositor.render_update

    def render_update(self, *args, **kwargs):
        if app.screen_stack:
            frames.append((type(app.screen).__name__, app.screen.styles.background.a))
        return original(self, *args, **kwargs)

    async def scenario(pilot):
        await pilot.pause()
        monkeypatch.setattr(Compositor, "render_update", render_update)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ChapterCard), "the card")
        card = app.screen
        await wait_until(pilot, lambda: abs(card.styles.background.a - 0.85) < 0.01, "the backdrop to dim the scene")
        await pilot.pause()
        assert frames[0][0] == "SceneScreen", frames
        fading = [alpha for top, alpha in frames if top == "ChapterCard"]
        assert fading[0] < 0.5 and fading == sorted(fading), fading
        assert len(set(fading)) > 2, "the backdrop dims in steps"

    drive(app, scenario)
