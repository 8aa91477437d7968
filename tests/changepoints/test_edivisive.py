"""E-Divisive means on synthetic series: steps found where they are, nothing found in noise."""

from __future__ import annotations

import numpy as np
import pytest

from workflows.changepoints.edivisive import best_split, e_divisive


def noisy(levels: list[tuple[int, float]], *, sigma: float = 0.01, seed: int = 3) -> np.ndarray:
    """Log-levels: `(length, level)` pieces one after another, with Gaussian noise."""
    rng = np.random.default_rng(seed)
    values = np.concatenate([np.full(n, np.log(level)) for n, level in levels])
    return values + sigma * rng.standard_normal(len(values))


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([(40, 1.0), (40, 1.10)], [40]),
        ([(30, 1.0), (30, 1.05), (30, 0.95)], [30, 60]),
        ([(25, 1.0), (50, 1.20)], [25]),
        ([(60, 1.0), (8, 1.15)], [60]),
    ],
)
def test_steps_are_found_at_the_run_where_they_start(
    levels: list[tuple[int, float]], expected: list[int]
) -> None:
    found = e_divisive(noisy(levels))

    assert [s.index for s in found] == expected
    assert all(s.p_value <= 0.01 for s in found)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_noise_alone_has_no_change_point(seed: int) -> None:
    assert e_divisive(noisy([(80, 1.0)], seed=seed)) == []


def test_the_same_series_gives_the_same_answer() -> None:
    series = noisy([(30, 1.0), (30, 1.02)], sigma=0.015)

    assert e_divisive(series) == e_divisive(series)


@pytest.mark.parametrize("length", [0, 1, 5, 9])
def test_a_series_too_short_to_split_has_no_change_point(length: int) -> None:
    assert e_divisive(np.zeros(length) + np.arange(length)) == []


def test_the_best_split_of_a_step_is_the_step_and_scores_above_noise() -> None:
    step = noisy([(20, 1.0), (20, 1.3)])
    flat = noisy([(40, 1.0)])

    index, score = best_split(step, min_size=5)
    _, flat_score = best_split(flat, min_size=5)

    assert index == 20
    assert score > 10 * flat_score


def test_a_segment_shorter_than_two_minimum_sizes_has_no_split() -> None:
    assert best_split(np.arange(9.0), min_size=5) is None
