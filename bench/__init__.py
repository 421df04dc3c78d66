"""Performance bench: startup, loading, play, exploration and the TUI, against the ink runtimes.

Run from the repository: `python -m bench` (see docs/performance.md). It is not
part of the test run; tests/bench/ only checks that it works on tiny sizes.
"""
