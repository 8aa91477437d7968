"""The statistics behind a verdict, as pure functions on arrays.

- `rank_pvalues`: Mann-Whitney U (scipy), two-sided. Exact null distribution for small
  samples without ties (10 against 10 can reach p = 1e-5, where the normal approximation stops
  at 2e-4: with 40 benchmarks to correct for, that difference decides whether a clean change
  can be flagged at all); the tie-corrected normal approximation otherwise. Benchmarks with the
  same sample sizes are tested in one vectorised call, which keeps a 40-benchmark suite cheap.
- `hodges_lehmann`: the shift estimate that goes with the U test (median of all head-minus-base
  differences) and Moses' distribution-free interval for it. Computed on log values it is a
  ratio: robust to the occasional slow outlier, and symmetric for speed-ups and slow-downs.
- `welch_from_summary`: for inputs without raw samples, Welch's t-test from mean, stddev and
  count, with a delta-method interval for the ratio of means.
- `adjust`: Benjamini-Hochberg across the suite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workflows.results import Summary

EXACT_LIMIT = 50  # per side; scipy's exact distribution gets slow beyond, the normal one is good
THIN_TO = 1000  # per side, for the pairwise differences of very large samples


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


def smallest_rank_pvalue(n: int, m: int) -> float:
    """The smallest two-sided p-value the exact U test can give with n and m samples."""
    # int / int, not float: math.comb overflows a float from about 500 samples a side.
    return min(1.0, 2 / math.comb(n + m, n))


def rank_pvalues(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[float]:
    """Two-sided Mann-Whitney U p-values, one per (base, head) pair."""
    from scipy.stats import mannwhitneyu

    pvalues = [1.0] * len(pairs)
    groups: dict[tuple[int, int, str], list[int]] = {}
    for index, (x, y) in enumerate(pairs):
        distinct = np.unique(np.concatenate([x, y])).size
        if distinct == 1:
            continue  # every value equal on both sides: no evidence of anything
        exact = distinct == x.size + y.size and max(x.size, y.size) <= EXACT_LIMIT
        groups.setdefault((x.size, y.size, "exact" if exact else "asymptotic"), []).append(index)
    for (_, _, method), members in groups.items():
        base = np.stack([pairs[i][0] for i in members])
        head = np.stack([pairs[i][1] for i in members])
        result = mannwhitneyu(base, head, axis=1, method=method, alternative="two-sided")
        for index, p in zip(members, np.atleast_1d(result.pvalue), strict=True):
            pvalues[index] = float(p)
    return pvalues


def _thin(values: np.ndarray) -> np.ndarray:
    """At most THIN_TO evenly spaced order statistics: the pairwise differences of two samples
    of 100,000 would not fit in memory, and their quantiles barely move when thinned."""
    ordered = np.sort(values)
    if ordered.size <= THIN_TO:
        return ordered
    return np.quantile(ordered, np.linspace(0.0, 1.0, THIN_TO))


def hodges_lehmann(x: np.ndarray, y: np.ndarray, confidence: float) -> Interval:
    """Shift of y against x (median of y_j - x_i) with Moses' interval at `confidence`.

    The interval's ends are order statistics of the differences at the rank test's critical
    value (normal approximation), so it excludes 0 about when the U test rejects."""
    from scipy.special import ndtri

    n, m = x.size, y.size
    differences = np.subtract.outer(_thin(y), _thin(x)).ravel()
    differences.sort()
    estimate = float(np.median(differences))
    z = float(ndtri(0.5 + confidence / 2))
    k = math.floor(n * m / 2 - z * math.sqrt(n * m * (n + m + 1) / 12))  # 1-based rank
    if k < 1:
        return Interval(estimate, float(differences[0]), float(differences[-1]))
    if differences.size == n * m:
        return Interval(estimate, float(differences[k - 1]), float(differences[n * m - k]))
    low, high = np.quantile(differences, [k / (n * m), 1 - k / (n * m)])
    return Interval(estimate, float(low), float(high))


@dataclass(frozen=True)
class SummaryTest:
    change: Interval  # relative change of the mean (0.1: head's mean is 10 % higher)
    p_value: float


def welch_from_summary(base: Summary, head: Summary, confidence: float) -> SummaryTest:
    """Welch's t-test from (mean, stddev, n) of each side; both means must be positive and both
    stddevs known. The interval is exp(log ratio +- t * se) with the delta-method se."""
    from scipy.stats import t as student_t
    from scipy.stats import ttest_ind_from_stats

    if base.stddev is None or head.stddev is None:
        raise ValueError("Welch's t-test needs the standard deviation of both sides")
    ratio = head.mean / base.mean
    var_b = (base.stddev / base.mean) ** 2 / base.n
    var_h = (head.stddev / head.mean) ** 2 / head.n
    se = math.sqrt(var_b + var_h)
    if se == 0.0:  # no spread at all: the means are the values
        p = 1.0 if head.mean == base.mean else 0.0
        return SummaryTest(Interval(ratio - 1, ratio - 1, ratio - 1), p)
    df = (var_b + var_h) ** 2 / (var_b**2 / (base.n - 1) + var_h**2 / (head.n - 1))
    q = float(student_t.ppf(0.5 + confidence / 2, df))
    result = ttest_ind_from_stats(
        head.mean, head.stddev, head.n, base.mean, base.stddev, base.n, equal_var=False
    )
    interval = Interval(ratio - 1, ratio * math.exp(-q * se) - 1, ratio * math.exp(q * se) - 1)
    return SummaryTest(interval, float(result.pvalue))


def adjust(pvalues: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (compare each with alpha)."""
    if not pvalues:
        return []
    from scipy.stats import false_discovery_control

    return [float(p) for p in false_discovery_control(np.asarray(pvalues, dtype=float))]


def geometric_mean(ratios: Sequence[float]) -> float:
    return math.exp(math.fsum(math.log(r) for r in ratios) / len(ratios))
