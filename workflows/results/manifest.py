"""The round manifest, `rounds.tsv`: what the benchmark driver knows about each round of a side.

The driver (`workflows/pipeline/drivers/benchmark.sh`) appends one tab-separated line per round
of a side, after a header line:

    round  position  started  finished  node  cpu  kernel  image

A driver since the load was recorded writes four more columns:

    cpus  load_before  load_during  steal

the machine's online CPUs, the 1-minute load average before the side ran and when it ended, and
the share of CPU time (per cent) stolen by the hypervisor meanwhile; an empty cell was not
read. A manifest with the first eight columns only (an older driver) is read as before.

`position` is 1 when the side ran first in its round and 2 when second (sides alternate, so an
order effect cancels); `started`/`finished` are Unix times in seconds. The loader keeps the
lines as the side's `metadata["rounds"]`, and the compare engine uses them to pair rounds, to
model the order effect and to refuse a verdict across different machines. A round file without
a manifest line still counts as a round; only its order and environment are unknown.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from workflows.results import tsv
from workflows.results.errors import ResultsError

FILE_NAME = "rounds.tsv"
COLUMNS = ("round", "position", "started", "finished", "node", "cpu", "kernel", "image")
LOAD_COLUMNS = ("cpus", "load_before", "load_during", "steal")
MAX_LINES = 100_000
# Unix times the reports can show: 1970 up to the last second of the year 9999 (a start time of
# 1e20, or inf, overflowed the date conversion with a traceback).
LATEST_TIME = 253_402_300_799.0


def _number(text: str, kind: type, where: str, column: str) -> int | float | None:
    if text == "":
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{where}: {column} must be a number, got {text!r}") from None


def read_manifest(directory: Path) -> list[dict[str, Any]]:
    """The manifest's rows (round, position, started, finished as numbers; the rest as text), or
    [] when the directory has none. ResultsError for a malformed file."""
    path = directory / FILE_NAME
    if not path.is_file():
        return []
    header, found = tsv.rows(path, (COLUMNS, COLUMNS + LOAD_COLUMNS), MAX_LINES)
    rows = []
    try:
        for where, cells in found:
            row: dict[str, Any] = dict(zip(header, cells, strict=True))
            row["round"] = _number(cells[0], int, where, "round")
            row["position"] = _number(cells[1], int, where, "position")
            row["started"] = _number(cells[2], float, where, "started")
            row["finished"] = _number(cells[3], float, where, "finished")
            for column in ("started", "finished"):
                moment = row[column]
                if moment is not None and not 0 <= moment <= LATEST_TIME:  # NaN fails too
                    raise ValueError(
                        f"{where}: {column} must be a Unix time from 0 to {LATEST_TIME:.0f}, "
                        f"got {cells[COLUMNS.index(column)][:40]!r}"
                    )
            if row["round"] is None or row["round"] < 1:
                raise ValueError(f"{where}: round must be a whole number from 1")
            if row["position"] not in (None, 1, 2):
                raise ValueError(f"{where}: position must be 1 or 2")
            if len(header) > len(COLUMNS):
                row.update(_load(cells[len(COLUMNS) :], where))
            rows.append(row)
    except ValueError as exc:
        raise ResultsError(path, str(exc)) from None
    return rows


def _load(cells: list[str], where: str) -> dict[str, Any]:
    """The load columns as numbers (None where empty); ValueError for one no machine gives."""
    found: dict[str, Any] = {}
    for column, text in zip(LOAD_COLUMNS, cells, strict=True):
        kind = int if column == "cpus" else float
        value = _number(text, kind, where, column)
        if value is not None and column == "cpus" and value < 1:
            raise ValueError(f"{where}: cpus must be a whole number from 1")
        if value is not None and column != "cpus" and not 0 <= value < math.inf:  # NaN fails
            raise ValueError(f"{where}: {column} must be a number from 0, got {text[:40]!r}")
        if value is not None and column == "steal" and value > 100:
            raise ValueError(f"{where}: steal must be a share from 0 to 100, got {text[:40]!r}")
        found[column] = value
    return found
