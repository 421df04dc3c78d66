"""`python -m game` behaves exactly like the `million-miles` command."""

from game.cli import main

raise SystemExit(main())
