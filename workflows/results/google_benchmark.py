"""Google Benchmark `--benchmark_format=json` (or `--benchmark_out`): one row per run.

- Time is `real_time` in the row's `time_unit` (wall time, what users wait for; `cpu_time`
  is left out so that a suite is not tested twice over).
- With `--benchmark_repetitions=N` there are N `iteration` rows per benchmark (the samples)
  plus `aggregate` rows (mean, median, stddev, cv). Iteration rows are preferred; with
  `--benchmark_report_aggregates_only` only aggregates exist, and the benchmark is compared
  from mean, stddev and median over `repetitions` (summary-only). Without a `mean` there is
  nothing to compare from: that benchmark is left out, the rest of the file still counts.
- Versions up to 1.4.1 write no `run_type`: their aggregates are rows named `<name>_mean`,
  `<name>_median`, `<name>_stddev`; they belong to `<name>`, they are not benchmarks.
- `->Complexity()` adds `<name>_BigO` and `<name>_RMS` rows: fitted coefficients over several
  benchmarks, not measurements of one; left out.
- Rows with `skipped` (SkipWithMessage) or `error_occurred` report a time of 0 that was never
  measured: left out, and a benchmark with no other row is absent.
- Rate counters become their own higher-is-better metrics: `items_per_second` as
  `<name> [items_per_second]` in items/s, `bytes_per_second` in B/s. The counter is computed
  from the same run as the time, so it is one measurement: `metadata["measurement"]` names the
  time metric, for the engine to give both one test. Other user counters carry no direction in
  the file and are left out.

What is left out is said in the result set's `metadata["warnings"]`, one line each.
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
LEGACY_AGGREGATES = ("mean", "median", "stddev", "cv")  # name suffixes before `run_type`
COMPLEXITY_AGGREGATES = ("BigO", "RMS")

SKIPPED = "{name}: every run was skipped or failed ({why}); left out"
COMPLEXITY = "{names}: complexity fits (->Complexity()), not measurements; left out"
NO_MEAN = "{name}: aggregate rows but no mean (found: {kinds}); nothing to compare, left out"
NO_REPETITIONS = "{name}: aggregate rows without a repetition count; left out"
NOTHING_LEFT = "no benchmark to compare: {reasons}"

Rows = list[tuple[str, dict[str, Any]]]  # (where in the document, row)


def _is_complexity(row: dict[str, Any]) -> bool:
    return row.get("aggregate_name") in COMPLEXITY_AGGREGATES or "big_o" in row or "rms" in row


def _is_skipped(row: dict[str, Any]) -> bool:
    return bool(row.get("skipped") or row.get("error_occurred"))


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("benchmarks"), list):
        return False
    rows = document["benchmarks"]
    return bool(rows) and all(
        isinstance(r, dict)
        and "name" in r
        and ("real_time" in r or "error_occurred" in r or "skipped" in r or _is_complexity(r))
        for r in rows
    )


def _identity(row: dict[str, Any], where: str) -> tuple[str, str | None]:
    """(benchmark name, aggregate name or None for an iteration row)."""
    if "run_type" not in row:
        full = text(row.get("name"), f"{where}.name")
        base, underscore, suffix = full.rpartition("_")
        if underscore and base and suffix in LEGACY_AGGREGATES:
            return base, suffix
        return full, None
    name = text(row.get("run_name") or row.get("name"), f"{where}.name")
    if row["run_type"] == "aggregate":
        kind = row.get("aggregate_name")
        return name, kind if isinstance(kind, str) and kind else "(unnamed)"
    return name, None


def _metrics(row: dict[str, Any], where: str) -> dict[tuple[str, str], float]:
    """(metric suffix, unit) -> value for one row: the time and each rate counter."""
    unit = row.get("time_unit", "ns")
    found = {("", unit): number(row.get("real_time"), f"{where}.real_time")}
    for counter, counter_unit in RATE_COUNTERS.items():
        if counter in row:
            found[(f" [{counter}]", counter_unit)] = number(row[counter], f"{where}.{counter}")
    return found


def _measurement(name: str, suffix: str) -> dict[str, str]:
    return {"measurement": name} if suffix else {}


def _from_iterations(name: str, rows: Rows) -> list[Benchmark]:
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    for where, row in rows:
        for key, value in _metrics(row, where).items():
            samples[key].append(value)
    return [
        make_benchmark(name + suffix, unit, samples=values, metadata=_measurement(name, suffix))
        for (suffix, unit), values in samples.items()
    ]


def _from_aggregates(name: str, by_kind: dict[str, tuple[str, dict[str, Any]]],
                     warnings: list[str]) -> list[Benchmark]:  # fmt: skip
    if "mean" not in by_kind:
        warnings.append(NO_MEAN.format(name=name, kinds=", ".join(by_kind)))
        return []
    where, mean_row = by_kind["mean"]
    if "repetitions" not in mean_row:
        warnings.append(NO_REPETITIONS.format(name=name))
        return []
    n = count(mean_row["repetitions"], f"{where}.repetitions")
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
        benchmarks.append(
            make_benchmark(
                name + suffix, unit, summary=summary, metadata=_measurement(name, suffix)
            )
        )
    return benchmarks


def _skip_reason(row: dict[str, Any]) -> str:
    message = row.get("skip_message") or row.get("error_message")
    return message if isinstance(message, str) and message else "no message"


def parse(document: Any, source: str) -> ResultSet:
    document = mapping(document, "the document")
    iterations: dict[str, Rows] = defaultdict(list)
    aggregates: dict[str, dict[str, tuple[str, dict[str, Any]]]] = defaultdict(dict)
    skipped: dict[str, str] = {}
    complexity: list[str] = []
    order: list[str] = []
    for i, row in enumerate(items(document.get("benchmarks"), "benchmarks")):
        where = f"benchmarks[{i}]"
        row = mapping(row, where)
        if _is_complexity(row):
            complexity.append(text(row.get("name"), f"{where}.name"))
            continue
        name, kind = _identity(row, where)
        if _is_skipped(row):
            skipped.setdefault(name, _skip_reason(row))
            continue
        if name not in order:
            order.append(name)
        if kind is None:
            iterations[name].append((where, row))
        else:
            aggregates[name][kind] = (where, row)
    warnings = [SKIPPED.format(name=n, why=why) for n, why in skipped.items() if n not in order]
    if complexity:
        warnings.append(COMPLEXITY.format(names=", ".join(complexity)))
    benchmarks: list[Benchmark] = []
    for name in order:
        if iterations.get(name):
            benchmarks += _from_iterations(name, iterations[name])
        else:
            benchmarks += _from_aggregates(name, aggregates[name], warnings)
    if not benchmarks:
        raise ShapeError(NOTHING_LEFT.format(reasons="; ".join(warnings)))
    context = document.get("context") if isinstance(document.get("context"), dict) else {}
    keep = ("date", "host_name", "executable", "num_cpus")
    metadata: dict[str, Any] = {key: context[key] for key in keep if key in context}
    if warnings:
        metadata["warnings"] = warnings
    return ResultSet.build(source, NAME, benchmarks, metadata)
