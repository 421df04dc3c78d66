"""The game served to a real browser: `million-miles serve`, Debian's Chromium, Playwright.

A player's whole round: the page opens on the story, keys choose, the scene and the count
are read off the page, a reload continues where the player was, named saves work, the page
fetches nothing from the internet, several tabs play at once without losing anything, and
every page closed takes its game with it. What each test expects is worked out by the engine
from the saves on disk, so the page is checked against the game, not against itself.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from game.bundled import bundled_story_path
from game.engine.loader import load_story
from game.engine.model import Story
from game.engine.runtime import Game
from game.engine.saves import SaveInfo, SaveStore

TUI_STORY = Path(__file__).parents[1] / "tui" / "story"


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(bundled_story_path())


def autosaved(story: Story, save_dir: Path) -> Game:
    """The game in the autosave, read and loaded as Continue would (it must be whole)."""
    store = SaveStore(save_dir, story)
    entry = store.autosave_entry()
    assert isinstance(entry, SaveInfo), f"the autosave is not a whole save: {entry}"
    return store.load(entry).game


def on_screen(game: Game) -> list[str]:
    """What the page must show of `game`: the scene's title, the start of its text, its first
    choice and the application count (the compact line of a page under 90 columns)."""
    first_words = " ".join(game.paragraphs[0].split()[:4])
    count = game.state.variables["applications"]
    return [game.scene.title or "", first_words, f"1. {game.options[0].text}", f"NASA applications {count}"]


def no_temporary_files(save_dir: Path, story: Story) -> None:
    leftovers = [p.name for p in SaveStore(save_dir, story).folder.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], "a write was cut short"


def test_a_player_plays_reloads_and_continues_offline(shared_server, open_page, story):
    page = open_page(shared_server.url)
    page.wait_for("1-9 Choose")
    game = autosaved(story, shared_server.save_dir)  # a new game, or where an earlier test left it
    page.wait_for(*on_screen(game))

    page.press("1")
    game.choose(1)
    page.wait_for(*on_screen(game))
    assert autosaved(story, shared_server.save_dir).path == game.path, "the move was autosaved"

    page.page.reload()
    page.wait_for(*on_screen(game))  # the same game, where the player left it

    origin = shared_server.url + "/"
    elsewhere = [url for url in page.requests if not url.startswith(origin)]
    assert elsewhere == [], "the page fetched something from outside this machine"
    assert any(url.endswith(".ttf") for url in page.requests), "the page's font comes from the server"


def test_saving_and_loading_a_named_save_in_the_browser(serve, open_page, story):
    served = serve()
    page = open_page(served.url)
    game = Game(story)
    page.wait_for(*on_screen(game))
    page.press("1")
    game.choose(1)
    page.wait_for(*on_screen(game))

    page.press("s")
    page.wait_for("Save the game")
    page.type("Road trip")  # replaces the suggested name, which is selected
    page.press("Enter")
    page.wait_for("Saved as 'Road trip'.")
    [slot] = SaveStore(served.save_dir, story).slots()
    assert isinstance(slot, SaveInfo) and slot.name == "Road trip" and slot.data["path"] == [1]

    page.press("1")  # play on past the save, then load it
    game.choose(1)
    page.wait_for(*on_screen(game))
    page.press("l")
    page.wait_for("Load a game", "Road trip")
    page.press("ArrowDown", "Enter")  # the autosave is listed first; the named save under it
    page.wait_for("Loaded 'Road trip'.")
    saved = Game.resume(story, Game(story).initial, [1])
    page.wait_for(*on_screen(saved))

    page.page.reload()  # Continue resumes the loaded game
    page.wait_for(*on_screen(saved))
    assert autosaved(story, served.save_dir).path == [1]
    no_temporary_files(served.save_dir, story)


def test_two_tabs_at_once_lose_nothing(serve, open_page, story):
    """Two tabs are two games writing one autosave: the last move of either is what Continue
    resumes, every named save of either is kept, and every file stays whole."""
    served = serve()
    first, second = open_page(served.url), open_page(served.url)
    for page in (first, second):
        page.wait_for(*on_screen(Game(story)))
    served.wait_for_games(2)
    a, b = Game(story), Game(story)

    first.press("1")
    a.choose(1)
    first.wait_for(*on_screen(a))
    second.press("2")
    b.choose(2)
    second.wait_for(*on_screen(b))
    assert autosaved(story, served.save_dir).path == b.path  # the last move, made in the second tab

    for page, name in ((first, "Tab A"), (second, "Tab B")):
        page.press("s")
        page.wait_for("Save the game")
        page.type(name)
        page.press("Enter")
        page.wait_for(f"Saved as '{name}'.")
    first.press("1")
    a.choose(1)
    first.wait_for(*on_screen(a))
    assert autosaved(story, served.save_dir).path == a.path  # now the first tab's move is the last

    store = SaveStore(served.save_dir, story)
    slots = {entry.name: entry for entry in store.slots()}
    assert sorted(slots) == ["Tab A", "Tab B"]
    assert [store.load(slots[n].path).game.path for n in ("Tab A", "Tab B")] == [[1], [2]]
    no_temporary_files(served.save_dir, story)

    third = open_page(served.url)  # a new tab continues the last move made, in either tab
    third.wait_for(*on_screen(a))


def test_closing_the_tab_in_the_middle_of_a_move_loses_nothing(serve, open_page, story):
    """Each round presses a key and closes the tab at once, while the game is choosing and
    autosaving: the autosave is whole and loads, holds the game before or after that move,
    and the next tab opens on it; no game is left running."""
    served = serve()
    for round_ in range(4):
        page = open_page(served.url)
        page.wait_for("1-9 Choose")
        before = autosaved(story, served.save_dir)
        page.wait_for(*on_screen(before))
        page.press("1")
        page.close()
        served.wait_for_games(0)
        after = autosaved(story, served.save_dir)
        assert after.path in (before.path, [*before.path, 1]), f"round {round_}"
        no_temporary_files(served.save_dir, story)
    page = open_page(served.url)
    page.wait_for(*on_screen(autosaved(story, served.save_dir)))


def test_twenty_pages_opened_and_closed_leave_no_process_behind(shared_server, open_page):
    """Every other page is closed as soon as it is connected, while its game is still starting;
    the others once the game is drawn. Each had a game of its own, and none is left, not even
    unreaped."""
    seen: set[int] = set()
    started = time.monotonic()
    for round_ in range(20):
        page = open_page(shared_server.url)
        if round_ % 2:
            page.page.wait_for_selector(".textual-terminal.-connected", timeout=15_000)
        else:
            page.wait_for("1-9 Choose")
        deadline = time.monotonic() + 10
        while not (new := set(shared_server.games()) - seen):  # this page's game (earlier ones may still be stopping)
            assert time.monotonic() < deadline, f"page {round_} has no game"
            time.sleep(0.02)
        seen |= new
        page.close()
    shared_server.wait_for_games(0)
    assert len(seen) == 20, "each page had a game of its own"
    assert not [pid for pid in seen if Path(f"/proc/{pid}").exists()], "a game was left behind (or unreaped)"
    print(f"20 pages opened and closed in {time.monotonic() - started:.1f} s; games left: {len(shared_server.games())}")


def test_quitting_in_the_page_ends_the_session_and_its_game(serve, open_page):
    served = serve()
    page = open_page(served.url)
    page.wait_for("1-9 Choose")
    [game] = served.wait_for_games(1)
    page.press("q")
    page.page.wait_for_function("() => document.body.classList.contains('-closed')", timeout=15_000)
    assert "Session ended" in page.page.inner_text("body")
    served.wait_for_games(0)
    assert not Path(f"/proc/{game}").exists()


def test_serve_watch_shows_an_edit_in_the_open_tab(serve, open_page, tmp_path):
    root = tmp_path / "live-story"
    shutil.copytree(TUI_STORY, root)
    served = serve(str(root), "--watch")
    page = open_page(served.url)
    page.wait_for("First Light", "morning star is still burning")
    path = root / "1_fields.yaml"
    text = path.read_text(encoding="utf-8")
    before = path.stat().st_mtime_ns
    path.write_text(text.replace("morning star is still burning", "morning star has gone out"), encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))  # a later time, as an editor's save
    page.wait_for("morning star has gone out")


def test_a_story_broken_when_a_tab_opens_ends_that_session_and_says_why(serve, open_page, tmp_path):
    """Without --watch each tab loads the story as it is on disk when it opens. Broken then,
    the page says the session ended and the server's output names the error."""
    root = tmp_path / "story"
    shutil.copytree(TUI_STORY, root)
    served = serve(str(root))
    (root / "1_fields.yaml").write_text("scenes: [not, a, mapping\n", encoding="utf-8")
    page = open_page(served.url)
    page.page.wait_for_function("() => document.body.classList.contains('-closed')", timeout=15_000)
    served.wait_for_games(0)
    deadline = time.monotonic() + 10
    while "1_fields.yaml" not in served.out.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "1_fields.yaml:" in served.out.read_text() and "error" in served.out.read_text()


def test_a_screenshot_of_the_game_in_the_browser(shared_server, open_page, tmp_path):
    """The page draws the game (not a blank or an error page). With MILLION_MILES_SCREENSHOT=PATH
    the picture is kept there: it is how the README's was taken."""
    page = open_page(shared_server.url, width=1200, height=720)
    page.wait_for("Your story so far", "1-9 Choose")
    page.page.evaluate("() => document.fonts.ready")
    target = Path(os.environ.get("MILLION_MILES_SCREENSHOT") or tmp_path / "game.png")
    png = page.page.screenshot(path=str(target))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000, "the page drew next to nothing"
