"""Processes that fall into modes: a benchmark whose process medians, within one side, form two
groups with a clear gap between them.

Some benchmarks are bimodal per process: a process's code layout, heap addresses or JIT
decisions are one random draw, and every sample of that process shares it (a Go benchmark at
0.85 ns or 1.5 ns, a Python interpreter at 28 µs or 53 µs, depending on the process). With one
process a round, a round is one draw; when one side happens to draw the slow mode more often,
the rounds say it changed, and every benchmark of that process moves together, so the
suite-wide correction does not help. Running several processes a round (`benchmark.processes`)
averages the draw within each round; this module says when a benchmark needs that, and how
many processes a round would bring the draw's noise under the threshold.

The test for a gap: the process medians of a side (log values), sorted, split where the gap
between neighbours is widest, with at least `MIN_GROUP` in each group; a mode split when that gap
is at least `GAP_SPREADS` times the pooled spread within the groups and at least the threshold
(modes closer than the threshold cannot by themselves move a verdict). On unimodal normal
process medians this calls modes in 0.4 % of sides of 10 processes, none of 20 (a 2,000-side
simulation; heavy-tailed t3 medians: 0.5 % and 0.3 %).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from workflows.compare import stats

MIN_PROCESSES = 6  # fewer process medians a side give no judgement of modes
MIN_GROUP = 2  # a single slow process is an outlier, not a mode
GAP_SPREADS = 5.0  # the gap, in pooled within-group standard deviations
MOST_PROCESSES = 100  # benchmark.processes' largest value
MULTIMODAL = (
    "multimodal across processes: {side}'s process medians fall into two groups, {slow} of "
    "{processes} at {high} and the rest at {low} ({gap} apart), so a round's value depends on "
    "which mode its processes drew; {advice}"
)
NEEDED = "about {needed} processes a round would average the draw out (benchmark.processes)"
NOT_ENOUGH = (
    "even {most} processes a round would not average the draw out at {rounds} rounds: "
    "more rounds and processes are needed"
)


@dataclass(frozen=True)
class Split:
    """Two groups of one side's process medians (log values)."""

    processes: int
    slow: int  # processes in the slower group (the higher log values)
    low: float  # mean log of each group
    high: float
    spread: float  # pooled standard deviation within the groups (log)

    @property
    def share(self) -> float:
        return self.slow / self.processes


@dataclass(frozen=True)
class Modes:
    """A side whose processes fell into two modes, as the reports show it."""

    side: str
    processes: int
    slow: int
    low: float  # the groups' centres (geometric means), in the benchmark's unit
    high: float
    gap: float  # high / low - 1
    needed: int | None  # processes a round to average the draw out; None: more than 100

    def to_dict(self) -> dict[str, object]:
        return {
            "side": self.side, "processes": self.processes, "slow": self.slow,
            "low": self.low, "high": self.high, "gap": self.gap, "needed": self.needed,
        }  # fmt: skip


def find_modes(logs: np.ndarray, min_gap: float) -> Split | None:
    """The two groups of these process medians (log values), if they have a clear gap."""
    ordered = np.sort(np.asarray(logs, dtype=float))
    n = int(ordered.size)
    if n < 2 * MIN_GROUP:
        return None
    # Every split at once from running sums (centred first, against cancellation): 1,000
    # rounds of 100 processes are 100,000 medians, too many to sum again for each split.
    centred = ordered - ordered.mean()
    sums = np.concatenate([[0.0], np.cumsum(centred)])
    squares = np.concatenate([[0.0], np.cumsum(centred**2)])
    k = np.arange(MIN_GROUP, n - MIN_GROUP + 1)
    within = (squares[k] - sums[k] ** 2 / k) + (
        (squares[n] - squares[k]) - (sums[n] - sums[k]) ** 2 / (n - k)
    )
    spread = np.sqrt(np.maximum(within, 0.0) / max(1, n - 2))
    gaps = ordered[k] - ordered[k - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(spread > 0, gaps / spread, np.where(gaps > 0, np.inf, 0.0))
    best = int(np.argmax(ratio))
    split, spread_at = int(k[best]), float(spread[best])
    low, high = ordered[:split], ordered[split:]
    if ratio[best] < GAP_SPREADS or float(high[0] - low[-1]) < min_gap:
        return None
    return Split(n, n - split, float(low.mean()), float(high.mean()), spread_at)


def processes_needed(
    gap: float, share: float, spread: float, rounds: int, threshold: float, level: float
) -> int | None:
    """The fewest processes a round at which a round's mean over its processes, drawn from
    these modes (`gap` apart in log, `share` of draws slow, `spread` within a mode), would
    leave a threshold-sized change detectable in `rounds` paired rounds at `level`; None when
    even `MOST_PROCESSES` would not."""
    if rounds < 2:
        return None
    target = math.log1p(threshold)
    variance = gap**2 * share * (1 - share) + spread**2
    for processes in range(1, MOST_PROCESSES + 1):
        standard_error = math.sqrt(2 * variance / processes / rounds)
        if stats.detectable_change(standard_error, level, rounds - 1) <= target:
            return processes
    return None


def modes_of(
    medians: tuple[np.ndarray, np.ndarray], rounds: int, threshold: float, level: float
) -> Modes | None:
    """The side with the wider mode split of its process medians, if either has one."""
    found: list[tuple[str, Split]] = []
    for label, logs in zip(("base", "head"), medians, strict=True):
        if logs.size >= MIN_PROCESSES:
            split = find_modes(logs, math.log1p(threshold))
            if split is not None:
                found.append((label, split))
    if not found:
        return None
    label, split = max(found, key=lambda item: item[1].high - item[1].low)
    needed = processes_needed(
        split.high - split.low, split.share, split.spread, rounds, threshold, level
    )
    return Modes(
        label, split.processes, split.slow, math.exp(split.low), math.exp(split.high),
        math.expm1(split.high - split.low), needed,
    )  # fmt: skip


def describe(modes: Modes, rounds: int, show: Callable[[float], str]) -> str:
    """The row's warning; `show` writes a value in the benchmark's unit as the reports do."""
    if modes.needed is not None:
        advice = NEEDED.format(needed=modes.needed)
    else:
        advice = NOT_ENOUGH.format(most=MOST_PROCESSES, rounds=rounds)
    return MULTIMODAL.format(
        side=modes.side, slow=modes.slow, processes=modes.processes,
        high=show(modes.high), low=show(modes.low), gap=f"{modes.gap:.0%}", advice=advice,
    )  # fmt: skip
