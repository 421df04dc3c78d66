"""Reusable widgets of the player."""
