"""`million-miles lsp`: the story checker, live, in every editor (the Language Server Protocol, on pygls).

The modules, each with one job, in the order a keystroke meets them:

* `server` wires pygls to the rest: documents, the checker task, publishing.
* `workspace` keeps one `Project` per story folder: its `StoryLoader` (the
  engine's incremental loading: an edit compiles the edited file alone) and
  its `Index` of names, brought up to date file by file.
* `positions` turns the engine's character columns into the protocol's code
  units (UTF-16 unless negotiated otherwise) and back.
* `diagnostics` gives each engine diagnostic its range; the slow half of
  `check` (warnings, the explorer) runs in a child process
  (`game.authoring.findings`, shared with `play --watch`).
* `index` reads each file with the engine's readers into the places every
  scene, variable and ending is defined and named; `context` reads where the
  cursor is in the story format, from the format's own key tables.
* The features: `completion`, `navigation` (definition, references, hover),
  `rename`, `symbols`, `actions` (the "did you mean" fixes) and
  `playthroughs` (playthrough files checked, played and completed).

Nothing here decides whether a story is valid: every diagnostic is the
engine's, exactly as `million-miles check` reports it.
"""
