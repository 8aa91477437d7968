"""A benchmark's change points: commit, previous commit, size, and what is no step at all."""

from __future__ import annotations

import pytest

from tests.changepoints.series import points, sha, shaped
from workflows.changepoints.detect import change_points


@pytest.mark.parametrize(
    ("steps", "noise"),
    [
        ({30: 0.10}, 0.01),
        ({30: -0.15}, 0.01),
        ({20: 0.05, 50: 0.08}, 0.01),
        ({40: 0.20}, 0.03),
    ],
)
def test_each_step_is_named_by_its_commit_with_its_size(
    steps: dict[int, float], noise: float
) -> None:
    found = change_points("GET /", points(shaped(70, steps=steps, noise=noise)))

    assert [(c.commit, c.previous) for c in found] == [(sha(i), sha(i - 1)) for i in steps]
    for change, size in zip(found, steps.values(), strict=True):
        assert change.magnitude == pytest.approx(size, abs=0.01 + noise)
        assert change.after / change.before - 1 == pytest.approx(change.magnitude)
        assert change.p_value <= 0.01


@pytest.mark.parametrize(
    "shape",
    [
        {"noise": 0.02},
        {"drift": 0.10},
        {"drift": -0.08, "noise": 0.01},
        {"outliers": {10: 0.5, 40: 0.8, 41: 0.6, 70: -0.3}},
    ],
    ids=["noise", "drift up", "drift down", "outliers"],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_noise_drift_and_outliers_are_no_change_point(shape: dict, seed: int) -> None:
    assert change_points("GET /", points(shaped(100, **shape, seed=seed))) == []


@pytest.mark.parametrize(("min_magnitude", "found"), [(0.02, 0), (0.005, 1)])
def test_a_clear_step_smaller_than_the_minimum_is_left_out(
    min_magnitude: float, found: int
) -> None:
    series = points(shaped(60, steps={30: 0.01}, noise=0.001))

    assert len(change_points("GET /", series, min_magnitude=min_magnitude)) == found


def test_runs_without_a_value_are_skipped_and_the_commits_stay_right() -> None:
    values = list(shaped(60, steps={30: 0.10}))
    values[29] = None
    values[10] = None

    (found,) = change_points("GET /", points(values))

    assert (found.commit, found.previous) == (sha(30), sha(28))


def test_the_change_point_carries_its_run_and_what_that_run_reported() -> None:
    series = points(shaped(60, steps={30: 0.10}))

    (found,) = change_points("GET /", series)

    assert found.run_id == series[30].run_id
    assert found.reported == series[30].change
    assert found.to_dict()["recorded_at"] == series[30].recorded_at.isoformat()
