"""Sets of strings: add, remove, membership, count; saved as lists; shown as their items."""

from __future__ import annotations

from game.engine.runtime import Game, GameState
from game.engine.saves import SaveStore, read_save, restore

SHOP = """\
scenes:
  a:
    text: "You carry {if count(bag) == 0: nothing | else: {bag}}."
    choices:
      - text: Take the lamp
        if: "'lamp' not in bag"
        set: {bag: bag + 'lamp'}
        goto: a
      - text: Take the key
        if: "not ('key' in bag)"
        set: {bag: bag + 'key'}
        goto: a
      - text: Drop everything
        if: count(bag) > 0
        set: {bag: []}
        goto: a
      - text: Trade the lamp
        if: "'lamp' in bag"
        set:
          bag: bag - 'lamp' + 'coin'
        goto: a
"""


def test_sets_add_remove_test_and_count(story2):
    game = Game(story2(SHOP))
    assert game.text == "You carry nothing."
    game.choose(1)
    game.choose(1)  # the key, now the first choice offered
    assert game.text == "You carry key, lamp."
    assert [o.text for o in game.options] == ["Drop everything", "Trade the lamp"]
    game.choose(2)
    assert game.variables["bag"] == frozenset({"key", "coin"})
    game.choose(2)
    assert game.variables["bag"] == frozenset()


def test_a_set_is_saved_as_a_list_and_read_back_as_a_set(story2, tmp_path):
    story = story2(SHOP)
    game = Game(story)
    game.choose(1)
    store = SaveStore(tmp_path, story)
    path = store.save(game, "with a lamp")
    info = read_save(path, story.identity)
    assert info.data["state"]["variables"]["bag"] == ["lamp"]
    resumed = restore(story, info.data).game
    assert resumed.variables["bag"] == frozenset({"lamp"}) and resumed.state == game.state
    assert GameState.from_json(game.state.to_json()) == game.state


def test_set_mistakes_are_type_errors(messages2):
    found = messages2(
        """\
        scenes:
          a:
            text: Hi.
            choices:
              - text: One
                if: bag in 'lamp'
                set: {n: count(n), bag: bag + 3}
                goto: a
        """
    )
    assert [f.rsplit("(", 1)[1] for f in found] == ["expression)", "expression)", "expression)"]
    assert "'in' tests whether a string is in a set, not a set in a string" in found[0]
    assert "count() takes a set here, not an integer" in found[1]
    assert "'+' adds a string (or a set) to a set, not an integer" in found[2]
