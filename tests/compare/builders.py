"""Result sets built in code, for verdicts on data whose truth is known."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from workflows.results import Benchmark, ResultSet, Summary, make_benchmark


def noisy(rng: np.random.Generator, center: float, cv: float = 0.02, n: int = 10) -> list[float]:
    """Lognormal samples around `center` with coefficient of variation `cv`."""
    sigma = float(np.sqrt(np.log1p(cv**2)))
    return (center * np.exp(sigma * rng.standard_normal(n))).tolist()


def result_set(
    source: str,
    samples: Mapping[str, Sequence[float]],
    *,
    unit: str = "ms",
    direction: str | None = None,
    units: Mapping[str, str] | None = None,
) -> ResultSet:
    """One benchmark per entry of `samples`, in `unit` unless `units` names another."""
    units = units or {}
    return ResultSet.build(
        source,
        "perfbot",
        [
            make_benchmark(n, units.get(n, unit), samples=v, direction=direction)
            for n, v in samples.items()
        ],
    )


def summary_only(
    name: str, n: int, mean: float, stddev: float | None, unit: str = "s"
) -> Benchmark:
    return make_benchmark(name, unit, summary=Summary(n=n, mean=mean, stddev=stddev, median=mean))


def pair(
    base: Mapping[str, Sequence[float]], head: Mapping[str, Sequence[float]], **kwargs: str
) -> tuple[ResultSet, ResultSet]:
    return result_set("base.json", base, **kwargs), result_set("head.json", head, **kwargs)
