"""The statistics behind a verdict, as pure functions on arrays.

- `rank_pvalues`: Mann-Whitney U, two-sided, exact for small samples (10 against 10 can reach
  p = 1e-5, where the normal approximation stops at 2e-4: with 40 benchmarks to correct for,
  that difference decides whether a clean change can be flagged at all). Without ties scipy's
  exact distribution, in one vectorised call per pair of sample sizes; with ties (go test's
  three significant digits make them common) the exact permutation distribution of the
  mid-rank sum (`tied_rank_pvalue`); the tie-corrected normal approximation beyond 50 a side.
- `paired_rounds`: for samples measured in rounds, the test on per-round log ratios (head's
  round median over base's of the same round). A round's machine state is shared by both
  sides, so pairing removes it; the order of the sides within each round enters as a second
  term when both orders occur, so a warm-up effect neither biases the estimate nor counts as
  noise. Student's t on the ratios (a rank test on ten pairs cannot go below p = 0.002, too
  coarse for a suite-wide correction over 40 benchmarks).
- `tail_rounds_pvalue`: for samples in rounds, does head have a larger share of slow samples
  than base, round by round (one-sided paired t over rounds)? `tail_pvalue`: for a single file
  a side, Fisher's exact test, one-sided, on the samples.
- `detectable_change`: the smallest change a test of this run's noise and size would find
  with 80 % power at a given level.
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


def tied_rank_pvalue(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided exact p-value of the rank-sum test with ties: the permutation distribution of
    the sum of x's mid-ranks, counted by dynamic programming over doubled (integer) mid-ranks,
    so every split of the pooled values into n and m is weighed once, ties and all."""
    from scipy.stats import rankdata

    n = x.size
    doubled = np.rint(2 * rankdata(np.concatenate([x, y]))).astype(np.int64)
    top = int(doubled.sum())
    ways = np.zeros((n + 1, top + 1))
    ways[0, 0] = 1.0
    for score in doubled:
        ways[1:, score:] += ways[:-1, : top + 1 - score].copy()
    distribution = ways[n] / ways[n].sum()
    sums = np.arange(top + 1)
    expected = n * (doubled.size + 1)  # doubled: 2 * n * (N + 1) / 2
    observed = abs(int(doubled[:n].sum()) - expected)
    return float(min(1.0, distribution[np.abs(sums - expected) >= observed - 1e-9].sum()))


def rank_pvalues(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[float]:
    """Two-sided Mann-Whitney U p-values, one per (base, head) pair."""
    pvalues = [1.0] * len(pairs)
    groups: dict[tuple[int, int, str], list[int]] = {}
    for index, (x, y) in enumerate(pairs):
        distinct = np.unique(np.concatenate([x, y])).size
        if distinct == 1:
            continue  # every value equal on both sides: no evidence of anything
        small = max(x.size, y.size) <= EXACT_LIMIT
        if small and distinct < x.size + y.size:
            pvalues[index] = tied_rank_pvalue(x, y)
            continue
        groups.setdefault((x.size, y.size, "exact" if small else "asymptotic"), []).append(index)
    if groups:  # scipy.stats costs a compare step most of a second to import: only if needed
        from scipy.stats import mannwhitneyu
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


@dataclass(frozen=True)
class PairedTest:
    change: Interval  # of the mean log ratio (head over base)
    p_value: float
    standard_error: float
    df: int
    order_effect: float | None  # log ratio added when head runs second; None if not modelled


def paired_rounds(
    ratios: np.ndarray, head_second: np.ndarray | None, confidence: float
) -> PairedTest:
    """Student's t on per-round log ratios; with `head_second` (1 where head ran second in its
    round, 0 where first) and both orders seen at least twice, the order effect is a second
    term of a least-squares fit (the AB/BA crossover analysis)."""
    from scipy.special import stdtr, stdtrit

    n = ratios.size
    columns = [np.ones(n)]
    modelled = head_second is not None and 2 <= int(head_second.sum()) <= n - 2
    if modelled:
        assert head_second is not None
        columns.append(head_second - head_second.mean())  # centred: the intercept stays the mean
    design = np.column_stack(columns)
    coefficients, *_ = np.linalg.lstsq(design, ratios, rcond=None)
    df = n - design.shape[1]
    residuals = ratios - design @ coefficients
    variance = float(residuals @ residuals) / df if df > 0 else math.inf
    covariance = variance * np.linalg.inv(design.T @ design)
    estimate = float(coefficients[0])
    se = math.sqrt(float(covariance[0, 0]))
    if se == 0.0:
        p = 1.0 if estimate == 0.0 else 0.0
        spread = 0.0
    else:
        p = float(2 * stdtr(df, -abs(estimate) / se))
        spread = float(stdtrit(df, 0.5 + confidence / 2)) * se
    order = float(coefficients[1]) if modelled else None
    return PairedTest(Interval(estimate, estimate - spread, estimate + spread), p, se, df, order)


def tail_pvalue(base_beyond: int, base_n: int, head_beyond: int, head_n: int) -> float:
    """One-sided Fisher's exact test that head has a larger share of slow outliers than base:
    the hypergeometric chance that head gets at least `head_beyond` of all the slow samples.

    Summed in log space (log-gamma, then log-sum-exp) rather than over exact big integers:
    `math.comb` of 40,000 has 12,000 digits, and a suite of 20,000-sample benchmarks spent
    minutes there; the log-space sum agrees to about 1e-12."""
    from scipy.special import gammaln, logsumexp

    total, slow = base_n + head_n, base_beyond + head_beyond
    last = min(slow, head_n)
    if head_beyond > last:
        return 0.0
    if head_beyond <= max(0, head_n - (total - slow)):
        return 1.0  # every possible split has at least this many in head

    def log_comb(n: float, k: np.ndarray | float) -> np.ndarray:
        return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)

    k = np.arange(head_beyond, last + 1, dtype=float)
    terms = log_comb(slow, k) + log_comb(total - slow, head_n - k) - log_comb(total, head_n)
    return float(min(1.0, math.exp(logsumexp(terms))))


def tail_rounds_pvalue(excess: np.ndarray) -> float:
    """One-sided paired t-test that head's share of slow samples exceeds base's, over rounds:
    `excess` is, per round both sides ran, head's share minus base's. A busy moment slows the
    samples of one round together, so a round, not a sample, is the independent unit; with
    hundreds of samples a round, a test on pooled samples finds "significance" in one bad
    round."""
    from scipy.special import stdtr

    n = excess.size
    if n < 2:
        return 1.0
    mean = float(excess.mean())
    spread = float(excess.std(ddof=1))
    if spread == 0.0:
        return 0.0 if mean > 0 else 1.0
    return float(stdtr(n - 1, -mean / (spread / math.sqrt(n))))


POWER = 0.8


def detectable_change(
    standard_error: float, level: float, df: int | None = None, efficiency: float = 1.0
) -> float:
    """Smallest log change found with POWER at two-sided `level` by a test whose estimate has
    this standard error (Student's t with `df`, or normal; `efficiency` < 1 for a rank test)."""
    from scipy.special import ndtri, stdtrit

    if df is None:
        z = float(ndtri(1 - level / 2) + ndtri(POWER))
    else:
        z = float(stdtrit(df, 1 - level / 2) + stdtrit(df, POWER))
    return z * standard_error / math.sqrt(efficiency)


def adjust(pvalues: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (compare each with alpha): p times m over its rank,
    made monotone from the largest down (scipy's `false_discovery_control`, without importing
    scipy.stats, which costs a compare step half a second)."""
    if not pvalues:
        return []
    values = np.asarray(pvalues, dtype=float)
    order = np.argsort(values)
    scaled = values[order] * values.size / np.arange(1, values.size + 1)
    monotone = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty_like(values)
    adjusted[order] = np.minimum(monotone, 1.0)
    return [float(p) for p in adjusted]


def geometric_mean(ratios: Sequence[float]) -> float:
    return math.exp(math.fsum(math.log(r) for r in ratios) / len(ratios))
