"""E-Divisive means (Matteson and James, 2014) with a permutation significance test.

This is the algorithm MongoDB chose for its continuous performance runs (Daly et al., "Change
Point Detection in Software Performance Testing", ICPE 2020), which lives on in Apache Otava
and MongoDB's `signal-processing-algorithms`. Neither package can be a runtime dependency here:
the latter needs numpy < 2 and the former pins numpy 2.2 and scipy < 1.17 and brings cloud
clients (BigQuery, Slack, pg8000) with it, while the image locks newer numpy and scipy. The
algorithm is short, so it is written out here; `bench/change_points.py` measures it against
both packages.

How it works:
- The statistic of a split of a segment into X (before) and Y (after) is the energy distance
  between them, scaled by the sizes: Q = mk/(m+k) * (2 E|X-Y| - E|X-X'| - E|Y-Y'|). It compares
  whole distributions with absolute differences, not squares, so one slow outlier moves it
  little, and it assumes no distribution of the noise.
- Every split of a segment is scored at once from 2-D prefix sums of the segment's distance
  matrix (O(n^2) for the segment, not per split).
- Bisection: of all current segments, the best split overall is tested; if significant, it
  becomes a change point and both halves are searched again; the first split that is not
  significant ends the search (Matteson and James's stopping rule).
- Significance: the segment is shuffled `permutations` times and the best split of each
  shuffle scored; the p-value is (1 + shuffles that score at least as high) / (1 +
  shuffles). The shuffles stop early once the split cannot be significant any more, which
  makes the common case (noise) cheap.
- The random generator is seeded, so one series always gives the same change points: the CLI
  and the dashboard agree, and a page reload does not move them.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

MIN_SIZE = 5  # fewest runs on either side of a change point: fewer have no level to speak of
PERMUTATIONS = 199
MAX_P_VALUE = 0.01
SEED = 29


@dataclass(frozen=True)
class Split:
    index: int  # the first run after the change
    p_value: float
    score: float  # Q, the scaled energy distance of the two sides within their segment


def best_split(values: np.ndarray, *, min_size: int = MIN_SIZE) -> tuple[int, float] | None:
    """(index, Q) of the best split of `values` leaving `min_size` on each side, or None."""
    n = len(values)
    if n < 2 * min_size or min_size < 2:
        return None
    distances = np.abs(values[:, None] - values[None, :])
    prefix = np.zeros((n + 1, n + 1))
    prefix[1:, 1:] = distances.cumsum(0).cumsum(1)
    taus = np.arange(min_size, n - min_size + 1)
    m = taus.astype(float)
    k = n - m
    within_x = prefix[taus, taus]
    between = prefix[taus, n] - within_x
    within_y = prefix[n, n] - 2 * prefix[taus, n] + within_x
    energy = 2 * between / (m * k) - within_x / (m * (m - 1)) - within_y / (k * (k - 1))
    scores = m * k / (m + k) * energy
    best = int(np.argmax(scores))
    return int(taus[best]), float(scores[best])


def p_value(
    values: np.ndarray,
    score: float,
    rng: np.random.Generator,
    *,
    min_size: int,
    permutations: int,
    max_p_value: float,
) -> float:
    """The permutation p-value of a best split scoring `score`; once it is certain to exceed
    `max_p_value` the shuffling stops and the value is a lower bound above it."""
    limit = max_p_value * (permutations + 1) - 1  # more shuffles than this at least as high: out
    higher = 0
    for done in range(1, permutations + 1):
        shuffled = rng.permutation(values)
        found = best_split(shuffled, min_size=min_size)
        if found is not None and found[1] >= score:
            higher += 1
            if higher > limit:
                return (1 + higher) / (1 + done)
    return (1 + higher) / (1 + permutations)


def e_divisive(
    values: np.ndarray,
    *,
    min_size: int = MIN_SIZE,
    permutations: int = PERMUTATIONS,
    max_p_value: float = MAX_P_VALUE,
    seed: int = SEED,
) -> list[Split]:
    """The significant change points of `values`, by index, first to last."""
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    bounds = [0, len(values)]
    found: list[Split] = []
    candidates: dict[tuple[int, int], tuple[int, float] | None] = {}
    while True:
        for start, end in pairwise(bounds):
            if (start, end) not in candidates:
                split = best_split(values[start:end], min_size=min_size)
                candidates[start, end] = None if split is None else (start + split[0], split[1])
        scored = [(c[1], segment, c[0]) for segment, c in candidates.items() if c is not None]
        if not scored:
            break
        score, (start, end), index = max(scored)
        p = p_value(
            values[start:end],
            score,
            rng,
            min_size=min_size,
            permutations=permutations,
            max_p_value=max_p_value,
        )
        if p > max_p_value:
            break
        found.append(Split(index, p, score))
        del candidates[start, end]
        bounds = sorted([*bounds, index])
    return sorted(found, key=lambda s: s.index)
