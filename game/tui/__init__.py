"""The full-screen Textual player.

This package's `__init__` stays free of Textual imports: `safe_text` is shared
with the line-mode player, which must start without loading Textual.
"""
