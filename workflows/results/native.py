"""perfbot's own results format (docs/results-format.md): what a benchmark script writes when
no tool's format fits, and the format every importer's output maps onto.

    {"schema_version": 1,
     "metadata": {"commit": "...", "machine": "..."},
     "benchmarks": [{"name": "GET /search", "unit": "ms", "direction": "lower",
                     "samples": [12.1, 12.4]}]}

`direction` may be left out (rates such as `req/s` default to higher-is-better, anything else
to lower); a benchmark without raw samples gives `summary` ({n, mean, stddev, median?, min?,
max?}) instead, and is compared from those statistics. `rounds` (optional, one whole number per
sample) says which round each sample was measured in, for a file that holds several rounds.
"""

from __future__ import annotations

from typing import Any

from workflows.results.fields import (
    ShapeError,
    count,
    items,
    mapping,
    number,
    numbers,
    optional_number,
    text,
)
from workflows.results.model import Benchmark, ResultSet, Summary, make_benchmark
from workflows.results.units import Direction

NAME = "perfbot"
KIND = "json"
SCHEMA_VERSION = 1
FOREIGN_KEYS = {"stats", "run_type", "real_time", "time_unit", "fullname"}  # other tools' rows


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("benchmarks"), list):
        return False
    rows = document["benchmarks"]
    return bool(rows) and all(
        isinstance(row, dict)
        and "name" in row
        and ("samples" in row or "summary" in row)
        and not FOREIGN_KEYS & row.keys()
        for row in rows
    )


def _summary(value: Any, where: str) -> Summary:
    stats = mapping(value, where)
    return Summary(
        n=count(stats.get("n"), f"{where}.n"),
        mean=number(stats.get("mean"), f"{where}.mean"),
        stddev=optional_number(stats.get("stddev"), f"{where}.stddev"),
        median=optional_number(stats.get("median"), f"{where}.median"),
        minimum=optional_number(stats.get("min"), f"{where}.min"),
        maximum=optional_number(stats.get("max"), f"{where}.max"),
    )


def _benchmark(row: Any, where: str) -> Benchmark:
    row = mapping(row, where)
    direction = row.get("direction")
    if direction is not None and direction not in tuple(Direction):
        raise ShapeError(f"{where}.direction must be 'lower' or 'higher', got {direction!r}")
    samples = numbers(row["samples"], f"{where}.samples") if "samples" in row else []
    summary = _summary(row["summary"], f"{where}.summary") if "summary" in row else None
    if not samples and summary is None:
        raise ShapeError(f"{where} needs a non-empty `samples` list or a `summary`")
    metadata = mapping(row.get("metadata", {}), f"{where}.metadata")
    rounds = _rounds(row.get("rounds"), len(samples), where)
    return make_benchmark(
        text(row.get("name"), f"{where}.name"),
        text(row.get("unit"), f"{where}.unit"),
        samples=samples,
        summary=summary,
        direction=direction,
        metadata=metadata,
        rounds=rounds,
    )


def _rounds(value: Any, samples: int, where: str) -> list[int]:
    if value is None:
        return []
    rounds = items(value, f"{where}.rounds")
    if len(rounds) != samples:
        raise ShapeError(f"{where}.rounds has {len(rounds)} entries for {samples} samples")
    for index, entry in enumerate(rounds):
        if isinstance(entry, bool) or not isinstance(entry, int) or entry < 1:
            raise ShapeError(f"{where}.rounds[{index}] must be a whole number from 1")
    return rounds


def parse(document: Any, source: str) -> ResultSet:
    document = mapping(document, "the document")
    version = document.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise ShapeError(f"schema_version {version!r} is not supported (expected {SCHEMA_VERSION})")
    rows = items(document.get("benchmarks"), "benchmarks")
    metadata = mapping(document.get("metadata", {}), "metadata")
    return ResultSet.build(
        source, NAME, (_benchmark(row, f"benchmarks[{i}]") for i, row in enumerate(rows)), metadata
    )
