"""The menus both faces offer, in one place: what each entry does, says, and which key takes it."""

from __future__ import annotations

from msgspec import Struct


class MenuEntry(Struct, frozen=True):
    #: The app's action (`action_<name>` in the full-screen player, a command in the line player).
    action: str
    label: str
    #: The key (or typed letter) that takes it from anywhere on its screen; "" for none.
    key: str = ""


#: The title screen: the way into a story, one Escape away during play.
TITLE_MENU = (
    MenuEntry("new_game", "New game", "n"),
    MenuEntry("continue", "Continue", "c"),
    MenuEntry("chapters", "Chapters", "h"),
    MenuEntry("load", "Load", "l"),
    MenuEntry("endings", "Endings", "e"),
    MenuEntry("about", "About", "a"),
    MenuEntry("quit_game", "Quit", "q"),
)

#: Where to go from an ending.
ENDING_MENU = (
    MenuEntry("title", "Back to the title screen", "t"),
    MenuEntry("endings", "See all the endings", "e"),
    MenuEntry("undo", "Undo the last choice", "u"),
    MenuEntry("quit_game", "Quit", "q"),
)
