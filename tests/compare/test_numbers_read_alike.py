"""Numbers beside each other read alike: an interval bound near zero keeps its sign, every
per cent has its space, and Base and Head that do not multiply out to Change are explained."""

from __future__ import annotations

import pytest

from workflows.compare import display
from workflows.compare.engine import CENTRES_OUTSIDE, SIGNS_DISAGREE, _centres_disagree

INTERVALS = [
    ((-0.0004, 0.645), "-0.04 … +64.5 %"),
    ((0.0003, 0.645), "+0.03 … +64.5 %"),
    ((0.0, 0.645), "0.0 … +64.5 %"),
    ((-0.013, 0.011), "-1.3 … +1.1 %"),
    ((-0.2, -0.00049), "-20.0 … -0.049 %"),
]


@pytest.mark.parametrize(("bounds", "shown"), INTERVALS)
def test_an_interval_bound_near_zero_keeps_its_sign(bounds: tuple[float, float], shown: str):
    assert display.interval_of(*bounds) == shown


@pytest.mark.parametrize(("amount", "shown"), [(1.385, "138.5 %"), (0.04, "4.0 %")])
def test_a_detectable_change_is_written_like_every_other_per_cent(amount: float, shown: str):
    assert display.magnitude(amount) == shown


def test_centres_whose_ratio_is_outside_the_changes_interval_are_explained() -> None:
    note = _centres_disagree(0.301, (0.2, 0.4), 208.9e-6, 353.5e-6)
    assert note == CENTRES_OUTSIDE.format(change="+30.1 %", centers="+69.2 %")


@pytest.mark.parametrize(
    ("change", "ci", "base", "head"),
    [
        (0.301, (0.2, 0.4), 1.0, 1.3),  # the centres' ratio is inside the interval
        (0.301, None, 1.0, 1.3),
        (0.0, (-0.01, 0.01), 1.0, 1.0),
    ],
)
def test_centres_that_agree_with_the_change_get_no_note(change, ci, base, head) -> None:
    assert _centres_disagree(change, ci, base, head) is None


def test_centres_of_the_other_sign_keep_their_own_note() -> None:
    note = _centres_disagree(0.05, (0.01, 0.09), 1.0, 0.9)
    assert note is not None
    assert note.startswith(SIGNS_DISAGREE.split("{")[0])
