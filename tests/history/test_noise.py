"""Noise from history: the band from the changes main-branch runs reported, and the note."""

from __future__ import annotations

import pytest

from workflows.history.noise import LIKELY_NOISE, MIN_RUNS, assess, spread

QUIET = [0.005 * ((-1) ** i) for i in range(12)]  # main runs reported ±0.5 %
NOISY = [0.08 * ((-1) ** i) for i in range(12)]  # ±8 %


def test_fewer_than_the_minimum_runs_give_no_band() -> None:
    assert spread(QUIET[: MIN_RUNS - 1]) is None
    assert assess(0.2, QUIET[: MIN_RUNS - 1], 0.05) is None


def test_runs_without_a_value_do_not_count() -> None:
    assert spread([None] * 5 + QUIET[:8]) is None


def test_the_band_of_a_quiet_series_is_narrower_than_a_noisy_ones() -> None:
    quiet, noisy = spread(QUIET)[1], spread(NOISY)[1]

    assert quiet < 0.02 < noisy


@pytest.mark.parametrize(
    ("series", "change", "verdict", "expected"),
    [
        (QUIET, 0.20, "regressed", "× the usual"),
        (NOISY, 0.06, "regressed", LIKELY_NOISE),
        (NOISY, 0.06, "unchanged", "inside the usual"),
        (QUIET, 0.001, "unchanged", "inside the usual"),
    ],
)
def test_the_note_places_the_change_against_the_band(
    series: list[float], change: float, verdict: str, expected: str
) -> None:
    noise = assess(change, series, threshold=0.05)

    assert expected in noise.note(verdict)


def test_a_quiet_benchmarks_flagged_change_is_never_called_noise() -> None:
    noise = assess(0.004, QUIET, threshold=0.05)

    assert LIKELY_NOISE not in noise.note("regressed")


def test_a_level_that_drifts_between_runs_does_not_widen_the_band() -> None:
    """Each main run's own change is small although the level wandered from run to run."""
    drifting_level_changes = [0.004, -0.003, 0.002, -0.004, 0.003, 0.001, -0.002, 0.004, 0.0, 0.002]
    noise = assess(0.06, drifting_level_changes, threshold=0.05)

    assert noise.band < 0.02
    assert LIKELY_NOISE not in noise.note("regressed")


def test_one_real_step_in_the_history_does_not_inflate_the_band() -> None:
    assert spread([*QUIET[:11], 0.25])[1] < 0.02
