"""One benchmark's change, interval and p-value, from the experiment that measured it.

Three paths, by what the inputs hold:
- **rounds** (both sides measured in two or more rounds: a directory of round files, or
  perfbot's format with `rounds`): a round's samples share its machine state, so the unit of
  the test is the round. Slow outliers are set aside per side, each round's kept samples give
  one median per side, and the per-round log ratios of the rounds both sides ran are tested
  with `stats.paired_rounds` (the order of sides within the round modelled when known).
- **samples** (a single file a side): the samples are taken as independent; slow outliers set
  aside, then the Hodges-Lehmann shift of the log values with Moses' interval and the exact
  Mann-Whitney U test (its p-value is computed for the whole suite at once, in `engine`).
- **summary** (raw samples missing on a side): Welch's t-test from the published statistics.

Each path also says what the run could have seen: the smallest change it would detect with
80 % power at the level a lone change must reach in this suite (`detectable_log`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from workflows.compare import outliers, stats
from workflows.results import Benchmark, Direction
from workflows.results.model import ROUND_SUMMARIES

RANK_TEST = "mann-whitney-u"
ROUNDS_TEST = "paired-rounds-t"
SUMMARY_TEST = "welch-t-from-summary"
RANK_EFFICIENCY = 3 / math.pi  # the U test's efficiency against the t test on normal data

TOO_FEW = "too few samples for a verdict (base {b}, head {h}; at least {need} a side needed)"
TOO_FEW_ROUNDS = "too few rounds for a verdict ({paired} run by both sides; at least {need} needed)"
UNREACHABLE = (
    "with {b} and {h} samples the rank test cannot reach p <= {alpha}: no verdict possible"
)
NO_RAW = "raw samples missing on {sides}: Welch's t-test on summary statistics (outlier-prone)"
NO_SPREAD = "no standard deviation on {sides}: no test possible"
ZERO_BASE = "the base value is 0: the relative change is undefined"
NOT_POSITIVE = "values <= 0: change measured on the raw scale, not as a ratio"
FROM_ROUND_SUMMARIES = "each round published only summary statistics: one value per round"


@dataclass
class Estimate:
    """A benchmark's numbers before the suite-wide adjustment."""

    change: float | None = None
    ci: tuple[float, float] | None = None
    p_value: float | None = None
    method: str | None = None
    warnings: list[str] = field(default_factory=list)
    rank_pair: tuple[np.ndarray, np.ndarray] | None = None  # p-value to come, batched
    standard_error: float | None = None  # of the log change, for the detectable change
    df: int | None = None  # None: normal reference (rank test)
    efficiency: float = 1.0
    units: int = 0  # rounds (rounds path) or samples a side (samples path) in the test
    set_aside: tuple[int, int] = (0, 0)
    tail: outliers.TailCounts | None = None
    tail_p: float | None = None  # the slow-tail test's own p-value (one-sided)
    rounds: tuple[int, int] = (0, 0)  # distinct rounds per side
    paired_rounds: int | None = None
    order_effect: float | None = None
    round_medians: tuple[float, float] | None = None  # median of the round medians per side
    round_centers: tuple[float, float] | None = None  # geometric mean of the paired rounds'
    # each side's process medians (log), one per round and process: where modes show
    process_medians: tuple[np.ndarray, np.ndarray] | None = None


def relative(difference: float, base_center: float) -> float:
    if base_center == 0:
        return 0.0 if difference == 0 else math.copysign(math.inf, difference)
    return difference / abs(base_center)


def slow_sign(direction: Direction) -> int:
    return 1 if direction is Direction.LOWER else -1


MEDIANS_ONE_BY_ONE = 200  # groups up to which each median is its own partition

ProcessMedians = dict[tuple[int, int], float]


def _medians(values: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """The first index of each group of `keys` (sorted) and the median of its `values`."""
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    if first.size <= MEDIANS_ONE_BY_ONE:
        found = [float(np.median(values[a : a + c])) for a, c in zip(first, counts, strict=True)]
        return first, found
    # many small groups: one more sort, by group then value, beats a call per group
    ordered = values[np.lexsort((values, keys))]
    middle = (ordered[first + (counts - 1) // 2] + ordered[first + counts // 2]) / 2
    return first, middle.tolist()


def _process_medians(
    bench: Benchmark, logs: np.ndarray, keep: np.ndarray
) -> tuple[ProcessMedians, ProcessMedians]:
    """(round, process) -> the median of that process's kept samples (log), and of all its
    samples. With one process a round, the process is 1 and these are the round's medians.
    Sorted once by group (integer keys: a radix sort), each median read off its segment."""
    rounds, processes = bench.round_numbers, bench.process_numbers
    keys = rounds * (int(processes.max(initial=1)) + 1) + processes
    order = np.argsort(keys, kind="stable")
    keys, values, kept = keys[order], logs[order], keep[order]
    rounds, processes = rounds[order], processes[order]
    found = []
    for mask in (kept, None):
        chosen = slice(None) if mask is None else mask
        first, medians = _medians(values[chosen], keys[chosen])
        at = zip(rounds[chosen][first], processes[chosen][first], medians, strict=True)
        found.append({(int(r), int(p)): m for r, p, m in at})
    return found[0], found[1]


def _round_values(medians: dict[tuple[int, int], float]) -> dict[int, float]:
    """Each round's value: the mean of its processes' medians (log), so each process, a draw
    of its own, weighs the same however many samples it gave. Processes are nested in rounds,
    and for a balanced design the mixed model's test of the side effect is the paired test
    of these round means; the median of a few processes' medians would still follow the
    majority's mode, so it averages nothing when the modes are about as likely."""
    by_round: dict[int, list[float]] = {}
    for (round_number, _), value in medians.items():
        by_round.setdefault(round_number, []).append(value)
    return {r: float(np.mean(values)) for r, values in sorted(by_round.items())}


def _rounds_estimate(
    base: Benchmark,
    head: Benchmark,
    lx: np.ndarray,
    ly: np.ndarray,
    keep: tuple[np.ndarray, np.ndarray],
    head_second: Mapping[int, bool] | None,
    estimate: Estimate,
    min_rounds: int,
    confidence: float,
) -> Estimate:
    base_processes, base_all = _process_medians(base, lx, keep[0])
    head_processes, head_all = _process_medians(head, ly, keep[1])
    # Modes are looked for among all samples: a slow mode drawn by few processes is exactly
    # what the side-wide outlier rule would set aside.
    estimate.process_medians = (
        np.array(list(base_all.values())),
        np.array(list(head_all.values())),
    )
    base_rounds = _round_values(base_processes)
    head_rounds = _round_values(head_processes)
    both = sorted(set(base_rounds) & set(head_rounds))
    estimate.paired_rounds = len(both)
    estimate.units = len(both)
    estimate.round_medians = (
        math.exp(float(np.median(list(base_rounds.values())))),
        math.exp(float(np.median(list(head_rounds.values())))),
    )
    if len(both) < min_rounds:
        center = np.median(list(head_rounds.values())) - np.median(list(base_rounds.values()))
        estimate.change = math.expm1(float(center))
        estimate.warnings.append(TOO_FEW_ROUNDS.format(paired=len(both), need=min_rounds))
        return estimate
    ratios = np.array([head_rounds[r] - base_rounds[r] for r in both])
    # What Base and Head show: the geometric means of the paired rounds' medians, whose ratio
    # is the mean per-round ratio the test estimates (the order term is centred), so Change
    # never contradicts them; the medians of the round medians could.
    estimate.round_centers = (
        math.exp(float(np.mean([base_rounds[r] for r in both]))),
        math.exp(float(np.mean([head_rounds[r] for r in both]))),
    )
    order = None
    if head_second is not None and all(r in head_second for r in both):
        order = np.array([1.0 if head_second[r] else 0.0 for r in both])
    test = stats.paired_rounds(ratios, order, confidence)
    estimate.method = ROUNDS_TEST
    estimate.change = math.expm1(test.change.estimate)
    estimate.ci = (math.expm1(test.change.low), math.expm1(test.change.high))
    estimate.p_value = test.p_value
    estimate.standard_error = test.standard_error
    estimate.df = test.df
    if test.order_effect is not None:
        estimate.order_effect = math.expm1(test.order_effect)
    return estimate


def _samples_estimate(
    x: np.ndarray, y: np.ndarray, keep: tuple[np.ndarray, np.ndarray], estimate: Estimate,
    min_samples: int, alpha: float, confidence: float,
) -> Estimate:  # fmt: skip
    lx, ly = np.log(x[keep[0]]), np.log(y[keep[1]])
    estimate.units = min(lx.size, ly.size)
    if lx.size < min_samples or ly.size < min_samples:
        estimate.change = math.expm1(float(np.median(ly) - np.median(lx)))
        estimate.warnings.append(TOO_FEW.format(b=lx.size, h=ly.size, need=min_samples))
        return estimate
    estimate.method = RANK_TEST
    estimate.rank_pair = (lx, ly)
    shift = stats.hodges_lehmann(lx, ly, confidence)
    estimate.change = math.expm1(shift.estimate)
    estimate.ci = (math.expm1(shift.low), math.expm1(shift.high))
    centred = np.concatenate([lx - np.median(lx), ly - np.median(ly)])
    spread = float(np.median(np.abs(centred))) * outliers.MAD_TO_SD
    estimate.standard_error = spread * math.sqrt(1 / lx.size + 1 / ly.size)
    estimate.efficiency = RANK_EFFICIENCY
    if stats.smallest_rank_pvalue(lx.size, ly.size) > alpha:
        estimate.warnings.append(UNREACHABLE.format(b=lx.size, h=ly.size, alpha=alpha))
    return estimate


def _raw_scale_estimate(
    base: Benchmark, head: Benchmark, min_samples: int, confidence: float
) -> Estimate:
    """Values of 0 or below (a counter, a signed delta): no ratio, no log; today's rank test on
    the raw values, no outliers set aside."""
    x = base.values
    y = head.values
    if x.size < min_samples or y.size < min_samples:
        change = relative(float(np.median(y) - np.median(x)), float(np.median(x)))
        return Estimate(
            change=change, warnings=[TOO_FEW.format(b=x.size, h=y.size, need=min_samples)]
        )
    estimate = Estimate(method=RANK_TEST, rank_pair=(x, y), units=min(x.size, y.size))
    shift = stats.hodges_lehmann(x, y, confidence)
    center = float(np.median(x))
    estimate.change = relative(shift.estimate, center)
    if center != 0:
        estimate.ci = (relative(shift.low, center), relative(shift.high, center))
    estimate.warnings.append(ZERO_BASE if center == 0 else NOT_POSITIVE)
    return estimate


def _slow_outliers(bench: Benchmark, logs: np.ndarray, slow: int) -> np.ndarray:
    """The side's slow outliers; with several processes a round, each sample against its own
    process's usual range: a process in the slow mode is a draw to weigh, not a burst of slow
    samples to set aside."""
    if not bench.processes:
        return outliers.slow_outliers(logs, slow)
    found = np.zeros(logs.size, dtype=bool)
    groups = bench.round_numbers * (int(bench.process_numbers.max()) + 1) + bench.process_numbers
    for group in np.unique(groups):
        where = groups == group
        found[where] = outliers.slow_outliers(logs[where], slow)
    return found


def raw_estimate(
    base: Benchmark,
    head: Benchmark,
    direction: Direction,
    head_second: Mapping[int, bool] | None,
    *,
    min_samples: int,
    alpha: float,
    confidence: float,
) -> Estimate:
    x = base.values
    y = head.values
    if x.min() <= 0 or y.min() <= 0:
        return _raw_scale_estimate(base, head, min_samples, confidence)
    lx, ly = np.log(x), np.log(y)
    slow = slow_sign(direction)
    keep = (~_slow_outliers(base, lx, slow), ~_slow_outliers(head, ly, slow))
    estimate = Estimate(
        set_aside=(int((~keep[0]).sum()), int((~keep[1]).sum())),
        rounds=(base.round_count, head.round_count),
    )
    if base.metadata.get(ROUND_SUMMARIES) or head.metadata.get(ROUND_SUMMARIES):
        estimate.warnings.append(FROM_ROUND_SUMMARIES)
    if base.round_count >= 2 and head.round_count >= 2:
        found = outliers.round_tail_counts((lx, base.round_numbers), (ly, head.round_numbers), slow)
        if found is not None:
            estimate.tail, excess = found
            estimate.tail_p = stats.tail_rounds_pvalue(excess)
        return _rounds_estimate(
            base, head, lx, ly, keep, head_second, estimate, min_samples, confidence
        )
    estimate.tail = outliers.tail_counts(lx, ly, slow)
    if estimate.tail is not None:
        t = estimate.tail
        estimate.tail_p = stats.tail_pvalue(t.base, t.base_n, t.head, t.head_n)
    return _samples_estimate(x, y, keep, estimate, min_samples, alpha, confidence)


def summary_estimate(base: Benchmark, head: Benchmark, confidence: float) -> Estimate:
    b, h = base.stats(), head.stats()
    missing = [side for side, bench in (("base", base), ("head", head)) if bench.summary_only]
    estimate = Estimate(method=SUMMARY_TEST, warnings=[NO_RAW.format(sides=" and ".join(missing))])
    no_spread = [side for side, s in (("base", b), ("head", h)) if s.stddev is None]
    if no_spread:
        estimate.change = relative(h.mean - b.mean, b.mean)
        estimate.warnings.append(NO_SPREAD.format(sides=" and ".join(no_spread)))
        return estimate
    if b.mean <= 0 or h.mean <= 0:
        estimate.change = relative(h.mean - b.mean, b.mean)
        estimate.warnings.append(ZERO_BASE if b.mean == 0 else NOT_POSITIVE)
        return estimate
    test = stats.welch_from_summary(b, h, confidence)
    estimate.change = test.change.estimate
    estimate.ci = (test.change.low, test.change.high)
    estimate.p_value = test.p_value
    return estimate


def too_few_summary(base: Benchmark, head: Benchmark, min_samples: int) -> Estimate | None:
    """Summary-only inputs with fewer than `min_samples` a side: no test, said plainly."""
    if base.count >= min_samples and head.count >= min_samples:
        return None
    b, h = base.stats(), head.stats()
    center_b = b.median if b.median is not None else b.mean
    center_h = h.median if h.median is not None else h.mean
    return Estimate(
        change=relative(center_h - center_b, center_b),
        warnings=[TOO_FEW.format(b=base.count, h=head.count, need=min_samples)],
    )


def detectable_log(estimate: Estimate, level: float) -> float | None:
    """The smallest log change this benchmark's test would find with 80 % power at `level`;
    inf when the test cannot reach the level at all; None without a test."""
    if estimate.standard_error is None or estimate.method is None:
        return None
    if estimate.method == RANK_TEST and estimate.rank_pair is not None:
        x, y = estimate.rank_pair
        if stats.smallest_rank_pvalue(x.size, y.size) > level:
            return math.inf
    return stats.detectable_change(estimate.standard_error, level, estimate.df, estimate.efficiency)
