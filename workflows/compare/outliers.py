"""Slow outliers: the samples a busy machine makes, set aside before the test, and counted.

A benchmark's noise is not symmetric. A context switch, a page-cache miss or a noisy neighbour
makes a sample slower, never faster, and at ten samples a side two or three such samples on the
side that narrows the gap take the top ranks and cost the rank test its power. So samples
beyond `median + K * MAD` on the slow side (above for times, below for throughputs; MAD scaled
to a standard deviation, on log values) are set aside for the test and the estimate, per side.
K = 3 was chosen with `bench/compare_accuracy.py` (figures in `options`).

Setting outliers aside must not hide a regression that *is* a slow tail (a change that makes
one request in ten slow): `tail_counts` counts, per side, the samples beyond its own median by
more than K pooled MADs, and the engine tests whether head has more of them than base.
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
