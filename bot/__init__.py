"""The GitHub App: turns PR comments into Argo submissions and results into PR comments.

One package per concern, each saying in its docstring what it owns (ARCHITECTURE.md has the
map and the walk of one `/run-perf`): `server` composes the app; `triggers` (`POST /webhook`)
and `callback` (`POST /callback`) are its two ways in; `commands` and `horreum` sit below them,
then `runs`, `results` and `dashboard`, then `delivery` and `outbound`, then `shared` and
`github`. Imports only point down that list (tests/test_layers.py).
"""
