"""Slow outliers: the samples a busy machine makes, set aside before the test, and counted.

A benchmark's noise is not symmetric. A context switch, a page-cache miss or a noisy neighbour
makes a sample slower, never faster, and at ten samples a side two or three such samples on the
side that narrows the gap take the top ranks and cost the rank test its power. So samples
beyond `median + K * MAD` on the slow side (above for times, below for throughputs; MAD scaled
to a standard deviation, on log values) are set aside for the test and the estimate, per side.
K = 3 was chosen with `bench/compare_accuracy.py` (figures in `options`).

Setting outliers aside must not hide a regression that *is* a slow tail (a change that makes
one request in ten slow): `tail_counts` counts, per side, the samples beyond its own median by
more than K pooled MADs, and the engine tests whether head has more of them than base. In
rounds, `round_tail_counts` measures each sample against its own round's median and counts
per round, so the test can pair the rounds: a busy moment slows a whole round, or a burst
within one, and those slow samples come together, not one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

K = 3.0
MAD_TO_SD = 1.4826  # a normal distribution's MAD times this is its standard deviation
MIN_TO_TRIM = 5  # fewer samples than this: nothing is set aside, there is no "usual" to judge by


def _mad(values: np.ndarray) -> float:
    return float(np.median(np.abs(values - np.median(values)))) * MAD_TO_SD


def slow_outliers(logs: np.ndarray, slow: int, k: float = K) -> np.ndarray:
    """Mask of the samples beyond median + k MAD on the slow side (`slow` is +1 when larger is
    slower, -1 when smaller is). Nothing is set aside when the MAD is 0 or samples are few."""
    if logs.size < MIN_TO_TRIM:
        return np.zeros(logs.size, dtype=bool)
    spread = _mad(logs)
    if spread == 0.0:
        return np.zeros(logs.size, dtype=bool)
    return slow * (logs - np.median(logs)) > k * spread


@dataclass(frozen=True)
class TailCounts:
    base: int  # samples of base beyond its own usual range, on the slow side
    base_n: int
    head: int
    head_n: int
    rounds: int = 0  # rounds both sides ran, when counted per round; 0: one file a side
    base_rounds: int = 0  # of those, the rounds with a slow sample in base
    head_rounds: int = 0

    @property
    def base_share(self) -> float:
        return self.base / self.base_n if self.base_n else 0.0

    @property
    def head_share(self) -> float:
        return self.head / self.head_n if self.head_n else 0.0


def tail_counts(base: np.ndarray, head: np.ndarray, slow: int, k: float = K) -> TailCounts | None:
    """Slow samples of each side beyond its own median by k MADs of the two sides pooled (each
    centred on its median, so a shift of the whole distribution is not counted as a tail)."""
    if base.size < MIN_TO_TRIM or head.size < MIN_TO_TRIM:
        return None
    centred = np.concatenate([base - np.median(base), head - np.median(head)])
    spread = _mad(centred)
    if spread == 0.0:
        return None
    beyond_base = int(np.sum(slow * (base - np.median(base)) > k * spread))
    beyond_head = int(np.sum(slow * (head - np.median(head)) > k * spread))
    return TailCounts(beyond_base, base.size, beyond_head, head.size)


def _centred_by_round(logs: np.ndarray, rounds: np.ndarray) -> np.ndarray:
    """Each sample minus its round's median: what a round shares is not a tail."""
    centred = np.empty_like(logs)
    for r in np.unique(rounds):
        members = rounds == r
        centred[members] = logs[members] - np.median(logs[members])
    return centred


def round_tail_counts(
    base: tuple[np.ndarray, np.ndarray],
    head: tuple[np.ndarray, np.ndarray],
    slow: int,
    k: float = K,
) -> tuple[TailCounts, np.ndarray] | None:
    """Slow samples per round: beyond their own round's median by k MADs of all samples of
    both sides (each centred on its round's median). Returns the counts over the rounds both
    sides ran, and per such round head's share of slow samples minus base's, for the paired
    test. `base` and `head` are (log values, round numbers)."""
    (bx, br), (hx, hr) = base, head
    both = np.intersect1d(br, hr)
    if both.size < 2:
        return None
    bx, br = bx[np.isin(br, both)], br[np.isin(br, both)]
    hx, hr = hx[np.isin(hr, both)], hr[np.isin(hr, both)]
    if bx.size < MIN_TO_TRIM or hx.size < MIN_TO_TRIM:
        return None
    bc, hc = _centred_by_round(bx, br), _centred_by_round(hx, hr)
    spread = _mad(np.concatenate([bc, hc]))
    if spread == 0.0:
        return None
    b_slow, h_slow = slow * bc > k * spread, slow * hc > k * spread
    b_share = np.array([b_slow[br == r].mean() for r in both])
    h_share = np.array([h_slow[hr == r].mean() for r in both])
    counts = TailCounts(
        int(b_slow.sum()), bx.size, int(h_slow.sum()), hx.size,
        rounds=int(both.size),
        base_rounds=int((b_share > 0).sum()),
        head_rounds=int((h_share > 0).sum()),
    )  # fmt: skip
    return counts, h_share - b_share
