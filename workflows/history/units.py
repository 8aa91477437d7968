"""Showing stored values: they are kept in canonical units (seconds, bytes), shown in the unit
that keeps the numbers readable. The dashboard's charts and `perfbot history` share this."""

from __future__ import annotations

from collections.abc import Sequence

TIME_SCALES = ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns"))


def scale(unit: str, values: Sequence[float]) -> tuple[float, str]:
    """A factor to divide by and the unit it gives: seconds become ms, µs or ns."""
    if unit != "s" or not values:
        return 1.0, unit
    typical = sorted(values)[len(values) // 2]
    for factor, name in TIME_SCALES:
        if typical >= factor:
            return factor, name
    return TIME_SCALES[-1]
