"""The full-screen Textual player: screens and widgets over `game.present` and the engine.

What it shares with the line player (safe text, values, menus, messages) lives in
`game.present`, which never imports Textual.
"""
