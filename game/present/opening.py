"""What a player opens on, in either face: the game in progress, else a new game.

`million-miles play` goes straight to the story, as ink and Z-machine players do, in the
full-screen player and the line player alike: the game in progress where the player left it,
or a new game when there has been none yet. When there is nothing to resume (the last game
reached an ending, or its autosave cannot be read or loaded) the face opens on its title
menu instead, and says why when something is wrong.
"""

from __future__ import annotations

from game.engine.saves import LoadError, SaveInfo, SaveStore, Session


def session_to_open(store: SaveStore) -> tuple[Session | None, str]:
    """The session to open on, or None for the title menu; and a problem to tell the player
    ("" when there is none). Names and reasons come from the save file: the face cleans them."""
    auto = store.autosave_entry()
    if auto is None:
        return Session.new(store), ""
    if isinstance(auto, SaveInfo) and store.game_in_progress(auto):
        try:
            return Session.load(store, auto), ""
        except LoadError as exc:
            return None, f"The game in progress cannot be resumed: {exc}"
    return None, ""
