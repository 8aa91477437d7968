"""pytest-benchmark `--benchmark-json`: per-test statistics in seconds, raw rounds optional.

Each test's `stats.data` holds every round's time per iteration: those are the samples.
`--benchmark-json` writes it always (pytest-benchmark's `--benchmark-save-data` concerns the
files `--benchmark-save` stores), often about 20,000 a test. A file without it (trimmed, or
from another tool) has only `rounds`, `mean`, `stddev`, `median`, `min`, `max` and `iqr`; the
benchmark is then summary-only, and the report says raw data was missing.
The name is `fullname` (`tests/test_parse.py::test_parse[small]`), unique across modules where
the bare `name` is not. A test timed with `--benchmark-timer time.process_time` measured CPU
time, not wall time: its `metadata["metric"]` says `cpu`, and the reports name it so.
"""

from __future__ import annotations

from typing import Any

from workflows.results.fields import (
    count,
    items,
    mapping,
    number,
    numbers,
    optional_number,
    text,
)
from workflows.results.model import Benchmark, ResultSet, Summary, make_benchmark

NAME = "pytest-benchmark"
KIND = "json"
UNIT = "s"


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("benchmarks"), list):
        return False
    rows = document["benchmarks"]
    return bool(rows) and all(
        isinstance(row, dict) and isinstance(row.get("stats"), dict) for row in rows
    )


def _benchmark(row: Any, where: str) -> Benchmark:
    row = mapping(row, where)
    name = text(row.get("fullname") or row.get("name"), f"{where}.fullname")
    stats = mapping(row.get("stats"), f"{where}.stats")
    metadata = {key: row[key] for key in ("group", "params") if row.get(key)}
    options = row.get("options")
    timer = options.get("timer") if isinstance(options, dict) else None
    if isinstance(timer, str) and timer.rpartition(".")[2] == "process_time":
        metadata["metric"] = "cpu"
    if stats.get("data"):
        return make_benchmark(
            name, UNIT, samples=numbers(stats["data"], f"{where}.stats.data"), metadata=metadata
        )
    summary = Summary(
        n=count(stats.get("rounds"), f"{where}.stats.rounds"),
        mean=number(stats.get("mean"), f"{where}.stats.mean"),
        stddev=optional_number(stats.get("stddev"), f"{where}.stats.stddev"),
        median=optional_number(stats.get("median"), f"{where}.stats.median"),
        minimum=optional_number(stats.get("min"), f"{where}.stats.min"),
        maximum=optional_number(stats.get("max"), f"{where}.stats.max"),
        iqr=optional_number(stats.get("iqr"), f"{where}.stats.iqr"),
    )
    return make_benchmark(name, UNIT, summary=summary, metadata=metadata)


def _metadata(document: dict[str, Any]) -> dict[str, Any]:
    commit = document.get("commit_info") if isinstance(document.get("commit_info"), dict) else {}
    machine = document.get("machine_info") if isinstance(document.get("machine_info"), dict) else {}
    found = {
        "commit": commit.get("id"),
        "branch": commit.get("branch"),
        "machine": machine.get("node"),
        "python": machine.get("python_version"),
        "date": document.get("datetime"),
    }
    return {key: value for key, value in found.items() if value}


def parse(document: Any, source: str) -> ResultSet:
    document = mapping(document, "the document")
    rows = items(document.get("benchmarks"), "benchmarks")
    return ResultSet.build(
        source,
        NAME,
        (_benchmark(row, f"benchmarks[{i}]") for i, row in enumerate(rows)),
        _metadata(document),
    )
