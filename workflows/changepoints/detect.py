"""Change points of one benchmark's main-branch series: which commit, how big, how sure.

The series is each main-branch run's head median (`Store.series`), oldest first. Detection
runs on the logarithm of the values, so a step is judged by its ratio (+10 % is +10 % whether
the benchmark takes 1 ms or 1 s) and a slowdown and the matching speed-up weigh the same.

E-Divisive tells *where* the distribution changed, and a level that drifts (a machine pool
that changes over weeks) changes its distribution too, so E-Divisive splits a drift into
segments although no commit moved it. A change point is therefore kept only if the runs right
around it (up to `LEVEL_RUNS` on each side, within the neighbouring segments) show a step
too, both as they are and with their common slope taken out (`_slope`: the jump at the commit
is what a drift lacks): a Mann-Whitney test of the runs before against the runs after
(`window_p_value`, at most `max_p_value`; rank-based, so an outlier among them counts as one
run, like Otava's t-test of neighbouring segments but robust), and a step of at least
`min_magnitude`, since a team cannot act on a statistically clear 0.5 % move of main. The
weakest are dropped first and the neighbours' windows measured again after each. The
magnitude reported is the step with the slope taken out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.stats import mannwhitneyu

from workflows.changepoints.edivisive import MAX_P_VALUE, Split, e_divisive

if TYPE_CHECKING:
    from workflows.history import Point

LEVEL_RUNS = 10
MIN_MAGNITUDE = 0.02


@dataclass(frozen=True)
class ChangePoint:
    benchmark: str
    run_id: int
    commit: str  # the first main-branch run's head at the new level
    previous: str  # the run before it: the change came in previous..commit
    recorded_at: datetime
    before: float  # level of the runs just before, in the series' unit
    after: float  # level of the runs just after
    magnitude: float  # after / before - 1: +0.07 is 7 % slower (for a time)
    p_value: float  # E-Divisive's permutation test of the split
    window_p_value: float  # Mann-Whitney, the runs just before against those just after
    reported: float | None  # the change that run itself reported between its base and head
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "recorded_at": self.recorded_at.isoformat()}


def change_points(
    benchmark: str,
    points: Sequence[Point],
    *,
    min_magnitude: float = MIN_MAGNITUDE,
    max_p_value: float = MAX_P_VALUE,
) -> list[ChangePoint]:
    """The benchmark's change points over `points` (oldest first), first to last."""
    usable = [p for p in points if p.value is not None and p.value > 0]
    values = np.log([p.value for p in usable])
    splits = e_divisive(values, max_p_value=max_p_value)
    kept = _clear_enough(values, splits, min_magnitude, max_p_value)
    found = []
    for split, window in zip(kept, _windows(values, kept), strict=True):
        point = usable[split.index]
        found.append(
            ChangePoint(
                benchmark=benchmark,
                run_id=point.run_id,
                commit=point.head_sha,
                previous=usable[split.index - 1].head_sha,
                recorded_at=point.recorded_at,
                before=float(np.exp(window.before)),
                after=float(np.exp(window.after)),
                magnitude=window.magnitude,
                p_value=split.p_value,
                window_p_value=window.p_value,
                reported=point.change,
                unit=point.unit,
            )
        )
    return found


@dataclass(frozen=True)
class _Window:
    before: float  # median log level
    after: float
    p_value: float

    @property
    def magnitude(self) -> float:
        return float(np.expm1(self.after - self.before))


def _windows(values: np.ndarray, splits: Sequence[Split], *, detrend: bool = True) -> list[_Window]:
    """Per split, up to LEVEL_RUNS runs on each side of it, not reaching past the
    neighbouring splits, with the windows' common slope taken out: their levels at the split
    and how clearly they differ."""
    bounds = [0, *(s.index for s in splits), len(values)]
    windows = []
    for number, split in enumerate(splits, start=1):
        start = max(bounds[number - 1], split.index - LEVEL_RUNS)
        end = min(bounds[number + 1], split.index + LEVEL_RUNS)
        runs = np.arange(start, end) - split.index
        slope = _slope(values[start:end], runs < 0) if detrend else 0.0
        level = values[start:end] - slope * runs
        before, after = level[runs < 0], level[runs >= 0]
        test = mannwhitneyu(before, after, alternative="two-sided")
        windows.append(
            _Window(float(np.median(before)), float(np.median(after)), float(test.pvalue))
        )
    return windows


def _slope(values: np.ndarray, before: np.ndarray) -> float:
    """The drift per run on both sides of a split: the median slope between two runs on the
    same side (Theil-Sen, pooled; pairs across the split would measure the step itself).
    Taken out of the windows, a level that drifts steadily shows no step; one that jumps at the
    split still does."""
    slopes = []
    for side in (values[before], values[~before]):
        i, j = np.triu_indices(len(side), k=1)
        slopes.append((side[j] - side[i]) / (j - i))
    return float(np.median(np.concatenate(slopes)))


def _clear_enough(
    values: np.ndarray, splits: list[Split], min_magnitude: float, max_p_value: float
) -> list[Split]:
    """The splits whose windows differ by at least `min_magnitude` with a Mann-Whitney
    p-value of at most `max_p_value`, dropping the weakest first."""
    kept = list(splits)
    while kept:
        pairs = zip(_windows(values, kept), _windows(values, kept, detrend=False), strict=True)
        weak = [
            (
                max(w.p_value, raw.p_value) > max_p_value,
                -min(abs(w.magnitude), abs(raw.magnitude)),
                n,
            )
            for n, (w, raw) in enumerate(pairs)
            if max(w.p_value, raw.p_value) > max_p_value
            or min(abs(w.magnitude), abs(raw.magnitude)) < min_magnitude
        ]
        if not weak:
            break
        del kept[max(weak)[2]]
    return kept


def across(series: Mapping[str, Sequence[Point]]) -> list[ChangePoint]:
    """The change points of every benchmark's series, newest first (then by benchmark): what
    moved on main lately, whichever benchmark it was."""
    found = [c for name, points in series.items() for c in change_points(name, points)]
    return sorted(found, key=lambda c: (-c.run_id, c.benchmark))
