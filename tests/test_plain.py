"""Plain mode (`million-miles play --plain`), driven through standard input in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.runtime import Game
from game.engine.saves import SaveStore, story_folder

FIXTURE = Path(__file__).parent / "tui" / "story"

FOLDER = story_folder("Fixture Orbit")


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MILLION_MILES_HOME", str(home))
    return home


def play(lines: list[str], home: Path, *extra: str, story: Path = FIXTURE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MILLION_MILES_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", str(story), *extra],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_it_opens_straight_on_a_new_game_and_prints_scenes_and_numbered_choices(private_home):
    result = play(["1", "1"], private_home)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("Fixture Orbit\nType the number of a choice, or help for the commands")
    assert "1. New game" not in out  # no menu first: the story, as the full-screen player opens
    assert "== The Fields · First Light ==" in out
    assert "Papá ties the mattress onto the truck before the roosters wake." in out
    assert "NASA applications: 0 · Grit: 1 · Letters: 0" in out
    assert "1. Help papá pull the ropes tight\n2. Watch the star until the sky takes it" in out
    assert "(Grit 1 → 2)" in out
    assert "== The Fields · The Road North ==" in out and "1. Continue" in out
    assert out.count("NASA applications: 0 · Grit") == 1  # the values again only when one changes
    assert result.stderr == ""


def test_the_values_are_printed_when_one_changes_and_on_status(private_home):
    out = play(["2", "1", "status", "1"], private_home).stdout
    assert out.count("NASA applications: 0 · Grit: 1 · Letters: 0") == 2  # at the start, then on status
    assert "(NASA applications 0 → 1)" in out  # the application mailed
    assert "(Grit" not in out


def test_end_of_input_quits_cleanly_and_autosaves(private_home):
    result = play(["2", "1"], private_home)
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith("Goodbye.")
    assert "Your game is saved" in result.stdout
    auto = json.loads((private_home / FOLDER / "autosave.json").read_text(encoding="utf-8"))
    assert auto["path"] == [2, 1] and auto["state"]["scene"] == "rows"


def test_the_next_run_opens_where_the_last_one_stopped(private_home):
    play(["2", "1"], private_home)
    result = play([], private_home)
    out = result.stdout
    assert out.count("== The Fields · The Rows ==") == 1
    assert "1. Mail your first application to NASA" in out
    assert "1. New game" not in out


def test_menu_leads_to_the_title_menu_and_continue_back_to_the_game(private_home):
    out = play(["2", "1", "menu", "2"], private_home).stdout
    assert "2. Continue (The Fields · The Rows · NASA applications 0," in out
    assert "3. Chapters" in out and "6. About" in out and "7. Quit" in out
    assert out.count("== The Fields · The Rows ==") == 2


def test_undo_journal_status_look_and_help_as_typed_words(private_home):
    out = play(["2", "1", "journal", "undo", "u", "status", "look", "help", "back"], private_home).stdout
    journal = out[out.index("Journal\n-------") :]
    assert "-> Watch the star until the sky takes it" in journal
    assert "-> Continue" in journal and "(you are here)" in journal
    assert out.count("(undone)") == 2
    assert "NASA applications: 0 · Grit: 1 · Letters: 0" in out.split("(undone)")[-1]
    assert "undo (u)" in out and "journal (j)" in out and "quit (q)" in out and "skip (f)" in out
    assert "Nothing to undo: this is where the game started." in out


def test_save_then_load_by_name_and_by_number(private_home):
    out = play(["1", "save Road trip", "1", "load Road trip", "save", "", "y", "load", "2"], private_home).stdout
    assert "Saved as 'Road trip'." in out
    assert "Loaded 'Road trip'." in out
    after_load = out.split("Loaded 'Road trip'.")[1]
    assert "== The Fields · The Road North ==" in after_load
    assert "Name for this save (Enter for 'The Road North'): " in out
    assert "Saved as 'The Road North'." in out
    assert "Saved games:\n 1. Autosave: The Fields · The Road North" in out
    store = SaveStore(private_home, load_story(FIXTURE))
    assert {e.name for e in store.slots()} == {"Road trip", "The Road North"}


def test_replacing_a_save_asks_first(private_home):
    out = play(["save Mine", "1", "save mine", "n", "save mine", "y"], private_home).stdout
    assert out.count("Replace the save 'Mine'? (y/n)") == 2
    assert "Not saved." in out
    store = SaveStore(private_home, load_story(FIXTURE))
    assert store.find("Mine").scene == "road"


def test_saves_are_shared_with_the_full_screen_player(private_home):
    story = load_story(FIXTURE)
    game = Game(story)
    for move in (2, 1, 2):
        game.choose(move)
    SaveStore(private_home, story).save(game, "From the app")
    out = play(["menu", "4", "From the app", "journal"], private_home).stdout
    assert "Loaded 'From the app'." in out
    assert "-> Write a letter home" in out  # the history came with the save


def test_damaged_saves_are_listed_not_loaded_and_left_alone(private_home):
    folder = private_home / FOLDER
    folder.mkdir(parents=True)
    (folder / "save-bad.json").write_text('{"format": "million-miles-save", "ver', encoding="utf-8")
    out = play(["load", "2"], private_home).stdout
    assert "== The Fields · First Light ==" in out  # a new game: the damaged file is no game in progress
    assert "Saved games:\n 1. Autosave: The Fields · First Light" in out
    assert "   damaged: save-bad.json (the file is truncated)" in out
    assert "There is no save '2'." in out
    assert (folder / "save-bad.json").read_text(encoding="utf-8") == '{"format": "million-miles-save", "ver'


def test_reaching_an_ending_records_it_for_the_gallery(private_home):
    out = play(["1", "1", "3", "endings", "menu", "5"], private_home).stdout
    assert "THE END: Home" in out
    assert "Endings found: 1 of 3." in out
    assert "  * Home: You stay in the valley, and it is a good life." in out
    assert out.count("  - (locked) Not reached yet.") >= 2


def test_wrong_input_is_explained(private_home):
    out = play(["menu", "9", "1", "y", "7", "dance", "quit"], private_home).stdout
    assert "Type a number from 1 to 7." in out
    assert "There is no choice 7: choose 1 to 2." in out
    assert "'dance' is not a choice or a command. Type help for the list." in out


def test_story_text_cannot_smuggle_escape_sequences_or_markup(private_home):
    out = play(["1", "1"], private_home).stdout
    assert "\x1b" not in out and "\x07" not in out and "pwned" not in out
    assert "The radio crackles and hums." in out
    assert 'A crate sign reads "[bold red]FRAGILE[/]"' in out


def test_plain_mode_never_imports_textual(private_home):
    code = (
        "import sys\n"
        "from game.cli import main\n"
        f"rc = main(['play', '--plain', {str(FIXTURE)!r}])\n"
        "print('LOADED' if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 'CLEAN',"
        " file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input="1\nq\n",
        capture_output=True,
        text=True,
        env={**os.environ, "MILLION_MILES_HOME": str(private_home)},
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stderr.strip() == "CLEAN"


def test_piped_input_picks_plain_mode_without_the_flag(private_home):
    env = {**os.environ, "MILLION_MILES_HOME": str(private_home), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "game", "play", str(FIXTURE)],
        input="quit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0
    assert "== The Fields · First Light ==" in result.stdout and "Goodbye." in result.stdout


def test_save_dir_option_overrides_the_environment(private_home, tmp_path):
    other = tmp_path / "elsewhere"
    play([], private_home, "--save-dir", str(other))
    assert (other / FOLDER / "autosave.json").is_file()
    assert not (private_home / FOLDER).exists()


def test_a_broken_story_is_reported_without_a_traceback(private_home, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "story.yaml").write_text("title: X\nstart: nowhere\n", encoding="utf-8")
    result = play(["1"], private_home, story=broken)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr


def test_a_new_game_over_a_game_in_progress_asks_first(private_home):
    play(["1", "1"], private_home)
    out = play(["menu", "1", "n", "2", "quit"], private_home).stdout
    assert (
        "Start a new game? The game in progress will no longer be the one Continue resumes (save it first to keep it). (y/n)"
        in out
    )
    assert out.count("== The Fields · The Rows ==") == 2  # "n" kept it; Continue resumed it
    out = play(["menu", "1", "y"], private_home).stdout
    assert "== The Fields · First Light ==" in out


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("²", "'²' is not a choice or a command."),
        ("①", "'①' is not a choice or a command."),
        ("9" * 4000, "There is no choice 999999999…: choose 1 to 2."),
        ("x" * 10_000, "That line is longer than 4,096 characters: it was set aside."),
    ],
    ids=["superscript", "circled", "4000-digits", "10000-characters"],
)
def test_strange_input_gets_a_clear_answer(private_home, typed, said):
    done = play([typed, "quit"], private_home)
    assert done.returncode == 0, done.stderr
    assert said in done.stdout
    assert "Traceback" not in done.stderr


def test_input_that_never_ends_a_line_stops_the_game_saved(private_home):
    """`play --plain < /dev/zero`: memory must not grow without bound, and the game is saved."""
    env = {**os.environ, "MILLION_MILES_HOME": str(private_home), "PYTHONIOENCODING": "utf-8"}
    with open("/dev/zero", "rb") as zeros:
        done = subprocess.run(
            [sys.executable, "-m", "game", "play", "--plain", str(FIXTURE)],
            stdin=zeros,
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
        )
    assert done.returncode == 0, done.stderr
    assert "no end of line" in done.stdout and "Goodbye." in done.stdout


# --------------------------------------------------------------------------- second edition: replay, help, about


def test_a_value_is_explained_the_first_time_a_choice_changes_it_and_never_again(private_home):
    out = play(["1"], private_home).stdout
    assert "(Grit 1 → 2)\nGrit: How hard you hold on when the work is hard.\n" in out
    again = play(["menu", "1", "y", "1"], private_home).stdout
    assert "(Grit 1 → 2)" in again and "How hard you hold on" not in again


def test_help_says_what_each_value_means(private_home):
    out = play(["help"], private_home).stdout
    assert "The values:\n  Grit: How hard you hold on when the work is hard." in out


def test_skip_passes_scenes_read_in_an_earlier_game_and_stops_at_a_choice(private_home):
    play(["2", "1"], private_home)  # the road read, on to the rows
    out = play(["menu", "1", "y", "2", "skip", "skip"], private_home).stdout
    after = out[out.index("Skipped") :]
    assert after.startswith("Skipped 1 scene you had already read.")
    assert "== The Fields · The Rows ==" in after
    assert "Nothing to skip here" in after  # the rows offer choices: skipping stops there


def test_the_journal_is_numbered_and_rewind_goes_back_to_an_entry(private_home):
    out = play(["1", "1", "2", "journal", "rewind 2", "y", "status"], private_home).stdout
    assert "1. == The Fields · First Light ==" in out and "3. == The Fields · The Rows ==" in out
    assert "To go back to an entry, type rewind and its number." in out
    assert "Go back to 'The Road North'? The 2 choices made since will be undone. (y/n)" in out
    after = out[out.index("Back to 'The Road North'.") :]
    assert "== The Fields · The Road North ==" in after
    assert "NASA applications: 0 · Grit: 2 · Letters: 0" in after  # the letter written after it, undone


def test_rewind_asks_first_and_no_keeps_the_game(private_home):
    out = play(["1", "1", "rewind 1", "n", "rewind", "rewind 9"], private_home).stdout
    assert "Nothing was undone." in out
    assert out.count("Type rewind and the number of an earlier entry of the journal (1 to 2).") == 2


def test_a_long_journal_comes_a_page_at_a_time(private_home, tmp_path):
    root = tmp_path / "loop"
    root.mkdir()
    (root / "story.yaml").write_text("title: Loop\nstart: a\n", encoding="utf-8")
    (root / "scenes.yaml").write_text(
        "scenes:\n  a:\n    title: Round\n    text: Again.\n    choices:\n      - {text: Once more, goto: a}\n",
        encoding="utf-8",
    )
    out = play(["1"] * 45 + ["journal", "", "q"], private_home, story=root).stdout
    journal = out[out.index("Journal\n-------") :]
    assert "-- 20 of 46 entries: Enter for 20 more, q to stop --" in journal
    assert "-- 40 of 46 entries: Enter for 6 more, q to stop --" in journal
    assert "40. == Round ==" in journal and "41. == Round ==" not in journal  # q stopped it


def test_chapters_reached_can_be_played_again_from_their_start(private_home):
    play(["1", "1", "1"], private_home)  # into The Applications, grit 2, one application
    out = play(["chapters", "2", "y", "status"], private_home).stdout
    assert "Chapters:\n 1. The Fields\n 2. The Applications\n" in out
    assert "Play from the start of this chapter?" in out
    after = out[out.index("Playing from the start of 'The Applications'.") :]
    assert "== The Applications · The Desk ==" in after
    assert "NASA applications: 1 · Grit: 2 · Letters: 0" in after


def test_chapters_not_reached_are_locked_and_nameless(private_home):
    out = play(["1", "menu", "3", ""], private_home).stdout  # a first move: the first chapter is reached
    assert "Chapters:\n 1. The Fields\n   - (locked) Not reached yet.\n" in out
    assert "The Applications" not in out.split("Chapters:")[1].split("Play from which")[0]


def test_hints_for_the_endings_not_reached_only_when_asked(private_home):
    out = play(["endings", "hints"], private_home).stdout
    listing, hints = out.split("Type hints for a hint about each ending not reached yet.")
    assert "Keep applying" not in listing
    assert "  - (locked) Hint: Keep applying, and hold on." in hints
    assert "  - (locked) Hint: No hint for this one: keep exploring." in hints
    assert "  - (locked) Hint: Not every road leads north." in hints


def test_about_names_the_story_and_the_engine(private_home):
    out = play(["about", "menu", "6"], private_home).stdout
    assert out.count("About Fixture Orbit") == 2
    assert "million-miles" in out and "MIT" in out


def test_a_scene_that_asks_for_a_text_takes_the_line_typed_as_the_answer(private_home, tmp_path):
    root = tmp_path / "names"
    root.mkdir()
    (root / "story.yaml").write_text(
        'format: 2\ntitle: Names\nstart: ask\nvariables:\n  name: {default: "Ana", label: Name}\n', encoding="utf-8"
    )
    (root / "scenes.yaml").write_text(
        "scenes:\n"
        "  ask:\n    input: {variable: name, prompt: What is your name?, max: 8, default: Ana}\n"
        "    text: The form has one box.\n    goto: room\n"
        '  room:\n    title: "{name}\'s room"\n    text: "Hi, {name}."\n'
        "    choices:\n      - {text: Stay, goto: room}\n",
        encoding="utf-8",
    )
    out = play(["undo", "/undo", "Marta", "/undo", "", "journal"], private_home, story=root).stdout
    assert "What is your name? (Type your answer. Enter alone: Ana; a command starts with /, as /undo.)" in out
    assert "1. Continue" not in out
    assert "== undo's room ==" in out  # "undo" typed at the question is a name...
    assert out.count("(undone)") == 2  # ...and "/undo" the command, at the question or not
    assert "== Marta's room ==" in out and "Hi, Marta." in out
    assert "== Ana's room ==" in out  # Enter alone: the default
