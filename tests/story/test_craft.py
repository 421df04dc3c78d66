"""The bundled story's craft promises (issue 17): every choice answered, no template lines,
numbers in words, one spelling, fiction said plainly, the Columbia crew named.

These read the story as a player meets it: through the runtime, along the scripted
playthroughs and many random games.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from game.bundled import bundled_story_path
from game.engine.loader import load_story
from game.engine.model import Choice, Scene, Story
from game.engine.runtime import Game
from game.engine.text import Show, Template
from game.testing.playthrough import Choose, read_playthrough
from game.testing.runner import matching_options

PLAYTHROUGHS = sorted((bundled_story_path() / "playthroughs").glob("*.playthrough.yaml"))
#: `reply == 'key'`, the only form of condition the story uses to answer a choice.
REPLY = re.compile(r"reply == '(\w+)'")


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(bundled_story_path())


def reply_key(choice: Choice) -> str | None:
    """The key a choice sets `reply` to, or None if it leaves it alone."""
    for assignment in choice.sets:
        if assignment.variable == "reply":
            return assignment.value.source.strip("'\"")
    return None


def reply_paragraphs(scene: Scene) -> set[str]:
    return {m.group(1) for p in scene.paragraphs if p.condition and (m := REPLY.fullmatch(p.condition.source))}


def games(story: Story, runs: int = 300, seed: int = 11):
    """Random games, played to their end; yields each finished Game."""
    rng = random.Random(seed)
    for _ in range(runs):
        game = Game(story)
        while not game.is_over:
            game.choose(rng.randrange(len(game.options)) + 1)
        yield game


def scripted(story: Story, path: Path) -> Game:
    playthrough, problems = read_playthrough(path)
    assert playthrough is not None and not problems
    game = Game(story)
    for step in playthrough.steps:
        if isinstance(step, Choose):
            target = step.target
            number = target if isinstance(target, int) else matching_options(game.options, target)[0].number
            game.choose(number)
    return game


def test_every_choice_is_answered_by_what_it_leads_to(story):
    """A choice among several leads to a scene only it leads to, or to one that opens with its answer."""
    incoming: Counter[str] = Counter()
    for scene in story.scenes.values():
        for choice in scene.choices or ():
            incoming.update(b.scene for b in choice.goto)
        incoming.update(b.scene for b in scene.goto or ())
    unanswered = []
    for scene in story.scenes.values():
        if not scene.choices or len(scene.choices) < 2:
            continue
        for choice in scene.choices:
            key = reply_key(choice)
            for branch in choice.goto:
                target = story.scenes[branch.scene]
                if incoming[target.id] != 1 and key not in reply_paragraphs(target):
                    unanswered.append(f"{scene.id}: {choice.text.source!r} -> {target.id}")
    assert unanswered == []


def test_each_reply_key_is_set_by_one_choice_and_answered_in_one_scene(story):
    set_by: Counter[str] = Counter()
    for scene in story.scenes.values():
        for choice in scene.choices or ():
            key = reply_key(choice)
            if key:  # '' only clears it
                set_by[key] += 1
    answered: Counter[str] = Counter(k for scene in story.scenes.values() for k in reply_paragraphs(scene))
    assert set(set_by) == set(answered)
    assert [k for k, n in set_by.items() if n > 1] == []
    assert [k for k, n in answered.items() if n > 1] == []


def test_an_answer_is_shown_only_right_after_its_choice(story):
    """`reply` outlives the scene it answers; no answer may surface later, out of place."""
    for game in games(story):
        entries = list(game.journal())
        for before, entry in zip(entries, entries[1:], strict=False):
            chosen = [c for c in before.scene.choices or () if c.text.render(game.variables) == before.chosen]
            keys = {reply_key(c) for c in chosen}
            for paragraph in entry.scene.paragraphs:
                match = paragraph.condition and REPLY.fullmatch(paragraph.condition.source)
                if match and paragraph.template.render({}) in " ".join(entry.paragraphs):
                    assert match.group(1) in keys, (before.scene.id, entry.scene.id, match.group(1))


SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+")


def repeated_sentences(game: Game) -> list[tuple[str, int]]:
    seen: Counter[str] = Counter()
    for entry in game.journal():
        for paragraph in entry.paragraphs:
            seen.update(s.strip() for s in SENTENCE_END.split(paragraph) if len(s.split()) >= 3)
    return [(s, n) for s, n in seen.items() if n >= 3]


@pytest.mark.parametrize("path", PLAYTHROUGHS, ids=lambda p: p.name.split(".")[0])
def test_no_sentence_comes_three_times_on_a_scripted_path(story, path):
    assert repeated_sentences(scripted(story, path)) == []


def test_no_sentence_comes_three_times_in_random_games(story):
    for game in games(story, runs=200, seed=5):
        assert repeated_sentences(game) == []


#: Digits prose may show: names (RX-7, T-38, STS-128, the '63 Impala), years and dates.
ALLOWED_DIGITS = re.compile(r"RX-7|T-38|STS-\d{3}|'63|\b(?:19|20)\d\d\b|(?:February 1|August 28),")


def readable(template: Template) -> str:
    """What a player can read of a text: its words, every alternative's included, without the
    conditions that choose them; a value shown from the state stays a `{placeholder}`."""
    if not template.pieces:
        return template.source

    def words(pieces) -> str:
        out = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
            elif isinstance(piece, Show):
                out.append("{" + piece.expression.source + "}")
            else:
                out.append(" / ".join(words(arm.pieces) for arm in piece.arms))
        return "".join(out)

    return words(template.pieces)


def prose(story: Story):
    for scene in story.scenes.values():
        if scene.heading is not None:
            yield scene.id, readable(scene.heading)
        for paragraph in scene.paragraphs:
            yield scene.id, readable(paragraph.template)
        for choice in scene.choices or ():
            yield scene.id, readable(choice.text)
    for ending in story.endings.values():
        yield ending.id, f"{ending.title} {ending.description} {ending.hint}"
    for variable in story.variables.values():
        yield variable.name, variable.description


def test_numbers_in_prose_are_words_and_no_line_is_a_template(story):
    digits = [(where, text) for where, text in prose(story) if re.search(r"\d", ALLOWED_DIGITS.sub("", text))]
    assert digits == []
    placeholders = [(where, text) for where, text in prose(story) if "{" in text]
    assert placeholders == []


BRITISH = re.compile(
    r"\b(grey|colour|favour|honour|neighbour|harbour|licence|labelled|travelled|realis|organis|recognis|"
    r"apologis|theatre|centre|metre|practise|pyjama|sunburnt|learnt|spelt|burnt|whilst|amongst|towards|"
    r"cheque|tyre|kerb|programme|catalogue|defence|mum)\w*",
    re.IGNORECASE,
)


def test_one_spelling_american(story):
    found = [(where, m.group(0)) for where, text in prose(story) for m in BRITISH.finditer(text)]
    comments = BRITISH.findall((bundled_story_path() / "story.yaml").read_text(encoding="utf-8"))
    assert found == [] and comments == []


def ending_scenes(story: Story) -> dict[str, Scene]:
    return {scene.ending: scene for scene in story.scenes.values() if scene.ending}


def test_endings_that_did_not_happen_say_plainly_that_they_are_fiction(story):
    for ending_id, scene in ending_scenes(story).items():
        ending = story.endings[ending_id]
        text = " ".join(p.template.source for p in scene.paragraphs)
        if ending_id == "launch":
            assert "fiction" not in ending.description and "fiction" not in text
        else:
            assert ending.description.startswith("This ending is fiction.")
            assert "This ending is fiction." in text
        assert ending.hint, f"{ending_id} has no hint"


def test_the_launch_ends_with_what_really_happened(story):
    card = ending_scenes(story)["launch"]
    text = " ".join(p.template.source for p in card.paragraphs)
    for fact in ("STS-128", "thirteen days", "first migrant farmworker", "tacos", "El Hijo del Pueblo"):
        assert fact in text
    assert "Tierra Luna Cellars" in text and "Lodi" in text


COLUMBIA = ["Rick Husband", "William McCool", "Michael Anderson", "Kalpana Chawla", "David Brown", "Laurel Clark"]


def test_the_columbia_crew_is_named_where_the_text_says_their_names(story):
    for scene_id in ("epilogue_window", "epilogue_ground"):
        text = " ".join(p.template.source for p in story.scenes[scene_id].paragraphs)
        assert all(name in text for name in [*COLUMBIA, "Ilan Ramon"]), scene_id


YEARS = {
    "sixth": ("nasa_year_six", "nasa_letter_six"),
    "seventh": ("nasa_year_seven", "nasa_letter_seven"),
    "eighth": ("nasa_year_eight", "nasa_letter_eight"),
    "ninth": ("nasa_year_nine", "nasa_letter_nine"),
    "tenth": ("nasa_year_ten", "nasa_letter_ten"),
    "eleventh": ("nasa_year_eleven", "nasa_eleventh_letter"),
}


def test_letters_six_to_eleven_each_have_a_year_of_their_own(story):
    """Each of those years has its own scenes, seen once on the canonical path, named in words."""
    canonical = scripted(story, bundled_story_path() / "playthroughs" / "canonical.playthrough.yaml")
    seen = Counter(entry.scene.id for entry in canonical.journal())
    for ordinal, (year, letter) in YEARS.items():
        assert seen[year] == 1 and seen[letter] == 1, ordinal
        assert f"The {ordinal} year." in " ".join(p.template.source for p in story.scenes[year].paragraphs)
    assert [s for s, n in seen.items() if story.scenes[s].chapter == "The Applications" and n > 1] == []


def test_the_youngest_grows_up(story):
    """He is born in the first application year and is twelve at Columbia, not a lap-sized child."""
    text = {sid: " ".join(p.template.source for p in story.scenes[sid].paragraphs) for sid in story.scenes}
    assert "baby comes in April" in text["nasa_first_rejection"]
    assert "twelve" in text["training_columbia_watch"]
    assert "lap" not in text["training_columbia_loss"] and "yellow sun" not in text["training_fence"]


def test_the_kitchen_sets_up_the_salsa_dare(story):
    kitchen = " ".join(p.template.source for p in story.scenes["lab_dinner_kitchen"].paragraphs)
    assert "salsa" in kitchen and "spoon" in kitchen


def test_every_ending_scene_is_in_the_epilogue(story):
    assert {scene.chapter for scene in ending_scenes(story).values()} == {"Epilogue"}
