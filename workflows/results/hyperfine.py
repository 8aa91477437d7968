"""hyperfine `--export-json`: one result per command, raw run times in seconds (`times`).

The benchmark's name is `command` (which holds `--command-name` when one was given). A single
run has `stddev: null` and one time: it loads, and the engine says it has too few samples.
Files from hyperfine versions without `times` fall back to the summary statistics.

With `hyperfine -i` a command may fail and still be timed; `exit_codes` (one per run, null
when a signal killed it) says which runs failed. A failed run times the failure (often a fast
exit), not the work, so it is not a sample: it is left out, counted in the benchmark's
`metadata["failed_runs"]` and said in the result set's `metadata["warnings"]`. A command whose
every run failed measured nothing: the file is refused, naming it. So is a summary-only row
with failed runs, whose statistics cannot be separated from the failures.

hyperfine also reports the CPU time the command spent (`user` and `system`, means over the
runs): it is the command's `[cpu]` metric (`<command> [cpu]`, `metadata["metric_of"]`), one
sample per file, so in rounds one per round; a rule's `metric: cpu` makes it decide the
verdict (workflows/compare/metrics.py). It is left out when a run failed: the means include it.
"""

from __future__ import annotations

from typing import Any

from workflows.results.fields import (
    ShapeError,
    items,
    mapping,
    number,
    numbers,
    optional_number,
    text,
)
from workflows.results.model import Benchmark, ResultSet, Summary, make_benchmark

NAME = "hyperfine"
KIND = "json"
UNIT = "s"

FAILED = "{name!r}: {failed} of {runs} runs failed (non-zero exit code); left out of the samples"
ALL_FAILED = "command {name!r}: every one of its {runs} runs failed (non-zero exit code)"
SUMMARY_FAILED = (
    "command {name!r}: {failed} of {runs} runs failed and the file has no `times` to leave "
    "them out of"
)
MISCOUNTED = "{where}.exit_codes has {codes} entries for {times} times"


def detect(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        return False
    rows = document["results"]
    return bool(rows) and all(isinstance(r, dict) and "command" in r and "mean" in r for r in rows)


def _failed(row: dict[str, Any], where: str) -> list[bool] | None:
    """Per run, whether it failed; None when the file does not say."""
    if row.get("exit_codes") is None:
        return None
    codes = items(row["exit_codes"], f"{where}.exit_codes")
    return [code is None or number(code, f"{where}.exit_codes[{i}]") != 0
            for i, code in enumerate(codes)]  # fmt: skip


def _cpu(row: dict[str, Any], name: str, where: str) -> list[Benchmark]:
    """The command's CPU time (user + system, hyperfine's means over the runs), if given."""
    if row.get("user") is None or row.get("system") is None:
        return []
    spent = number(row["user"], f"{where}.user") + number(row["system"], f"{where}.system")
    metadata = {"metric": "cpu", "metric_of": name}
    return [make_benchmark(f"{name} [cpu]", UNIT, samples=[spent], metadata=metadata)]


def _benchmarks(row: Any, where: str, warnings: list[str]) -> list[Benchmark]:
    timed = _benchmark(row, where, warnings)
    if timed.metadata.get("failed_runs"):
        return [timed]
    return [timed, *_cpu(row, timed.name, where)]


def _benchmark(row: Any, where: str, warnings: list[str]) -> Benchmark:
    row = mapping(row, where)
    name = text(row.get("command"), f"{where}.command")
    metadata: dict[str, Any] = {}
    if isinstance(row.get("parameters"), dict):
        metadata["parameters"] = row["parameters"]
    failed = _failed(row, where)
    runs = len(failed) if failed is not None else 1
    failures = sum(failed or ())
    if failed and failures == runs:
        raise ShapeError(ALL_FAILED.format(name=name, runs=runs))
    if failures:
        metadata["failed_runs"] = failures
    times = numbers(row["times"], f"{where}.times") if row.get("times") is not None else []
    if times:
        if failed is not None and len(failed) != len(times):
            raise ShapeError(MISCOUNTED.format(where=where, codes=len(failed), times=len(times)))
        if failures:
            warnings.append(FAILED.format(name=name, failed=failures, runs=runs))
        samples = [t for t, bad in zip(times, failed or [False] * len(times), strict=True)
                   if not bad]  # fmt: skip
        return make_benchmark(name, UNIT, samples=samples, metadata=metadata)
    if failures:
        raise ShapeError(SUMMARY_FAILED.format(name=name, failed=failures, runs=runs))
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
    warnings: list[str] = []
    benchmarks = [
        bench for i, row in enumerate(rows) for bench in _benchmarks(row, f"results[{i}]", warnings)
    ]
    return ResultSet.build(source, NAME, benchmarks, {"warnings": warnings} if warnings else {})
