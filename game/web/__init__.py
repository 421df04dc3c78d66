"""The game in a browser: `million-miles serve` (docs/web.md).

Thin on purpose: textual-serve (Textualize's, on aiohttp) serves the page and
runs one process per browser tab, and each tab's process is this game's own
`million-miles play` on the web driver, so the browser plays exactly the game
the terminal plays, with the same saves. What lives here only fills the gaps
between the two: `server` (which command a tab runs, a page that fetches
nothing from the internet, tabs that never outlive their page or the server),
and `driver` (the tab's side of the same promise). No game logic, and nothing
here is imported unless a game is served.
"""
