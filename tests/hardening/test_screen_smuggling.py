"""Story text (and save files) cannot smuggle terminal escapes or Textual markup onto the screen.

The story format has no markup, so everything a story says is shown literally: an
escape sequence is removed whole, `[bold red]`, `[@click=app.quit]` and `[link=…]`
appear as typed, never as style, link or action. The hostile story puts such text
in every place a story reaches the screen: the title, chapter names, scene titles,
paragraphs, choices, ending titles and descriptions, variable labels, and a string
variable's value interpolated into text. Save files can come from strangers too,
so their names and contents get the same treatment.

"What reaches the terminal" is read through Textual's public API: the screen's text
(from `App.export_screenshot()`, the frame Textual composes for the terminal) must
hold no control character, and no cell of any screen on the stack may carry a link
or a click action in its style (`Screen.get_style_at`, what a mouse finds there).
"""

from __future__ import annotations

import io
import json
import re

from game.engine.runtime import Game
from game.engine.saves import SaveStore
from game.plain import run_plain

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

# What the hostile story's text looks like once its escape sequences are removed (the space
# before a removed sequence stays).
TITLE = "Evil Title [bold red]X[/] [@click=app.quit]Q[/]"
CHAPTER = "Chapter [bold]One[/bold] "
GATE = "[@click=app.quit]Gate[/] "
HALL = "Hall [link=https://evil.example]link[/link]"
GREETING = "Hello [@click=app.quit]Quit[/] x, the sign says"
CHOICE = "Click [@click=app.quit]here[/] "
ALIAS_LATER = "You are [@click=app.quit]Quit[/] x [i]more[/i]."
SCORE = "[link=https://evil.example]Score[/link]"
ALIAS_LABEL = "Alias [b]tag[/b]"
ENDING = "[@click=app.quit]Bad End[/] "
ENDING_TEXT = "[link=https://evil.example]Gone[/link]"
SAVE_NAME = "[@click=app.quit]Mine[/] [link=x]y[/]"  # short enough for one line of a notification


def assert_inert(tui, app, where: str) -> str:
    """Nothing on screen is a control character, a link or a click action; return the screen text."""
    text = tui.text(app)
    for line in text.splitlines():
        assert not CONTROL.search(line), f"{where}: control character in {line!r}"
    for style in tui.styles(app):
        assert not style.link, f"{where}: a link reached the screen: {style.link!r}"
        assert "@click" not in (style.meta or {}), f"{where}: a click action reached the screen"
    return text


def test_hostile_story_text_is_literal_on_every_screen(tui, hostile_story, home):
    from game.tui.screens.ending import EndingScreen
    from game.tui.screens.scene import SceneScreen

    store = SaveStore(home, hostile_story)
    app = tui.app(hostile_story, store)

    async def scenario(pilot):
        assert TITLE in assert_inert(tui, app, "title screen")
        await pilot.press("n")
        text = assert_inert(tui, app, "first scene")
        for shown in (CHAPTER, GATE, GREETING, "[red]STOP[/red]", CHOICE, ALIAS_LABEL):
            assert shown in text, shown
        # the label is wider than the side panel, so it wraps there: read it from its widget
        assert str(app.screen.query_one(".counter-label").render()) == SCORE

        # A click on the text that says [@click=app.quit] does nothing (the heading and the choice).
        await pilot.click("#where")
        await pilot.click("#text", offset=(8, 0))
        await pilot.pause()
        assert app.return_code is None and isinstance(app.screen, SceneScreen)

        await pilot.press("1")
        text = assert_inert(tui, app, "second scene")
        assert HALL in text and ALIAS_LATER in text

        await pilot.press("s")  # the save dialog suggests the scene title, literally
        assert app.screen.query_one("#save-name").value == HALL
        app.screen.query_one("#save-name").value = SAVE_NAME
        await pilot.press("enter")
        assert store.find(SAVE_NAME) is not None
        await tui.wait_for(pilot, f"Saved as '{SAVE_NAME}'.")
        assert_inert(tui, app, "notification after saving")

        await pilot.press("l")  # the load dialog lists the save: its name, chapter, scene, counter
        text = assert_inert(tui, app, "load dialog")
        assert SAVE_NAME in text  # the summary under it wraps in the dialog: its parts, then
        assert f"{CHAPTER} · Hall" in text and "[link=https://evil.example]link[/link] ·" in text
        assert f"{SCORE} 1" in text
        await pilot.press("escape", "j")
        text = assert_inert(tui, app, "journal")
        for shown in (CHAPTER.upper(), GATE, GREETING, f"→ {CHOICE}", HALL, ALIAS_LATER):
            assert shown in text, shown

        await pilot.press("escape", "1")
        assert isinstance(app.screen, EndingScreen)
        text = assert_inert(tui, app, "ending")
        assert ENDING in text and ENDING_TEXT in text and "[blink]The end[/blink]." in text
        await pilot.click("#ending-title")
        await pilot.pause()
        assert app.return_code is None

        await pilot.press("e")
        text = assert_inert(tui, app, "endings gallery")
        assert f"★ {ENDING}" in text and ENDING_TEXT in text
        await pilot.press("escape", "t")
        await pilot.pause()  # the title screen lays itself out again on its first frame back
        text = assert_inert(tui, app, "title screen with a game to continue")
        assert f"Continue: {CHAPTER} · Door  ·" in text and f"{SCORE} 1" in text  # on two lines

    tui.drive(app, scenario, size=(120, 40))


def test_the_compact_line_and_narrow_screens_are_literal_too(tui, hostile_story, home):
    app = tui.app(hostile_story, SaveStore(home, hostile_story))

    async def scenario(pilot):
        await pilot.press("n")
        await tui.wait_for(pilot, f"{SCORE} 0")  # the compact line, once the layout is narrow
        assert GATE in assert_inert(tui, app, "narrow scene")

    tui.drive(app, scenario, size=(70, 24))


def hostile_save(store: SaveStore, story, file: str, **changes: object) -> None:
    data = {**store.snapshot(Game(story), "x"), **changes}
    store.folder.mkdir(parents=True, exist_ok=True)
    (store.folder / file).write_text(json.dumps(data), encoding="utf-8")


def test_save_files_from_strangers_cannot_reach_the_terminal(tui, hostile_story, home):
    """Names, places and reasons read from save files are shown cleaned, in the list and in messages."""
    store = SaveStore(home, hostile_story)
    game = Game(hostile_story)
    hostile_save(
        store,
        hostile_story,
        "save-a.json",
        name="\x1b]0;pwned\x07Trap [@click=app.quit]A[/]",
        where={"title": "\x1b[2JRoom", "chapter": "[link=https://evil.example]C[/link]"},
    )
    lost = {**game.state.to_json(), "scene": "gone\x1b[6n"}
    hostile_save(store, hostile_story, "save-b.json", name="Lost \x1b[31mB", state=lost, path=[])
    (store.folder / "save-\x1b[2Jc.json").write_text("{ damaged", encoding="utf-8")
    app = tui.app(hostile_story, store)

    async def scenario(pilot):
        from textual.widgets import OptionList

        await pilot.press("l")
        text = assert_inert(tui, app, "load dialog with hostile files")
        assert "Trap [@click=app.quit]A[/]" in text and "[link=https://evil.example]C[/link] · Room" in text
        assert "Damaged: save-c.json" in text
        slots = app.screen.query_one("#slots", OptionList)
        names = [e.name for e in app.screen.entries]
        lost_at, trap_at = names.index("Lost \x1b[31mB"), names.index(names[0])
        slots.highlighted = slots.get_option_index(f"slot-{lost_at}")
        await pilot.press("enter")  # its scene does not exist: refused, and the message is clean
        await tui.wait_for(pilot, "Cannot load 'Lost B'")
        assert "('gone')" in assert_inert(tui, app, "refused load")
        slots.highlighted = slots.get_option_index(f"slot-{trap_at}")
        await pilot.press("enter")
        await tui.wait_for(pilot, "Loaded 'Trap [@click=app.quit]A[/]'.")
        assert_inert(tui, app, "loaded a hostile save")

    tui.drive(app, scenario, size=(120, 40))


def test_plain_mode_prints_hostile_text_literally_without_escapes(hostile_story, home):
    store = SaveStore(home, hostile_story)
    lines = ["1", "status", f"save {SAVE_NAME}\x1b[2J", "journal", "1", "endings", "menu", "4", "", "q"]
    out = io.StringIO()
    assert run_plain(hostile_story, store, io.StringIO("".join(f"{line}\n" for line in lines)), out) == 0
    text = out.getvalue()
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    for shown in (
        TITLE,
        f"== {CHAPTER} · {GATE} ==",
        GREETING,
        f"1. {CHOICE}",
        f"{SCORE}: 0 · {ALIAS_LABEL}:",
        f"== {CHAPTER} · {HALL} ==",
        ALIAS_LATER,
        f"Saved as '{SAVE_NAME}'.",
        f"-> {CHOICE}",
        f"THE END: {ENDING}",
        ENDING_TEXT,
        f"* {ENDING}: {ENDING_TEXT}",
        f"{SAVE_NAME}: {CHAPTER} · {HALL}",
    ):
        assert shown in text, shown
