"""Noise from history: how a change compares with its benchmark's usual run-to-run spread.

A statistical verdict knows only the two samples in front of it. The main branch's history
knows more: a benchmark whose value moves 6 % between consecutive main-branch runs with no
change to the code moves that much in a pull request too. Following rustc-perf, the spread
is the upper IQR fence (Q3 + 1.5 IQR) of the absolute relative steps between consecutive
main-branch runs, which one real step in the series (a merged regression) does not inflate.
A change inside that band is marked as within the benchmark's usual noise; the verdict is
never changed, since a real change can be smaller than a benchmark's noise.

With fewer than `MIN_RUNS` main-branch runs there is no note: ten points are the fewest whose
quartiles mean anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_RUNS = 10
WINDOW = 30  # the most recent main-branch runs the spread is taken from
FLAGGING = ("regressed", "improved")

INSIDE = "inside the usual ±{band} run-to-run spread of the last {runs} main-branch runs"
OUTSIDE = "{times:.1f}× the usual ±{band} spread of the last {runs} main-branch runs"
LIKELY_NOISE = "flagged, but within this noisy benchmark's usual spread: possibly noise"


@dataclass(frozen=True)
class Noise:
    runs: int  # main-branch runs the spread comes from
    band: float  # relative: 0.05 is ±5 %
    change: float
    noisy: bool  # the band is wider than the threshold a verdict calls a change
    inside: bool  # |change| <= band

    def note(self, verdict: str) -> str:
        band = f"{self.band * 100:.1f} %"
        if self.inside and verdict in FLAGGING and self.noisy:
            return f"{LIKELY_NOISE} (±{band}, {self.runs} runs)"
        if self.inside:
            return INSIDE.format(band=band, runs=self.runs)
        times = abs(self.change) / self.band if self.band else float("inf")
        return OUTSIDE.format(times=times, band=band, runs=self.runs)


def spread(values: Sequence[float | None]) -> tuple[int, float] | None:
    """(runs used, band) of a series oldest first, or None with too few runs."""
    usable = [v for v in values if v is not None and v > 0][-WINDOW:]
    if len(usable) < MIN_RUNS:
        return None
    series = np.asarray(usable, dtype=float)
    steps = np.abs(series[1:] / series[:-1] - 1.0)
    q1, q3 = np.percentile(steps, [25, 75])
    return len(usable), float(q3 + 1.5 * (q3 - q1))


def assess(
    change: float | None, series: Sequence[float | None], threshold: float | None
) -> Noise | None:
    """The change against the series' spread; None without a change or enough history."""
    found = spread(series)
    if change is None or found is None:
        return None
    runs, band = found
    return Noise(
        runs=runs,
        band=band,
        change=change,
        noisy=threshold is not None and band > threshold,
        inside=abs(change) <= band,
    )
