"""hyperfine `--export-json`: one result per command, raw run times in seconds (`times`).

The benchmark's name is `command` (which holds `--command-name` when one was given). A single
run has `stddev: null` and one time: it loads, and the engine says it has too few samples.
Files from hyperfine versions without `times` fall back to the summary statistics.
"""

from __future__ import annotations

from typing import Any

from workflows.results.fields import items, mapping, number, numbers, optional_number, text
from workflows.results.model import Benchmark, ResultSet, Summary, make_benchmark

NAME = "hyperfine"
KIND = "json"
UNIT = "s"


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        return False
    rows = document["results"]
    return bool(rows) and all(isinstance(r, dict) and "command" in r and "mean" in r for r in rows)


def _benchmark(row: Any, where: str) -> Benchmark:
    row = mapping(row, where)
    name = text(row.get("command"), f"{where}.command")
    metadata = {"parameters": row["parameters"]} if isinstance(row.get("parameters"), dict) else {}
    if row.get("times") is not None:
        samples = numbers(row["times"], f"{where}.times")
        if samples:
            return make_benchmark(name, UNIT, samples=samples, metadata=metadata)
    runs = len(row["exit_codes"]) if isinstance(row.get("exit_codes"), list) else 1
    summary = Summary(
        n=max(runs, 1),
        mean=number(row.get("mean"), f"{where}.mean"),
        stddev=optional_number(row.get("stddev"), f"{where}.stddev"),
        median=optional_number(row.get("median"), f"{where}.median"),
        minimum=optional_number(row.get("min"), f"{where}.min"),
        maximum=optional_number(row.get("max"), f"{where}.max"),
    )
    return make_benchmark(name, UNIT, summary=summary, metadata=metadata)


def parse(document: Any, source: str) -> ResultSet:
    rows = items(mapping(document, "the document").get("results"), "results")
    return ResultSet.build(
        source, NAME, (_benchmark(row, f"results[{i}]") for i, row in enumerate(rows))
    )
