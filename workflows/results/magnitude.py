"""Numbers a comparison can compute with: finite, and neither astronomically large nor small.

Result files come from pods running the pull request's code, so any number can arrive. The
statistics square values, sum thousands of them and exponentiate log ratios; a sample of 1e308
overflowed them (a traceback, exit 1, the code a regression gets), 1e308 minutes became
infinite after conversion to seconds and was then reported as "unchanged", and a sample of
1e-308 beside 1e308 overflowed a ratio. No measurement a benchmark can make is within twenty
orders of magnitude of these limits (a Planck time is 5e-44 s, but no timer sees it; a yottabyte
is 1e24 B), so a value outside them, in the file's unit or after conversion to the canonical
one, is a mistake or an attack, refused as bad input naming the value. Zero (either sign) is
a measurement and is kept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

LARGEST = 1e30
SMALLEST = 1e-30  # nonzero magnitudes below this are refused, as large ones above LARGEST


def problem(value: float) -> str | None:
    """Why `value` cannot be compared, or None when it can."""
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    magnitude = abs(value)
    if magnitude > LARGEST or (magnitude and magnitude < SMALLEST):
        return (
            f"is out of range: {value!r} (a measurement is 0 or between "
            f"{SMALLEST:g} and {LARGEST:g} in size)"
        )
    return None


def first_problem(values: Sequence[float]) -> str | None:
    """The problem of the first value that has one; None when all are in range. Checked in one
    numpy pass first (NaN fails every comparison), since 20,000-sample benchmarks are common."""
    if not len(values):
        return None
    magnitudes = np.abs(np.asarray(values, dtype=float))
    in_range = (magnitudes <= LARGEST) & ((magnitudes >= SMALLEST) | (magnitudes == 0))
    if bool(in_range.all()):
        return None
    return problem(float(values[int(np.argmin(in_range))]))
