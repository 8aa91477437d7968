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
from dataclasses import dataclass, field, replace
from typing import Any

from workflows.compare import environment, metrics, stats
from workflows.compare.estimates import (
    NO_RAW,
    RANK_TEST,
    ROUNDS_TEST,
    SUMMARY_TEST,
    TOO_FEW,
    TOO_FEW_ROUNDS,
    Estimate,
    detectable_log,
    raw_estimate,
    summary_estimate,
    too_few_summary,
)
from workflows.compare.modes import Modes, describe, modes_of
from workflows.compare.options import CompareOptions
from workflows.compare.rules import settings_for
from workflows.compare.verdicts import Finding, Open, Verdict, overall
from workflows.results import Benchmark, Direction, ResultSet

__all__ = ["RANK_TEST", "ROUNDS_TEST", "SUMMARY_TEST", "Comparison", "compare", "decide"]

TAIL_FLOOR = 0.05  # a slow tail counts when head has 5 points more of its samples in it
TAIL_MIN = 3  # ... and at least this many slow samples
TAIL_GREW = (
    "slow tail grew: {head} of {head_n} head samples far beyond head's usual range, "
    "against {base} of {base_n} in base"
)
TAIL_ROUNDS = " (in {head_rounds} of {rounds} rounds, against {base_rounds} in base)"
TOO_NOISY = (
    "too noisy to judge: this run could only detect a change of {detectable}, above the "
    "threshold of {threshold}; about {needed} {units} a side would be needed"
)
TOO_NOISY_AT_ALL = (
    "too noisy to judge: with {have} {units} a side no change of any size could reach the "
    "significance this suite needs; about {needed} {units} a side would be needed"
)
TAIL_AGAINST_CENTRE = (
    "slow tail grew while the centre moved the better way ({change}): neither a regression "
    "nor an improvement can be claimed"
)
SET_ASIDE = "slow outliers set aside: {base} in base, {head} in head"
VISIBLE = 0.0005  # a relative change the reports show as other than ±0.0 %
SIGNS_DISAGREE = (
    "Change and the Base and Head columns disagree in sign: the test's estimate is {change}, "
    "the columns' centres differ by {centers} (the estimate weighs every pair of samples, "
    "the centres only the middle ones)"
)
CENTRES_OUTSIDE = (
    "Base and Head differ by {centers}, outside Change's interval ({change} is the test's "
    "estimate): the samples are not one shape shifted (two modes, or a spread that changed), "
    "so the estimate, which weighs every pair of samples, and the centres, which see only the "
    "middle ones, tell different things"
)
SAME_MEASUREMENT = "same measurement as {primary!r}: one test and one verdict for both"
OWN_SETTINGS = "own settings: {settings} (from rule {rules})"
NOT_COMPARABLE = "not comparable: {reason}; no verdict (rerun on one machine, or allow it)"
METRICS_DISAGREE = (
    "metrics disagree: {first} {first_verdict} ({first_change}), "
    "{second} {second_verdict} ({second_change})"
)
WAITING = "; more wall time with no more CPU time often means waiting: I/O, locks, the network"


# Per-benchmark warnings that the suite-wide warnings already sum up, for the human reports.
SUMMED_UP = (TOO_FEW.split("(")[0], NO_RAW.split("{")[0], "slow outliers set aside")


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
    rounds: int = 0  # distinct rounds the samples came from; 0: a single file of samples
    set_aside: int = 0  # slow outliers left out of the test and the estimate
    round_median: float | None = None  # median of the round medians
    round_center: float | None = None  # geometric mean of the paired round medians (tested)

    @classmethod
    def of(
        cls,
        bench: Benchmark,
        set_aside: int = 0,
        round_median: float | None = None,
        round_center: float | None = None,
    ) -> SideStats:
        s = bench.stats()
        raw = not bench.summary_only
        return cls(
            s.n, s.median, s.mean, s.stddev, s.iqr, s.minimum, s.maximum, raw,
            bench.round_count, set_aside, round_median, round_center,
        )  # fmt: skip

    @property
    def shown_center(self) -> float:
        """The centre the reports show beside Change: the one that goes with the test."""
        if self.round_center is not None:
            return self.round_center
        if self.round_median is not None:
            return self.round_median
        return self.center

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
    threshold: float | None = None  # the practical floor this benchmark was judged with
    detectable_change: float | None = None  # smallest change this run could detect; inf: none
    too_noisy: bool = False  # unchanged, but the run could not have seen a threshold-sized one
    needed: int | None = None  # rounds (or samples) a side that would make it judgeable
    paired_rounds: int | None = None  # rounds both sides ran, on the rounds path
    order_effect: float | None = None  # relative effect of running second, when modelled
    tail: Mapping[str, Any] | None = None  # slow outliers per side and their test
    settings: Mapping[str, Any] = field(default_factory=dict)  # per-benchmark rules applied
    measurement: str | None = None  # the benchmark whose measurement this metric shares
    confirmation: Mapping[str, Any] | None = None  # a flagged row's second measurement (confirm)
    reason: Open | None = None  # why an inconclusive row could not be judged
    finding: Finding | None = None  # what decided a change: the centre or a slow tail
    metric: str | None = None  # which metric of the benchmark these figures are (wall, cpu)
    beside: tuple[BenchmarkComparison, ...] = ()  # its other metrics, each judged alone
    in_verdict: bool = True  # False: shown beside, its p not in the suite's family
    modes: Modes | None = None  # a side whose processes fell into two modes

    @property
    def shown_p(self) -> float | None:
        """The adjusted p-value of the test that decided the verdict: the tail test's for a
        slow-tail finding, else the centre test's."""
        if self.finding is Finding.SLOW_TAIL and self.tail is not None:
            return self.tail.get("p_adjusted")
        return self.p_adjusted

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
    not_comparable: str | None = None  # why base and head cannot be compared (other machine)
    ignored: tuple[str, ...] = ()  # benchmarks a rule said to ignore
    base_results: ResultSet | None = None  # the inputs, for reports that draw every round
    head_results: ResultSet | None = None
    confirmation: Mapping[str, Any] | None = None  # the confirmation run, when one was judged
    measured: tuple[BenchmarkComparison, ...] = ()  # perfbot's own figures, shown, not judged
    busy: str | None = None  # the machine's load or steal was above what a run can bear

    @property
    def verdict(self) -> Verdict:
        return overall([b.verdict for b in self.benchmarks])

    @property
    def too_noisy(self) -> list[BenchmarkComparison]:
        return [b for b in self.benchmarks if b.too_noisy]

    @property
    def open(self) -> dict[Open, int]:
        """How many inconclusive benchmarks, by reason, in the order of `Open`."""
        found = {reason: 0 for reason in Open}
        for row in self.benchmarks:
            if row.verdict is Verdict.INCONCLUSIVE and row.reason is not None:
                found[row.reason] += 1
        return {reason: n for reason, n in found.items() if n}

    @property
    def counts(self) -> dict[Verdict, int]:
        return {v: sum(1 for b in self.benchmarks if b.verdict is v) for v in Verdict}

    @property
    def compared(self) -> int:
        return sum(1 for b in self.benchmarks if b.base is not None and b.head is not None)

    def changed(self) -> list[BenchmarkComparison]:
        """Regressions and improvements of the centre, the largest change first (slow-tail
        findings are `tails()`: their Change column is not what decided them)."""
        found = [
            b for b in self.benchmarks if b.verdict.is_change and b.finding is not Finding.SLOW_TAIL
        ]
        return sorted(found, key=lambda b: abs(b.badness), reverse=True)

    def tails(self) -> list[BenchmarkComparison]:
        """Benchmarks judged by their slow tail, in input order."""
        return [b for b in self.benchmarks if b.finding is Finding.SLOW_TAIL]

    def inconclusive(self) -> list[BenchmarkComparison]:
        """The benchmarks that could not be judged, grouped by reason in the order of `Open`."""
        rows = self.of(Verdict.INCONCLUSIVE)
        order = list(Open)
        return sorted(rows, key=lambda r: order.index(r.reason) if r.reason else len(order))

    def of(self, *verdicts: Verdict) -> list[BenchmarkComparison]:
        return [b for b in self.benchmarks if b.verdict in verdicts]


@dataclass(frozen=True)
class Judgement:
    """A benchmark's verdict with why it is open (inconclusive) or what decided it (a change)."""

    verdict: Verdict
    reason: Open | None = None
    finding: Finding | None = None


def _open(e: Estimate, threshold: float, level: float) -> Open | None:
    """Why a benchmark without a significant change cannot be called unchanged, if it cannot:
    no test ran (too few rounds or samples, or inputs that allow none), or the run could only
    have seen a change above the threshold."""
    if e.p_value is None:
        if any(w.startswith(TOO_FEW_ROUNDS.split("(")[0]) for w in e.warnings):
            return Open.TOO_FEW_ROUNDS
        if any(w.startswith(TOO_FEW.split("(")[0]) for w in e.warnings):
            return Open.TOO_FEW_SAMPLES
        return Open.NO_TEST
    log_detectable = detectable_log(e, level)
    if log_detectable is not None and log_detectable > math.log1p(threshold):
        return Open.TOO_NOISY
    return None


def _better_by(change: float | None, direction: Direction) -> float:
    """How far the centre moved the better way, as a relative change (0 when it got worse)."""
    if change is None or math.isnan(change):
        return 0.0
    better = -change if direction is Direction.LOWER else change
    return max(0.0, better)


def judge(
    e: Estimate,
    p_adjusted: float | None,
    tail_adjusted: float | None,
    direction: Direction,
    options: CompareOptions,
    *,
    threshold: float,
    level: float,
    not_comparable: str | None,
) -> Judgement:
    """The verdict of one benchmark. A significant centre change decides; else a slow tail that
    grew is a regression of its own kind, unless the centre moved the better way by at least
    the threshold (then neither is claimed: inconclusive); else unchanged when the run could
    have seen a threshold-sized change, inconclusive when it could not."""
    if not_comparable:
        return Judgement(Verdict.INCONCLUSIVE, Open.NOT_COMPARABLE)
    verdict = decide(e.change, p_adjusted, direction, options, threshold)
    if verdict.is_change:
        return Judgement(verdict, finding=Finding.CENTRE)
    if _tail_grew(e, tail_adjusted, options.alpha):
        if _better_by(e.change, direction) >= threshold:
            return Judgement(Verdict.INCONCLUSIVE, Open.MIXED)
        return Judgement(Verdict.REGRESSED, finding=Finding.SLOW_TAIL)
    reason = _open(e, threshold, level)
    return Judgement(Verdict.INCONCLUSIVE, reason) if reason else Judgement(Verdict.UNCHANGED)


def decide(
    change: float | None,
    p_adjusted: float | None,
    direction: Direction,
    options: CompareOptions,
    threshold: float | None = None,
) -> Verdict:
    """Statistically and practically significant, in which direction; else unchanged."""
    threshold = options.threshold if threshold is None else threshold
    if change is None or p_adjusted is None or math.isnan(change):
        return Verdict.UNCHANGED
    if p_adjusted > options.alpha or abs(change) < threshold:
        return Verdict.UNCHANGED
    grew_worse = change > 0 if direction is Direction.LOWER else change < 0
    return Verdict.REGRESSED if grew_worse else Verdict.IMPROVED


def _estimate(
    base: Benchmark,
    head: Benchmark,
    direction: Direction,
    head_second: Mapping[int, bool] | None,
    options: CompareOptions,
) -> Estimate:
    if base.summary_only or head.summary_only:
        return too_few_summary(base, head, options.min_samples) or summary_estimate(
            base, head, options.confidence
        )
    return raw_estimate(
        base, head, direction, head_second,
        min_samples=options.min_samples, alpha=options.alpha, confidence=options.confidence,
    )  # fmt: skip


def _with_direction(bench: Benchmark, direction: Direction) -> Benchmark:
    return bench if bench.direction is direction else replace(bench, direction=direction)


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


def _tail(estimate: Estimate, p_value: float | None, p_adjusted: float | None) -> dict | None:
    if estimate.tail is None:
        return None
    t = estimate.tail
    return {
        "base": t.base, "base_n": t.base_n, "head": t.head, "head_n": t.head_n,
        "rounds": t.rounds, "base_rounds": t.base_rounds, "head_rounds": t.head_rounds,
        "p_value": p_value, "p_adjusted": p_adjusted,
    }  # fmt: skip


def _tail_grew(estimate: Estimate, p_adjusted: float | None, alpha: float) -> bool:
    t = estimate.tail
    return (
        t is not None
        and p_adjusted is not None
        and p_adjusted <= alpha
        and t.head >= TAIL_MIN
        and t.head_share - t.base_share >= TAIL_FLOOR
    )


def _needed(estimate: Estimate, detectable: float, threshold: float, level: float) -> int | None:
    """Rounds (or samples) a side at which the detectable change would reach the threshold."""
    if threshold <= 0 or estimate.units <= 0:
        return None
    if math.isinf(detectable):
        n = estimate.units
        while n < 10_000 and stats.smallest_rank_pvalue(n, n) > level:
            n += 1
        return n
    return math.ceil(estimate.units * (detectable / math.log1p(threshold)) ** 2)


def _own_settings(settings: Mapping[str, Any]) -> str:
    shown = []
    if "threshold" in settings:
        shown.append(f"threshold {settings['threshold']:.0%}")
    if "direction" in settings:
        shown.append(f"{settings['direction']} is better")
    rules = ", ".join(repr(r) for r in settings.get("rules", []))
    return OWN_SETTINGS.format(settings=", ".join(shown) or "none", rules=rules)


def _percent(value: float) -> str:
    return f"{value:+.1%}"


def compare(base: ResultSet, head: ResultSet, options: CompareOptions | None = None) -> Comparison:
    """Compare two result sets; ComparisonError if they share no benchmark or disagree on one's
    unit or direction."""
    options = options or CompareOptions()
    sources = f"{base.source} vs {head.source}"
    names = [*base.benchmarks, *(n for n in head.benchmarks if n not in base.benchmarks)]
    settings = {name: settings_for(name, options.rules) for name in names}
    ignored = tuple(name for name in names if settings[name].get("ignore"))
    common = [n for n in base.benchmarks if n in head.benchmarks and n not in ignored]
    if not common:
        why = f" ({len(ignored)} ignored by the benchmark settings)" if ignored else ""
        raise ComparisonError(
            f"{sources}: no benchmark in common{why} (base has {_names(list(base.benchmarks))}; "
            f"head has {_names(list(head.benchmarks))})"
        )
    order = environment.head_second(head.metadata)
    sides: dict[str, tuple[Benchmark, Benchmark]] = {}
    estimates: dict[str, Estimate] = {}
    for name in common:
        direction = settings[name].get("direction", base.benchmarks[name].direction)
        pair = (
            _with_direction(base.benchmarks[name], direction),
            _with_direction(head.benchmarks[name], direction),
        )
        _check_comparable(name, *pair, sources)
        sides[name] = pair
        estimates[name] = _estimate(*pair, direction, order, options)

    pairs = {name: e.rank_pair for name, e in estimates.items() if e.rank_pair is not None}
    for name, p in zip(pairs, stats.rank_pvalues(list(pairs.values())), strict=True):
        estimates[name].p_value = p

    primary_of = {}
    for name in common:
        primary = sides[name][0].metadata.get("measurement")
        if primary and primary != name and primary in estimates:
            primary_of[name] = primary
    grouping = metrics.groups(common, base.benchmarks, settings)
    beside = {name for name, group in grouping.items() if name != group.decider}
    tested = {
        name: e.p_value
        for name, e in estimates.items()
        if e.p_value is not None and name not in primary_of and name not in beside
    }
    adjusted = dict(zip(tested, stats.adjust(list(tested.values())), strict=True))
    tails = {
        name: e.tail_p
        for name, e in estimates.items()
        if e.tail_p is not None and name not in primary_of and name not in beside
    }
    tails_adjusted = dict(zip(tails, stats.adjust(list(tails.values())), strict=True))
    level = options.alpha / max(1, len(tested))
    not_comparable = None
    if not options.allow_different_machines:
        not_comparable = environment.mismatch(base.metadata, head.metadata)

    verdicts: dict[str, Judgement] = {}
    for name in sorted(common, key=lambda n: n in primary_of):  # primaries first
        if name in primary_of:
            verdicts[name] = verdicts[primary_of[name]]
            continue
        if name in beside:  # a lone test, outside the family: its own reading, no verdict's
            verdicts[name] = judge(
                estimates[name], estimates[name].p_value, None, sides[name][0].direction,
                options, threshold=settings[name].get("threshold", options.threshold),
                level=options.alpha, not_comparable=not_comparable,
            )  # fmt: skip
            continue
        verdicts[name] = judge(
            estimates[name], adjusted.get(name), tails_adjusted.get(name),
            sides[name][0].direction, options,
            threshold=settings[name].get("threshold", options.threshold),
            level=level, not_comparable=not_comparable,
        )  # fmt: skip

    rows: list[BenchmarkComparison] = []
    for name in base.benchmarks:
        if name in ignored:
            continue
        if name not in estimates:
            rows.append(_one_sided(base.benchmarks[name], Verdict.REMOVED))
            continue
        rows.append(
            _row(
                name, sides[name], estimates[name], verdicts[name], settings[name],
                primary=primary_of.get(name),
                p_adjusted=adjusted.get(primary_of.get(name, name)),
                p_value=estimates[primary_of.get(name, name)].p_value,
                tail_p=(tails.get(name), tails_adjusted.get(name)),
                options=options, level=level, not_comparable=not_comparable,
            )
        )  # fmt: skip
    rows += [
        _one_sided(b, Verdict.ADDED)
        for n, b in head.benchmarks.items()
        if n not in estimates and n not in ignored and n not in base.benchmarks
    ]
    rows, measured = _with_metrics(rows, grouping)
    both = [r for r in rows if r.base is not None and r.head is not None and not r.measurement]
    warnings = _suite_warnings(rows)
    if not_comparable:
        warnings.insert(0, NOT_COMPARABLE.format(reason=not_comparable))
    if ignored:
        warnings.append(
            f"{len(ignored)} benchmark(s) ignored by the settings: {_names(list(ignored))}"
        )
    return Comparison(
        base_source=base.source,
        head_source=head.source,
        options=options,
        benchmarks=tuple(rows),
        geomean_change=_geomean(both),
        warnings=tuple(warnings),
        base_metadata=base.metadata,
        head_metadata=head.metadata,
        not_comparable=not_comparable,
        ignored=ignored,
        base_results=base,
        head_results=head,
        measured=measured,
        busy=environment.busy(base.metadata, head.metadata),
    )


def _with_metrics(
    rows: list[BenchmarkComparison], grouping: Mapping[str, metrics.Group]
) -> tuple[list[BenchmarkComparison], tuple[BenchmarkComparison, ...]]:
    """One row per benchmark with metrics, its deciding metric's, the others beside it; groups
    with no deciding metric (perfbot's own figures nobody chose) apart, under their primary."""
    by_name = {row.name: row for row in rows}
    kept: list[BenchmarkComparison] = []
    measured: list[BenchmarkComparison] = []
    for row in rows:
        group = grouping.get(row.name)
        if group is None:
            kept.append(row)
            continue
        lead = group.decider or group.primary
        if row.name != lead:
            continue
        others = tuple(
            replace(by_name[m], metric=group.labels[m], in_verdict=False)
            for m in group.others(lead)
            if m in by_name
        )
        warnings = list(row.warnings)
        if group.note:
            warnings.append(group.note)
        warnings += _disagreements(group.labels[lead], row, others)
        joined = replace(
            row, metric=group.labels[lead], beside=others, warnings=tuple(warnings),
            in_verdict=group.decider is not None,
        )  # fmt: skip
        (kept if group.decider is not None else measured).append(joined)
    return kept, tuple(measured)


JUDGED = (Verdict.REGRESSED, Verdict.IMPROVED, Verdict.UNCHANGED)


def _disagreements(
    lead: str, row: BenchmarkComparison, others: tuple[BenchmarkComparison, ...]
) -> list[str]:
    """Said, not hidden: one metric of a benchmark moved and another, judged too, did not (or
    moved the other way). Wall time up with CPU time flat is usually waiting, not work."""
    found = []
    for other in others:
        if row.verdict not in JUDGED or other.verdict not in JUDGED:
            continue
        if row.verdict is other.verdict:
            continue
        text = METRICS_DISAGREE.format(
            first=lead, first_verdict=row.verdict, first_change=_percent(row.change or 0.0),
            second=other.metric, second_verdict=other.verdict,
            second_change=_percent(other.change or 0.0),
        )  # fmt: skip
        wall = row if lead == metrics.WALL else other if other.metric == metrics.WALL else None
        cpu = row if lead == "cpu" else other if other.metric == "cpu" else None
        if (
            wall is not None
            and cpu is not None
            and wall.verdict is Verdict.REGRESSED
            and cpu.verdict is Verdict.UNCHANGED
        ):
            text += WAITING
        found.append(text)
    return found


def _row(
    name: str,
    pair: tuple[Benchmark, Benchmark],
    e: Estimate,
    judgement: Judgement,
    settings: Mapping[str, Any],
    *,
    primary: str | None,
    p_value: float | None,
    p_adjusted: float | None,
    tail_p: tuple[float | None, float | None],
    options: CompareOptions,
    level: float,
    not_comparable: str | None,
) -> BenchmarkComparison:
    base, head = pair
    verdict = judgement.verdict
    threshold = settings.get("threshold", options.threshold)
    warnings = list(e.warnings)
    if any(e.set_aside):
        warnings.append(SET_ASIDE.format(base=e.set_aside[0], head=e.set_aside[1]))
    if primary is None and _tail_grew(e, tail_p[1], options.alpha) and e.tail is not None:
        t = e.tail
        text = TAIL_GREW.format(base=t.base, base_n=t.base_n, head=t.head, head_n=t.head_n)
        if t.rounds:
            text += TAIL_ROUNDS.format(
                head_rounds=t.head_rounds, rounds=t.rounds, base_rounds=t.base_rounds
            )
        warnings.append(text)
        if judgement.reason is Open.MIXED:
            warnings.append(TAIL_AGAINST_CENTRE.format(change=_percent(e.change or 0.0)))
    if primary is not None:
        warnings.append(SAME_MEASUREMENT.format(primary=primary))
    if settings:
        warnings.append(_own_settings(settings))
    log_detectable = detectable_log(e, level)
    detectable = None if log_detectable is None else math.expm1(log_detectable)
    too_noisy = judgement.reason is Open.TOO_NOISY
    needed = None
    if too_noisy and log_detectable is not None:
        needed = _needed(e, log_detectable, threshold, level)
        warnings.append(_too_noisy(e, log_detectable, threshold, needed))
    modes = None
    if e.process_medians is not None and e.paired_rounds:
        modes = modes_of(e.process_medians, e.paired_rounds, threshold, level)
    if modes is not None:
        from workflows.compare.display import value  # display reads this module's types

        warnings.append(describe(modes, e.paired_rounds or 0, lambda v: value(v, base.unit)))
    medians = e.round_medians or (None, None)
    centers = e.round_centers or (None, None)
    sides = (
        SideStats.of(base, e.set_aside[0], medians[0], centers[0]),
        SideStats.of(head, e.set_aside[1], medians[1], centers[1]),
    )
    disagree = _centres_disagree(e.change, e.ci, sides[0].shown_center, sides[1].shown_center)
    if disagree and e.method is not None:
        warnings.append(disagree)
    return BenchmarkComparison(
        name=name,
        unit=base.unit,
        direction=base.direction,
        verdict=verdict,
        base=sides[0],
        head=sides[1],
        change=e.change,
        ci_low=e.ci[0] if e.ci else None,
        ci_high=e.ci[1] if e.ci else None,
        p_value=p_value,
        p_adjusted=p_adjusted,
        method=e.method,
        warnings=tuple(warnings),
        threshold=threshold,
        detectable_change=detectable,
        too_noisy=too_noisy,
        needed=needed,
        paired_rounds=e.paired_rounds,
        order_effect=e.order_effect,
        tail=_tail(e, *tail_p),
        settings={k: (str(v) if k == "direction" else v) for k, v in settings.items()},
        measurement=primary,
        reason=judgement.reason,
        finding=judgement.finding,
        modes=modes,
    )


def _percent(change: float) -> str:
    return f"{change * 100:+.1f} %"


def _centres_disagree(
    change: float | None, ci: tuple[float, float] | None, base: float, head: float
) -> str | None:
    """A note when Change and the Base and Head columns do not tell one story: they point
    different ways (a rank test's shift against two medians can), or the centres' ratio lies
    outside Change's interval. Said in the row's notes, never left for the reader."""
    if change is None or not math.isfinite(change) or base == 0:
        return None
    centers = head / base - 1
    if min(abs(change), abs(centers)) >= VISIBLE and (change > 0) != (centers > 0):
        return SIGNS_DISAGREE.format(change=_percent(change), centers=_percent(centers))
    if ci is None or ci[0] - VISIBLE <= centers <= ci[1] + VISIBLE:
        return None
    return CENTRES_OUTSIDE.format(change=_percent(change), centers=_percent(centers))


def _too_noisy(e: Estimate, log_detectable: float, threshold: float, needed: int | None) -> str:
    """The too-noisy warning; a test that cannot reach significance at all is said so in
    words, not as a change of infinite size."""
    units = "rounds" if e.method == ROUNDS_TEST else "samples"
    wanted = needed if needed is not None else "more"
    if math.isinf(log_detectable):
        return TOO_NOISY_AT_ALL.format(have=e.units, units=units, needed=wanted)
    return TOO_NOISY.format(
        detectable=f"{math.expm1(log_detectable) * 100:.1f} %",
        threshold=f"{threshold * 100:g} %",
        needed=wanted,
        units=units,
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
