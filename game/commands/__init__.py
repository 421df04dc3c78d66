"""One module per `million-miles` command: `register(sub)` adds its parser, `run(args)` does the work.

Keeping commands apart lets each face (TUI, line mode, test runner, authoring
tools) own its own wiring, and keeps heavy imports inside the command that
needs them so `--help`, `check` and friends start fast.
"""
