"""Scripted playthroughs and the pytest plugin (filled in by the playthrough runner)."""
