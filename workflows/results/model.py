"""A result set: named benchmarks, each with a unit, a direction and its raw samples.

Raw samples are what the compare engine wants (rank tests, robust intervals). Some tools only
publish summary statistics (a pytest-benchmark file without `stats.data`, Google Benchmark
with aggregates only); those benchmarks carry a `Summary` instead, and `summary_only` says so,
so the engine can switch to a test that works from statistics and the report can say raw data
was missing.

Samples keep the round they were measured in (`rounds`, parallel to `samples`): the pipeline
runs each side's benchmark command once per round, and samples of one invocation share its
machine state, so the compare engine tests rounds, not samples, when there are several. A
single file of samples has no rounds (an empty tuple): its samples are taken as independent.
A round may run the command in several fresh processes (`benchmark.processes`): then each
sample also keeps its process within the round (`processes`, parallel to `samples`; empty with
one process a round), because a process's layout is a draw of its own that all its samples
share, a level between the round and the sample.

Values are always in canonical units (see `units`); importers go through `make_benchmark`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from workflows.results.errors import ResultsError

if TYPE_CHECKING:
    import numpy as np
from workflows.results.magnitude import first_problem
from workflows.results.units import Direction, normalise
from workflows.untrusted import clean, clean_tree

ROUND_SUMMARIES = "round_summaries"  # metadata: each sample is one round's published summary


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default method)."""
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


NUMPY_FROM = 1000  # samples from which a summary is computed with numpy


@dataclass(frozen=True)
class Summary:
    """Summary statistics of one benchmark on one side; stddev is None for a single sample."""

    n: int
    mean: float
    stddev: float | None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    iqr: float | None = None

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        if len(samples) > NUMPY_FROM:
            return cls._of_many(samples)
        ordered = sorted(samples)
        n = len(ordered)
        mean = math.fsum(ordered) / n
        stddev = math.sqrt(math.fsum((v - mean) ** 2 for v in ordered) / (n - 1)) if n > 1 else None
        return cls(
            n=n,
            mean=mean,
            stddev=stddev,
            median=_quantile(ordered, 0.5),
            minimum=ordered[0],
            maximum=ordered[-1],
            iqr=_quantile(ordered, 0.75) - _quantile(ordered, 0.25) if n > 1 else None,
        )

    @classmethod
    def _of_many(cls, samples: Sequence[float]) -> Summary:
        """The same statistics with numpy: pure Python spent a second a 40-benchmark suite of
        20,000 samples a side here (numpy is imported only for such inputs)."""
        import numpy as np

        ordered = np.sort(np.asarray(samples, dtype=float))
        n = int(ordered.size)
        mean = float(ordered.mean())
        stddev = float(ordered.std(ddof=1))
        low, median, high = (float(q) for q in np.quantile(ordered, [0.25, 0.5, 0.75]))
        return cls(
            n=n, mean=mean, stddev=stddev, median=median,
            minimum=float(ordered[0]), maximum=float(ordered[-1]), iqr=high - low,
        )  # fmt: skip

    def scaled(self, factor: float) -> Summary:
        def times(value: float | None) -> float | None:
            return None if value is None else value * factor

        return Summary(
            n=self.n,
            mean=self.mean * factor,
            stddev=times(self.stddev),
            median=times(self.median),
            minimum=times(self.minimum),
            maximum=times(self.maximum),
            iqr=times(self.iqr),
        )


def pool(parts: Sequence[Summary]) -> Summary:
    """Summaries of several rounds as one: exact pooled mean and variance; no median or IQR,
    which cannot be recovered from parts."""
    n = sum(p.n for p in parts)
    mean = sum(p.n * p.mean for p in parts) / n
    stddev: float | None = None
    known = all(p.stddev is not None or p.n == 1 for p in parts)
    if known and n >= 2:
        within = sum((p.n - 1) * (p.stddev or 0.0) ** 2 for p in parts)
        between = sum(p.n * (p.mean - mean) ** 2 for p in parts)
        stddev = math.sqrt((within + between) / (n - 1))
    lows = [p.minimum for p in parts if p.minimum is not None]
    highs = [p.maximum for p in parts if p.maximum is not None]
    median = parts[0].median if len(parts) == 1 else None
    return Summary(
        n=n,
        mean=mean,
        stddev=stddev,
        median=median,
        minimum=min(lows) if len(lows) == len(parts) else None,
        maximum=max(highs) if len(highs) == len(parts) else None,
    )


@dataclass(frozen=True)
class Benchmark:
    name: str
    unit: str  # canonical, see units.normalise
    direction: Direction
    samples: tuple[float, ...] = ()
    summary: Summary | None = None  # only when raw samples are missing
    metadata: Mapping[str, Any] = field(default_factory=dict)
    rounds: tuple[int, ...] = ()  # round of each sample; () when not measured in rounds
    processes: tuple[int, ...] = ()  # process of each sample within its round; () for one

    def __post_init__(self) -> None:
        for label, numbers in (("round", self.rounds), ("process", self.processes)):
            if numbers and len(numbers) != len(self.samples):
                raise ValueError(
                    f"benchmark {self.name!r}: {len(numbers)} {label} numbers "
                    f"for {len(self.samples)} samples"
                )
        if self.processes and not self.rounds:
            raise ValueError(f"benchmark {self.name!r}: process numbers without rounds")

    @cached_property
    def round_count(self) -> int:
        """Distinct rounds the samples came from (0 when not measured in rounds)."""
        return len(set(self.rounds))

    @cached_property
    def values(self) -> np.ndarray:
        """The samples as a read-only float array, made once: the engine and the reports read
        20,000-sample benchmarks many times over."""
        import numpy as np

        array = np.asarray(self.samples, dtype=float)
        array.flags.writeable = False
        return array

    @cached_property
    def round_numbers(self) -> np.ndarray:
        """The round of each sample, as a read-only integer array (empty without rounds)."""
        import numpy as np

        array = np.asarray(self.rounds, dtype=np.int64)
        array.flags.writeable = False
        return array

    @cached_property
    def process_numbers(self) -> np.ndarray:
        """The process of each sample within its round, read-only (all 1 with one a round)."""
        import numpy as np

        found = self.processes or (1,) * len(self.rounds)
        array = np.asarray(found, dtype=np.int64)
        array.flags.writeable = False
        return array

    def in_round(self, number: int, process: int | None = None) -> Benchmark:
        """The same benchmark with every sample tagged as measured in round `number` (and in
        its `process`, when the round ran several); a summary-only benchmark becomes one
        sample, its median (or mean): the round's, or the process's, value."""
        if self.samples:
            n = len(self.samples)
            processes = () if process is None else (process,) * n
            return replace(self, rounds=(number,) * n, processes=processes)
        assert self.summary is not None
        value = self.summary.median if self.summary.median is not None else self.summary.mean
        metadata = {**self.metadata, ROUND_SUMMARIES: True}
        return replace(
            self, samples=(value,), summary=None, rounds=(number,),
            processes=() if process is None else (process,), metadata=metadata,
        )  # fmt: skip

    @property
    def summary_only(self) -> bool:
        return not self.samples

    @property
    def count(self) -> int:
        return len(self.samples) if self.samples else (self.summary.n if self.summary else 0)

    def stats(self) -> Summary:
        """Summary statistics whether or not raw samples exist."""
        if self.samples:
            return Summary.of(self.samples if len(self.samples) <= NUMPY_FROM else self.values)
        assert self.summary is not None
        return self.summary


def make_benchmark(
    name: str,
    unit: str,
    *,
    samples: Iterable[float] = (),
    summary: Summary | None = None,
    direction: Direction | str | None = None,
    metadata: Mapping[str, Any] | None = None,
    rounds: Iterable[int] = (),
    processes: Iterable[int] = (),
) -> Benchmark:
    """A benchmark in canonical units; the direction defaults to the unit's (rates: higher).
    Every importer comes through here, so this is where text from the results is `clean`ed
    (no NUL, control or bidi character reaches a report, a log or the history store)."""
    name = clean(name)
    normal = normalise(clean(unit))
    factor = normal.factor
    raw = tuple(map(float, samples))
    _check_range(name, f"in {unit}", raw, summary)
    values = raw if factor == 1 else tuple(v * factor for v in raw)
    if not values and summary is None:
        raise ValueError(f"benchmark {name!r} has neither samples nor summary statistics")
    scaled = summary.scaled(normal.factor) if summary is not None and not values else None
    if factor != 1:  # 1e307 minutes is finite, in seconds it is not
        _check_range(name, f"converted to {normal.canonical}", values, scaled)
    return Benchmark(
        name=name,
        unit=normal.canonical,
        direction=Direction(direction) if direction is not None else normal.direction,
        samples=values,
        summary=scaled,
        metadata=clean_tree(dict(metadata or {})),
        rounds=tuple(int(r) for r in rounds),
        processes=tuple(int(p) for p in processes),
    )


def _check_range(name: str, where: str, values: Sequence[float], summary: Summary | None) -> None:
    """ValueError when a sample or a summary statistic is out of `magnitude`'s range."""
    statistics = [] if summary is None else [summary.mean, summary.stddev, summary.median]
    if summary is not None:
        statistics += [summary.minimum, summary.maximum, summary.iqr]
    for label, numbers in (
        ("a sample", values),
        ("a summary statistic", [v for v in statistics if v is not None]),
    ):
        found = first_problem(numbers)
        if found is not None:
            raise ValueError(f"benchmark {name!r}: {label} {where} {found}")


def combine(first: Benchmark, second: Benchmark, source: str) -> Benchmark:
    """One benchmark from two sightings (two rounds, or `-count` repeats): samples concatenated;
    if either side has only statistics, the statistics are pooled."""
    if first.unit != second.unit:
        raise ResultsError(
            source,
            f"benchmark {first.name!r} is in {first.unit} in one place, {second.unit} in another",
        )
    if first.direction != second.direction:
        raise ResultsError(source, f"benchmark {first.name!r} has two directions")
    if first.samples and second.samples:
        rounds = first.rounds + second.rounds if first.rounds and second.rounds else ()
        both = rounds and first.processes and second.processes
        processes = first.processes + second.processes if both else ()
        return Benchmark(
            first.name, first.unit, first.direction, first.samples + second.samples,
            metadata=first.metadata, rounds=rounds, processes=processes,
        )  # fmt: skip
    return Benchmark(
        first.name, first.unit, first.direction,
        summary=pool([first.stats(), second.stats()]), metadata=first.metadata,
    )  # fmt: skip


@dataclass(frozen=True)
class ResultSet:
    """The benchmarks of one side (a file, or a directory of rounds), in input order."""

    source: str
    format: str
    benchmarks: Mapping[str, Benchmark]
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        source: str,
        format: str,
        benchmarks: Iterable[Benchmark],
        metadata: Mapping[str, Any] | None = None,
    ) -> ResultSet:
        by_name: dict[str, Benchmark] = {}
        for bench in benchmarks:
            seen = by_name.get(bench.name)
            by_name[bench.name] = bench if seen is None else combine(seen, bench, source)
        if not by_name:
            raise ResultsError(source, "holds no benchmarks")
        return cls(source, format, by_name, clean_tree(dict(metadata or {})))


def _round_warnings(sets: Sequence[ResultSet], numbers: Sequence[int]) -> list[str]:
    """What every round's importer left out or warned of, each said once and, when rounds
    differ, with the rounds it came from: the first round's metadata alone hides the rest."""
    seen: dict[str, list[int]] = {}
    for number, part in zip(numbers, sets, strict=True):
        found = part.metadata.get("warnings")
        for warning in found if isinstance(found, list) else []:
            seen.setdefault(str(warning), []).append(number)
    if len(sets) == 1:
        return list(seen)
    return [
        w if len(at) == len(sets) else f"{w} (round {', '.join(map(str, at))})"
        for w, at in seen.items()
    ]


def merge(
    source: str,
    sets: Sequence[ResultSet],
    numbers: Sequence[int] | None = None,
    rounds: Sequence[Mapping[str, Any]] = (),
    processes: Sequence[int] | None = None,
) -> ResultSet:
    """Several rounds of one side as one result set: every sample keeps its round (`numbers`,
    one per set; 1, 2, ... by default), and a round that published only summary statistics
    gives one value, so a directory of summary-only rounds is n = rounds, not the sum of every
    round's iterations. A conflict (a unit that changed between rounds) names the round where it
    appeared. `rounds` is the side's round manifest (docs/results-format.md), kept as metadata.
    `processes`, one per set, is each file's process within its round when rounds ran several.
    """
    numbers = list(numbers) if numbers is not None else list(range(1, len(sets) + 1))
    if len(numbers) != len(sets):
        raise ValueError(f"{len(numbers)} round numbers for {len(sets)} round files")
    if processes is not None and len(processes) != len(sets):
        raise ValueError(f"{len(processes)} process numbers for {len(sets)} round files")
    by_name: dict[str, Benchmark] = {}
    for index, (number, part) in enumerate(zip(numbers, sets, strict=True)):
        process = processes[index] if processes is not None else None
        for bench in part.benchmarks.values():
            tagged = bench.in_round(number, process) if len(sets) > 1 else bench
            seen = by_name.get(bench.name)
            by_name[bench.name] = tagged if seen is None else combine(seen, tagged, part.source)
    formats = sorted({s.format for s in sets})
    metadata = dict(sets[0].metadata)
    metadata["files"] = [s.source for s in sets]
    warnings = _round_warnings(sets, numbers)
    if warnings:
        metadata["warnings"] = warnings
    if rounds:
        metadata["rounds"] = [dict(r) for r in rounds]
    return ResultSet.build(source, "+".join(formats), by_name.values(), metadata)
