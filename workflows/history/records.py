"""What the store keeps of one run, built from what a run leaves behind: its JSON report.

The JSON report of `perfbot compare` (docs/results-format.md) carries per benchmark the verdict,
change, interval, p-values and per-side summaries, and its `provenance` the refs, commits,
rounds, machines and times of each side: that is a run's record. The samples themselves are
added when the result sets are at hand (a local run has them; a callback carries the report
only), so a record never claims samples it did not see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workflows.compare.provenance import parse_time
from workflows.compare.report_reading import row_verdict
from workflows.results import ResultSet

RUN_KINDS = ("pr", "push", "local")
SIDES = ("base", "head")


@dataclass(frozen=True)
class SampleRecord:
    side: str
    position: int
    round: int | None
    value: float


@dataclass(frozen=True)
class BenchmarkRecord:
    name: str
    unit: str
    direction: str
    verdict: str
    change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    method: str | None = None
    summary: Mapping[str, Any] = field(default_factory=dict)  # {"base": {...}, "head": {...}}
    samples: tuple[SampleRecord, ...] = ()

    def side(self, name: str, key: str) -> Any:
        values = self.summary.get(name)
        return values.get(key) if isinstance(values, Mapping) else None


@dataclass(frozen=True)
class RunRecord:
    """One run. `benchmarks` None: the record says how the run ended, not what it measured
    (an `exit` callback), so storing it keeps the benchmarks already stored."""

    repo: str
    job: str
    kind: str
    workflow_name: str
    base_ref: str
    base_sha: str
    head_sha: str
    status: str = "recorded"
    pr: int | None = None
    branch: str | None = None
    head_ref: str | None = None
    verdict: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    environment: Mapping[str, Any] = field(default_factory=dict)
    report: Mapping[str, Any] | None = None
    report_markdown: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    benchmarks: tuple[BenchmarkRecord, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in RUN_KINDS:
            raise ValueError(f"run kind must be one of {', '.join(RUN_KINDS)}, not {self.kind!r}")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def benchmarks_of(report: Mapping[str, Any]) -> tuple[BenchmarkRecord, ...]:
    rows = report.get("benchmarks")
    records = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping) or not isinstance(row.get("name"), str):
            continue
        records.append(
            BenchmarkRecord(
                name=row["name"],
                unit=str(row.get("unit") or ""),
                direction=str(row.get("direction") or "lower"),
                verdict=row_verdict(row)[0],
                change=_number(row.get("change")),
                ci_low=_number(row.get("ci_low")),
                ci_high=_number(row.get("ci_high")),
                p_value=_number(row.get("p_value")),
                p_adjusted=_number(row.get("p_adjusted")),
                method=row.get("method") if isinstance(row.get("method"), str) else None,
                summary={s: row.get(s) for s in SIDES if isinstance(row.get(s), Mapping)},
            )
        )
    return tuple(records)


def environment_of(report: Mapping[str, Any]) -> dict[str, Any]:
    """Each side's machines and round manifest: where and on what it ran."""
    provenance = report.get("provenance") if isinstance(report.get("provenance"), Mapping) else {}
    environment: dict[str, Any] = {}
    for side in SIDES:
        facts = provenance.get(side) if isinstance(provenance.get(side), Mapping) else {}
        meta = report.get(side, {}).get("metadata") if isinstance(report.get(side), Mapping) else {}
        environment[side] = {
            "machines": facts.get("machines") or {},
            "rounds": (meta or {}).get("rounds") or [],
            "started": facts.get("started"),
            "finished": facts.get("finished"),
        }
    return environment


def times_of(report: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The first round's start and the last round's end over both sides."""
    environment = environment_of(report)
    starts = [t for s in SIDES if (t := parse_time(environment[s]["started"])) is not None]
    ends = [t for s in SIDES if (t := parse_time(environment[s]["finished"])) is not None]
    return (min(starts) if starts else None, max(ends) if ends else None)


SideSamples = Mapping[str, tuple[Sequence[float | None], Sequence[int]]]  # name: values, rounds


def with_samples(
    benchmarks: tuple[BenchmarkRecord, ...], base: ResultSet, head: ResultSet
) -> tuple[BenchmarkRecord, ...]:
    """The records with every raw sample of both sides and the round it was measured in."""
    return _with_sides(
        benchmarks,
        {
            side: {name: (b.samples, b.rounds) for name, b in results.benchmarks.items()}
            for side, results in (("base", base), ("head", head))
        },
    )


def with_payload_samples(
    benchmarks: tuple[BenchmarkRecord, ...], samples: Mapping[str, Any] | None
) -> tuple[BenchmarkRecord, ...]:
    """The same from a callback's `samples` (`workflows.horreum.samples.collect`'s shape:
    side -> benchmarks -> name -> samples, rounds); records unchanged without it."""
    if not samples:
        return benchmarks
    sides: dict[str, SideSamples] = {}
    for side in ("base", "head"):
        rows = (samples.get(side) or {}).get("benchmarks") or {}
        sides[side] = {
            name: (row.get("samples") or [], row.get("rounds") or [])
            for name, row in rows.items()
            if isinstance(row, Mapping)
        }
    return _with_sides(benchmarks, sides)


def _with_sides(
    benchmarks: tuple[BenchmarkRecord, ...], sides: Mapping[str, SideSamples]
) -> tuple[BenchmarkRecord, ...]:
    out = []
    for record in benchmarks:
        samples: list[SampleRecord] = []
        for side, found in sides.items():
            if record.name not in found:
                continue
            values, rounds = found[record.name]
            for position, value in enumerate(values):
                if value is None:
                    continue
                round_ = int(rounds[position]) if position < len(rounds) else None
                samples.append(SampleRecord(side, position, round_, float(value)))
        out.append(
            BenchmarkRecord(**{**record.__dict__, "samples": tuple(samples)})  # frozen: a copy
        )
    return tuple(out)


def now() -> datetime:
    return datetime.now(UTC)
