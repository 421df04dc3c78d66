"""The story engine: YAML → validated model → runtime state.

Nothing under this package may import Textual (a test pins it), so the engine
stays usable from the line-mode player, the test runner and the explorer.

Where things are, in the order data flows:

* `format` declares the story format's keys once (the loader and the JSON Schema use it).
* `loader` is the way in: `load_story(path)`. It takes a story from `cache` when
  unchanged, else from `quick_compiler` (plain YAML read by `plain_yaml`, no
  mistakes), else from `compiler` (libyaml through `yaml_source`, every mistake
  reported as an `errors.Diagnostic` with file, line and column).
* `expressions` and `text` are the author's expression language and `{name}`
  templates, parsed and checked at load; `model` holds the validated story,
  built from `records` (cheap immutable value classes).
* `runtime` plays a story (`Game`); `saves` keeps games on disk (`Session`);
  `watch` reloads a story being edited; `explore` walks every path.
"""
