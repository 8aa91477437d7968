"""Google Benchmark `--benchmark_format=json` (or `--benchmark_out`): one row per run.

- Time is `real_time` in the row's `time_unit` (wall time, what users wait for; `cpu_time`
  is left out so that a suite is not tested twice over).
- With `--benchmark_repetitions=N` there are N `iteration` rows per benchmark (the samples)
  plus `aggregate` rows (mean, median, stddev, cv). Iteration rows are preferred; with
  `--benchmark_report_aggregates_only` only aggregates exist, and the benchmark is compared
  from mean, stddev and median over `repetitions` (summary-only).
- Rate counters become their own higher-is-better metrics: `items_per_second` as
  `<name> [items_per_second]` in items/s, `bytes_per_second` in B/s. Other user counters carry
  no direction in the file and are left out.
- Rows with `error_occurred` are skipped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from workflows.results.fields import ShapeError, count, items, mapping, number, text
from workflows.results.model import Benchmark, ResultSet, Summary, make_benchmark

NAME = "google-benchmark"
KIND = "json"
RATE_COUNTERS = {"items_per_second": "items/s", "bytes_per_second": "B/s"}
SUMMARY_AGGREGATES = ("mean", "median", "stddev")


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("benchmarks"), list):
        return False
    rows = document["benchmarks"]
    return bool(rows) and all(
        isinstance(r, dict) and "name" in r and ("real_time" in r or "error_occurred" in r)
        for r in rows
    )


def _metrics(row: dict[str, Any], where: str) -> dict[tuple[str, str], float]:
    """(metric suffix, unit) -> value for one row: the time and each rate counter."""
    unit = row.get("time_unit", "ns")
    found = {("", unit): number(row.get("real_time"), f"{where}.real_time")}
    for counter, counter_unit in RATE_COUNTERS.items():
        if counter in row:
            found[(f" [{counter}]", counter_unit)] = number(row[counter], f"{where}.{counter}")
    return found


def _from_iterations(name: str, rows: list[tuple[str, dict[str, Any]]]) -> list[Benchmark]:
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    for where, row in rows:
        for key, value in _metrics(row, where).items():
            samples[key].append(value)
    return [
        make_benchmark(name + suffix, unit, samples=values)
        for (suffix, unit), values in samples.items()
    ]


def _from_aggregates(name: str, rows: list[tuple[str, dict[str, Any]]]) -> list[Benchmark]:
    by_kind = {row.get("aggregate_name"): (where, row) for where, row in rows}
    if "mean" not in by_kind:
        raise ShapeError(f"benchmark {name!r} has aggregate rows but no mean")
    where, mean_row = by_kind["mean"]
    n = count(mean_row.get("repetitions"), f"{where}.repetitions")
    values = {
        kind: _metrics(by_kind[kind][1], by_kind[kind][0])
        for kind in SUMMARY_AGGREGATES
        if kind in by_kind
    }
    benchmarks = []
    for (suffix, unit), mean in values["mean"].items():
        summary = Summary(
            n=n,
            mean=mean,
            stddev=values.get("stddev", {}).get((suffix, unit)),
            median=values.get("median", {}).get((suffix, unit)),
        )
        benchmarks.append(make_benchmark(name + suffix, unit, summary=summary))
    return benchmarks


def parse(document: Any, source: str) -> ResultSet:
    document = mapping(document, "the document")
    iterations: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    aggregates: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    order: list[str] = []
    for i, row in enumerate(items(document.get("benchmarks"), "benchmarks")):
        where = f"benchmarks[{i}]"
        row = mapping(row, where)
        if row.get("error_occurred"):
            continue
        name = text(row.get("run_name") or row.get("name"), f"{where}.name")
        if name not in order:
            order.append(name)
        kind = aggregates if row.get("run_type") == "aggregate" else iterations
        kind[name].append((where, row))
    benchmarks: list[Benchmark] = []
    for name in order:
        if iterations.get(name):
            benchmarks += _from_iterations(name, iterations[name])
        else:
            benchmarks += _from_aggregates(name, aggregates[name])
    context = document.get("context") if isinstance(document.get("context"), dict) else {}
    keep = ("date", "host_name", "executable", "num_cpus")
    metadata = {key: context[key] for key in keep if key in context}
    return ResultSet.build(source, NAME, benchmarks, metadata)
