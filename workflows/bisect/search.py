"""The halving search, given a function that compares two commits: no git, no timings.

`commits` is the first-parent list from the base (known good) to the head, `measure(older,
newer)` compares two of them with the pipeline's interleaved rounds and verdict rules and
returns each regressed benchmark's verdict. The range (lo, hi] holds the change while lo is
the last commit seen without it and hi the first seen with it:

1. Until a step has seen hi regressed, lo..hi itself is measured first: the base against the
   head at the start (a regression that does not come back here is `none`, not a commit to
   blame), the found commit against the head after a find (is there more?).
2. Then lo..mid, mid halfway: regressed moves hi to mid, unchanged moves lo to mid.
3. When hi directly follows lo, hi is a culprit. If hi is not the head, step 1 asks whether the
   change goes on after it; if it does, the search goes on in (hi, head] and the outcome is
   `several`.

A step is `regressed` when any of the benchmarks regressed, `unchanged` when all are
unchanged, and `inconclusive` otherwise (noise, an improvement, a benchmark missing): the
search stops there rather than guess which half to follow, and says where it stood. It also
stops when `budget` steps are spent. A change split across commits so that no single half
crosses the verdict rules' threshold can be missed: each step sees only its own part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

REGRESSED, UNCHANGED, INCONCLUSIVE = "regressed", "unchanged", "inconclusive"
Outcome = Literal["found", "several", "none", "inconclusive", "budget"]
Measure = Callable[[str, str], Mapping[str, str]]


@dataclass(frozen=True)
class Step:
    """One comparison: `older` as the base, `newer` as the head; verdict per benchmark."""

    older: str
    newer: str
    verdicts: Mapping[str, str]

    @property
    def verdict(self) -> str:
        values = list(self.verdicts.values())
        if REGRESSED in values:
            return REGRESSED
        if values and all(value == UNCHANGED for value in values):
            return UNCHANGED
        return INCONCLUSIVE


@dataclass(frozen=True)
class Bisection:
    """What the search found. `culprits` in commit order; `good`/`bad` bound the range still
    holding an unpinned change (`inconclusive`, `budget`), else they are None."""

    outcome: Outcome
    culprits: tuple[str, ...]
    steps: tuple[Step, ...]
    good: str | None = None
    bad: str | None = None


def bisect(commits: Sequence[str], measure: Measure, budget: int) -> Bisection:
    """Find the commits of `commits[1:]` that brought the change; at most `budget` steps."""
    if len(commits) < 2:
        raise ValueError("a bisection needs a base and at least one commit after it")
    if budget < 1:
        raise ValueError(f"the budget must be at least 1 step, got {budget}")
    last = len(commits) - 1
    lo, hi, seen = 0, last, False  # seen: a step showed commits[hi] regressed
    culprits: list[str] = []
    steps: list[Step] = []
    while True:
        if seen and hi - lo == 1:
            culprits.append(commits[hi])
            if hi == last:
                return _done(culprits, steps)
            lo, hi, seen = hi, last, False
            continue
        if len(steps) >= budget:
            return Bisection("budget", tuple(culprits), tuple(steps), commits[lo], commits[hi])
        mid = (lo + hi) // 2 if seen else hi
        step = Step(commits[lo], commits[mid], dict(measure(commits[lo], commits[mid])))
        steps.append(step)
        if step.verdict == REGRESSED:
            hi, seen = mid, True
        elif step.verdict == UNCHANGED and mid == hi:
            return _done(culprits, steps)  # nothing (more) in lo..hi
        elif step.verdict == UNCHANGED:
            lo = mid
        else:
            return Bisection(
                "inconclusive", tuple(culprits), tuple(steps), commits[lo], commits[hi]
            )


def _done(culprits: list[str], steps: list[Step]) -> Bisection:
    outcome: Outcome = "none" if not culprits else "found" if len(culprits) == 1 else "several"
    return Bisection(outcome, tuple(culprits), tuple(steps))
