"""Noise from history: how a change compares with its benchmark's usual run-to-run spread.

A statistical verdict knows only the two samples in front of it. The main branch's history
knows more: every main-branch run compares a merged commit with the one before it, and most
merges do not touch most benchmarks, so the changes those runs reported are what this
benchmark does between two builds of unrelated code (code layout, alignment, a flaky
dependency). Following rustc-perf, the band is the upper IQR fence (Q3 + 1.5 IQR) of the
absolute changes the recent main-branch runs reported, which the occasional real step (a merged
regression) does not inflate. It is taken from each run's own base-vs-head change, not from
the level of the series: a run's two sides are interleaved on one machine, so a level that
drifts between runs (another node, another day) is no noise for a comparison within a run and
must not widen the band. A change inside the band is marked as within the benchmark's usual
noise; the verdict is never changed, since a real change can be smaller than a benchmark's
noise.

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


def spread(changes: Sequence[float | None]) -> tuple[int, float] | None:
    """(runs used, band) from the changes main-branch runs reported, oldest first, or None
    with too few runs."""
    usable = [c for c in changes if c is not None and np.isfinite(c) and c > -1][-WINDOW:]
    if len(usable) < MIN_RUNS:
        return None
    sizes = np.abs(np.log1p(np.asarray(usable, dtype=float)))  # +10 % and -9.1 % alike
    q1, q3 = np.percentile(sizes, [25, 75])
    return len(usable), float(np.expm1(q3 + 1.5 * (q3 - q1)))


def assess(
    change: float | None, history: Sequence[float | None], threshold: float | None
) -> Noise | None:
    """The change against the band of the changes main-branch runs reported (`history`);
    None without a change or enough history."""
    found = spread(history)
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
