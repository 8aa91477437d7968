"""Synthetic main-branch series as the store returns them: Points with made-up commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from workflows.history import Point

START = datetime(2026, 1, 1, tzinfo=UTC)


def sha(number: int) -> str:
    return f"{number:07x}" + "0" * 33


def points(levels: np.ndarray, *, unit: str = "s") -> list[Point]:
    """One point per value, commit `sha(i)`, a day apart; None stays a point without value."""
    return [
        Point(
            run_id=100 + i,
            head_sha=sha(i),
            recorded_at=START + timedelta(days=i),
            value=None if value is None else float(value),
            change=0.0,
            verdict="unchanged",
            unit=unit,
        )
        for i, value in enumerate(levels)
    ]


def shaped(
    n: int,
    *,
    steps: dict[int, float] | None = None,
    noise: float = 0.01,
    drift: float = 0.0,
    outliers: dict[int, float] | None = None,
    level: float = 0.010,
    seed: int = 7,
) -> np.ndarray:
    """`n` values around `level`: relative `steps` starting at their index, lognormal noise,
    a linear drift of `drift` over the whole series, and single-run `outliers`."""
    rng = np.random.default_rng(seed)
    logs = np.full(n, np.log(level)) + noise * rng.standard_normal(n)
    logs += np.linspace(0.0, np.log1p(drift), n)
    for index, size in (steps or {}).items():
        logs[index:] += np.log1p(size)
    for index, size in (outliers or {}).items():
        logs[index] += np.log1p(size)
    return np.exp(logs)
