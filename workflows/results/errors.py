"""The one error every importer raises, so the CLI can turn any bad input into one line.

The message always starts with the file it is about: in a directory of twenty rounds, "malformed
JSON" alone would leave the user guessing which round broke.
"""

from __future__ import annotations

from pathlib import Path


class ResultsError(ValueError):
    """A result file (or directory) perfbot cannot use; `str()` is `<path>: <problem>`."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem
