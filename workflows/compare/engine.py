"""`compare(base, head, options)`: a verdict per benchmark and for the suite.

Per benchmark present on both sides:
1. enough samples on both sides (`min_samples`), else `unchanged` with a warning, no guess;
2. raw samples on both sides: relative change = Hodges-Lehmann shift of the log values (a
   robust ratio) with Moses' interval, p-value from the Mann-Whitney U test; otherwise
   Welch's t-test from the summary statistics, flagged in the warnings;
3. p-values adjusted across the suite (Benjamini-Hochberg), so the suite, not each benchmark,
   carries the false-alarm rate `alpha`;
4. `decide`: a verdict needs both an adjusted p-value <= alpha (statistical significance) and
   |change| >= threshold (practical significance); its sign says regressed or improved,
   according to the benchmark's direction.
Benchmarks on one side only are `added` or `removed`. The suite's geometric mean is taken
over every benchmark present on both sides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workflows.compare import stats
from workflows.compare.options import CompareOptions
from workflows.compare.verdicts import Verdict, overall
from workflows.results import Benchmark, Direction, ResultSet

RANK_TEST = "mann-whitney-u"
SUMMARY_TEST = "welch-t-from-summary"
TOO_FEW = "too few samples for a verdict (base {b}, head {h}; at least {need} a side needed)"
UNREACHABLE = (
    "with {b} and {h} samples the rank test cannot reach p <= {alpha}: no verdict possible"
)
NO_RAW = "raw samples missing on {sides}: Welch's t-test on summary statistics (outlier-prone)"
NO_SPREAD = "no standard deviation on {sides}: no test possible"
ZERO_BASE = "the base value is 0: the relative change is undefined"
NOT_POSITIVE = "values <= 0: change measured on the raw scale, not as a ratio"


# Per-benchmark warnings that the suite-wide warnings already sum up, for the human reports.
SUMMED_UP = (TOO_FEW.split("(")[0], NO_RAW.split("{")[0])


class ComparisonError(ValueError):
    """The two result sets cannot be compared at all; the message names both sources."""


@dataclass(frozen=True)
class SideStats:
    """One side of one benchmark, as reports show it."""

    n: int
    median: float | None
    mean: float
    stddev: float | None
    iqr: float | None
    minimum: float | None
    maximum: float | None
    raw: bool  # False: only summary statistics were published

    @classmethod
    def of(cls, bench: Benchmark) -> SideStats:
        s = bench.stats()
        raw = not bench.summary_only
        return cls(s.n, s.median, s.mean, s.stddev, s.iqr, s.minimum, s.maximum, raw)

    @property
    def center(self) -> float:
        return self.median if self.median is not None else self.mean

    @property
    def relative_spread(self) -> float | None:
        """Robust spread as a share of the center: IQR/1.349 (a stddev for normal data) when
        raw samples exist, else stddev/mean."""
        if self.center == 0:
            return None
        if self.iqr is not None:
            return self.iqr / 1.349 / abs(self.center)
        return None if self.stddev is None else self.stddev / abs(self.center)


@dataclass(frozen=True)
class BenchmarkComparison:
    name: str
    unit: str
    direction: Direction
    verdict: Verdict
    base: SideStats | None
    head: SideStats | None
    change: float | None = None  # head vs base: 0.10 = the value grew by 10 %; inf from 0
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    method: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def badness(self) -> float:
        """log of the change oriented so that > 0 is worse: sorts and sizes changes the same
        way for times and throughputs."""
        if self.change is None:
            return 0.0
        if math.isinf(self.change) or self.change <= -1:
            value = math.inf
        else:
            value = abs(math.log1p(self.change))
        worse = (self.change > 0) == (self.direction is Direction.LOWER)
        return value if worse else -value


@dataclass(frozen=True)
class Comparison:
    base_source: str
    head_source: str
    options: CompareOptions
    benchmarks: tuple[BenchmarkComparison, ...]
    geomean_change: float | None  # > 0: worse overall (higher-is-better metrics inverted)
    warnings: tuple[str, ...] = ()
    base_metadata: Mapping[str, Any] = field(default_factory=dict)
    head_metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict:
        return overall([b.verdict for b in self.benchmarks])

    @property
    def counts(self) -> dict[Verdict, int]:
        return {v: sum(1 for b in self.benchmarks if b.verdict is v) for v in Verdict}

    @property
    def compared(self) -> int:
        return sum(1 for b in self.benchmarks if b.base is not None and b.head is not None)

    def changed(self) -> list[BenchmarkComparison]:
        """Regressions and improvements, the largest change first."""
        found = [b for b in self.benchmarks if b.verdict.is_change]
        return sorted(found, key=lambda b: abs(b.badness), reverse=True)

    def of(self, *verdicts: Verdict) -> list[BenchmarkComparison]:
        return [b for b in self.benchmarks if b.verdict in verdicts]


def decide(
    change: float | None, p_adjusted: float | None, direction: Direction, options: CompareOptions
) -> Verdict:
    """Statistically and practically significant, in which direction; else unchanged."""
    if change is None or p_adjusted is None or math.isnan(change):
        return Verdict.UNCHANGED
    if p_adjusted > options.alpha or abs(change) < options.threshold:
        return Verdict.UNCHANGED
    grew_worse = change > 0 if direction is Direction.LOWER else change < 0
    return Verdict.REGRESSED if grew_worse else Verdict.IMPROVED


@dataclass
class _Estimate:
    """A benchmark's numbers before the suite-wide adjustment."""

    change: float | None = None
    ci: tuple[float, float] | None = None
    p_value: float | None = None
    method: str | None = None
    warnings: list[str] = field(default_factory=list)
    rank_pair: tuple[np.ndarray, np.ndarray] | None = None  # p-value to come, batched


def _relative(difference: float, base_center: float) -> float:
    if base_center == 0:
        return 0.0 if difference == 0 else math.copysign(math.inf, difference)
    return difference / abs(base_center)


def _rank_estimate(base: Benchmark, head: Benchmark, options: CompareOptions) -> _Estimate:
    x = np.asarray(base.samples, dtype=float)
    y = np.asarray(head.samples, dtype=float)
    estimate = _Estimate(method=RANK_TEST, rank_pair=(x, y))
    if x.min() > 0 and y.min() > 0:
        shift = stats.hodges_lehmann(np.log(x), np.log(y), options.confidence)
        estimate.change = math.expm1(shift.estimate)
        estimate.ci = (math.expm1(shift.low), math.expm1(shift.high))
    else:
        shift = stats.hodges_lehmann(x, y, options.confidence)
        center = float(np.median(x))
        estimate.change = _relative(shift.estimate, center)
        if center != 0:
            estimate.ci = (_relative(shift.low, center), _relative(shift.high, center))
        estimate.warnings.append(ZERO_BASE if center == 0 else NOT_POSITIVE)
    if stats.smallest_rank_pvalue(x.size, y.size) > options.alpha:
        estimate.warnings.append(UNREACHABLE.format(b=x.size, h=y.size, alpha=options.alpha))
    return estimate


def _summary_estimate(base: Benchmark, head: Benchmark, options: CompareOptions) -> _Estimate:
    b, h = base.stats(), head.stats()
    missing = [side for side, bench in (("base", base), ("head", head)) if bench.summary_only]
    estimate = _Estimate(method=SUMMARY_TEST, warnings=[NO_RAW.format(sides=" and ".join(missing))])
    no_spread = [side for side, s in (("base", b), ("head", h)) if s.stddev is None]
    if no_spread:
        estimate.change = _relative(h.mean - b.mean, b.mean)
        estimate.warnings.append(NO_SPREAD.format(sides=" and ".join(no_spread)))
        return estimate
    if b.mean <= 0 or h.mean <= 0:
        estimate.change = _relative(h.mean - b.mean, b.mean)
        estimate.warnings.append(ZERO_BASE if b.mean == 0 else NOT_POSITIVE)
        return estimate
    test = stats.welch_from_summary(b, h, options.confidence)
    estimate.change = test.change.estimate
    estimate.ci = (test.change.low, test.change.high)
    estimate.p_value = test.p_value
    return estimate


def _estimate(base: Benchmark, head: Benchmark, options: CompareOptions) -> _Estimate:
    if base.count < options.min_samples or head.count < options.min_samples:
        b, h = base.stats(), head.stats()
        center_b = b.median if b.median is not None else b.mean
        center_h = h.median if h.median is not None else h.mean
        return _Estimate(
            change=_relative(center_h - center_b, center_b),
            warnings=[TOO_FEW.format(b=base.count, h=head.count, need=options.min_samples)],
        )
    if base.summary_only or head.summary_only:
        return _summary_estimate(base, head, options)
    return _rank_estimate(base, head, options)


def _check_comparable(name: str, base: Benchmark, head: Benchmark, sources: str) -> None:
    if base.unit != head.unit:
        raise ComparisonError(
            f"{sources}: benchmark {name!r} is in {base.unit} in base but {head.unit} in head"
        )
    if base.direction != head.direction:
        raise ComparisonError(
            f"{sources}: benchmark {name!r} is {base.direction}-is-better in base "
            f"but {head.direction}-is-better in head"
        )


def _names(names: list[str], most: int = 3) -> str:
    shown = ", ".join(repr(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "") or "none"


def _geomean(rows: list[BenchmarkComparison]) -> float | None:
    ratios = []
    for row in rows:
        if row.change is None or not math.isfinite(row.change) or row.change <= -1:
            continue
        ratio = 1 + row.change
        ratios.append(ratio if row.direction is Direction.LOWER else 1 / ratio)
    return stats.geometric_mean(ratios) - 1 if ratios else None


def compare(base: ResultSet, head: ResultSet, options: CompareOptions | None = None) -> Comparison:
    """Compare two result sets; ComparisonError if they share no benchmark or disagree on one's
    unit or direction."""
    options = options or CompareOptions()
    sources = f"{base.source} vs {head.source}"
    common = [name for name in base.benchmarks if name in head.benchmarks]
    if not common:
        raise ComparisonError(
            f"{sources}: no benchmark in common (base has {_names(list(base.benchmarks))}; "
            f"head has {_names(list(head.benchmarks))})"
        )
    estimates: dict[str, _Estimate] = {}
    for name in common:
        _check_comparable(name, base.benchmarks[name], head.benchmarks[name], sources)
        estimates[name] = _estimate(base.benchmarks[name], head.benchmarks[name], options)

    pairs = {name: e.rank_pair for name, e in estimates.items() if e.rank_pair is not None}
    for name, p in zip(pairs, stats.rank_pvalues(list(pairs.values())), strict=True):
        estimates[name].p_value = p
    tested = {name: e.p_value for name, e in estimates.items() if e.p_value is not None}
    adjusted = dict(zip(tested, stats.adjust(list(tested.values())), strict=True))

    rows: list[BenchmarkComparison] = []
    for name in base.benchmarks:
        bench = base.benchmarks[name]
        if name not in estimates:
            rows.append(_one_sided(bench, Verdict.REMOVED))
            continue
        e = estimates[name]
        p_adjusted = adjusted.get(name)
        rows.append(
            BenchmarkComparison(
                name=name,
                unit=bench.unit,
                direction=bench.direction,
                verdict=decide(e.change, p_adjusted, bench.direction, options),
                base=SideStats.of(bench),
                head=SideStats.of(head.benchmarks[name]),
                change=e.change,
                ci_low=e.ci[0] if e.ci else None,
                ci_high=e.ci[1] if e.ci else None,
                p_value=e.p_value,
                p_adjusted=p_adjusted,
                method=e.method,
                warnings=tuple(e.warnings),
            )
        )
    rows += [_one_sided(b, Verdict.ADDED) for n, b in head.benchmarks.items() if n not in estimates]
    both = [r for r in rows if r.base is not None and r.head is not None]
    return Comparison(
        base_source=base.source,
        head_source=head.source,
        options=options,
        benchmarks=tuple(rows),
        geomean_change=_geomean(both),
        warnings=tuple(_suite_warnings(rows)),
        base_metadata=base.metadata,
        head_metadata=head.metadata,
    )


def _one_sided(bench: Benchmark, verdict: Verdict) -> BenchmarkComparison:
    side = SideStats.of(bench)
    return BenchmarkComparison(
        name=bench.name,
        unit=bench.unit,
        direction=bench.direction,
        verdict=verdict,
        base=side if verdict is Verdict.REMOVED else None,
        head=side if verdict is Verdict.ADDED else None,
    )


def _suite_warnings(rows: list[BenchmarkComparison]) -> list[str]:
    found = []
    few = [r.name for r in rows if any(w.startswith("too few samples") for w in r.warnings)]
    if few:
        found.append(f"{len(few)} benchmark(s) had too few samples for a verdict: {_names(few)}")
    summary = [r.name for r in rows if r.method == SUMMARY_TEST]
    if summary:
        found.append(
            f"raw samples missing for {len(summary)} benchmark(s): compared from summary "
            f"statistics with Welch's t-test, which outliers can sway: {_names(summary)}"
        )
    for verdict in (Verdict.REMOVED, Verdict.ADDED):
        names = [r.name for r in rows if r.verdict is verdict]
        if names:
            where = "base" if verdict is Verdict.REMOVED else "head"
            found.append(f"{len(names)} benchmark(s) only in {where} ({verdict}): {_names(names)}")
    return found
