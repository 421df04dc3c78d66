"""Tools for story authors: the checker's warnings, the story map, the editor schema, the template."""
