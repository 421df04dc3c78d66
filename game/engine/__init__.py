"""The story engine: YAML → validated model → runtime state.

Nothing under this package imports Textual or anything above it (`game.present`,
the faces, the tools): a test pins it, so the line player, the test runner, the
explorer and the tools stand on the engine alone.

Where things are, in the order data flows:

* `format` declares the story format once: every key of every object, its kind,
  whether it is required, the model field it fills, its documentation (the JSON
  Schema and the editor's hovers are made from it).
* `yaml_source` reads YAML (libyaml, safe loader) into a positioned tree of
  mappings, lists and scalars that know their file, line and column, refusing
  tags, merge keys, aliases and deep nesting.
* `compiler` is the only compiler: it reads one file's tree through the key
  table into its part of the model (`parts`), reporting every mistake with its
  place. story.yaml gives a `Header` and an `Interface` (variable types, ending
  ids); each scene file compiles against that interface alone.
* `story` puts the parts together and runs the checks that need the whole story
  (duplicate ids, unknown scenes, the start scene), giving a `model.Story`.
* `cache` keeps each file's compiled part, by the hash of its bytes, in one
  stored form (the model's msgspec Structs), checksummed and never trusted blindly.
* `loader` is the way in: `load_story(path)`, and `StoryLoader`, which keeps its
  parts between loads so an edit compiles one file (live reload, the editor).
* `model` holds the validated story; `expressions` and `text` the author's
  expression language and `{name}` templates, parsed and checked at compile time.
* `runtime` plays a story (`Game`, one `ScenePlan` per scene); `saves` keeps games
  on disk (`Session`); `watch` reloads a story being edited and replays the game
  on it; `explore` walks every path.
"""
