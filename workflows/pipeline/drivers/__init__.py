"""The fixed shell drivers of the pipeline's steps, shipped as files so they can be read and linted.

Each is passed to `sh -c` as one argv item and never contains `{{`: every value it works on
arrives in a `PERFBOT_*` environment variable or as a positional argument, and is validated
before use. `load(name)` returns a script's text.
"""

from __future__ import annotations

from importlib import resources


def load(name: str) -> str:
    return resources.files(__package__).joinpath(f"{name}.sh").read_text(encoding="utf-8")
