"""What the benchmark driver measured itself around the job's command: `measured.tsv`.

A tool reports its own figures, usually wall time; on a busy or shared machine wall time is
the noisiest thing there is to measure, while the CPU time the command spent (user + system)
or the instructions it retired move far less with the load. The driver
(`workflows/pipeline/drivers/benchmark.sh`) therefore measures, per round and side, the
command's process tree: CPU time and peak RSS (wait4), and instructions where `perf stat` can
count them. Each figure becomes a metric of one benchmark, the benchmark command (`COMMAND`),
whose own primary metric is its wall time from the round manifest, so the figures compare with
the same round-paired machinery as any benchmark and stand beside the tool's own.

The file, one per side, after a header line:

    round  user  system  max_rss  instructions  how

seconds, seconds, bytes, a count; an empty cell was not measured (`measured.notes` says why, one
line each, which becomes a warning of the side). `how` is `wait4` or `times` (CPU from the
shell, in clock ticks, no RSS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from workflows.results import tsv
from workflows.results.errors import ResultsError
from workflows.results.model import Benchmark, make_benchmark

FILE_NAME = "measured.tsv"
NOTES_NAME = "measured.notes"
COLUMNS = ("round", "user", "system", "max_rss", "instructions", "how")
MAX_LINES = 100_000
MAX_NOTES = 20

COMMAND = "(benchmark command)"
# Metadata keys of a metric (the engine's grouping): its name, the benchmark it belongs to, and
# that perfbot measured it rather than the tool.
METRIC = "metric"
METRIC_OF = "metric_of"
PERFBOT_MEASURED = "perfbot_measured"


def _number(text: str, where: str, column: str) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: {column} must be a number, got {text!r}") from None
    if not value >= 0:
        raise ValueError(f"{where}: {column} must not be negative, got {text!r}")
    return value


def read_measured(directory: Path) -> list[dict[str, Any]]:
    """The file's rows (numbers, None where not measured), or [] when there is none."""
    path = directory / FILE_NAME
    if not path.is_file():
        return []
    _, found = tsv.rows(path, (COLUMNS,), MAX_LINES)
    rows = []
    try:
        for where, cells in found:
            number = _number(cells[0], where, "round")
            if number is None or number < 1 or number != int(number):
                raise ValueError(f"{where}: round must be a whole number from 1")
            row: dict[str, Any] = {"round": int(number), "how": cells[5]}
            for column, cell in zip(COLUMNS[1:5], cells[1:5], strict=True):
                row[column] = _number(cell, where, column)
            rows.append(row)
    except ValueError as exc:
        raise ResultsError(path, str(exc)) from None
    return rows


def read_notes(directory: Path) -> list[str]:
    """Why figures were not measured, one line each (at most MAX_NOTES)."""
    path = directory / NOTES_NAME
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()][:MAX_NOTES]


def _metric(name: str, unit: str, pairs: list[tuple[int, float]]) -> Benchmark | None:
    if not pairs:
        return None
    primary = name == "wall"
    metadata: dict[str, Any] = {METRIC: name, PERFBOT_MEASURED: True}
    if not primary:
        metadata[METRIC_OF] = COMMAND
    return make_benchmark(
        COMMAND if primary else f"{COMMAND} [{name}]", unit,
        samples=[v for _, v in pairs], rounds=[r for r, _ in pairs], metadata=metadata,
    )  # fmt: skip


def measured_benchmarks(
    rows: Sequence[Mapping[str, Any]], manifest: Sequence[Mapping[str, Any]]
) -> list[Benchmark]:
    """The command's metrics: wall time (the manifest's finished - started) of the rounds that
    were measured, CPU time (user + system), peak RSS, instructions; one sample per round."""
    if not rows:
        return []
    measured_rounds = {row["round"] for row in rows}
    wall = [
        (m["round"], m["finished"] - m["started"])
        for m in manifest
        if m["round"] in measured_rounds
        and m.get("started") is not None
        and m.get("finished") is not None
    ]
    cpu = [
        (r["round"], r["user"] + r["system"])
        for r in rows
        if r["user"] is not None and r["system"] is not None
    ]
    rss = [(r["round"], r["max_rss"]) for r in rows if r["max_rss"] is not None]
    counted = [(r["round"], r["instructions"]) for r in rows if r["instructions"] is not None]
    found = (
        _metric("wall", "s", wall),
        _metric("cpu", "s", cpu),
        _metric("max-rss", "B", rss),
        _metric("instructions", "instructions", counted),
    )
    return [b for b in found if b is not None]
