"""The story engine: YAML → validated model → runtime state.

Nothing under this package may import Textual (a test pins it), so the engine
stays usable from the line-mode player, the test runner and the explorer.
"""
