"""Base, Head and Change in a row tell one story: the same estimator, or said plainly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.compare.builders import pair
from tests.compare.test_rounds_and_outliers import ROUNDS, side
from workflows.compare import compare, display, render_text
from workflows.compare.engine import SIGNS_DISAGREE


def _shown(row) -> tuple[float, float]:
    return row.base.shown_center, row.head.shown_center


# head's per-round level against base's 1.0: shapes where the median of the round medians and
# the mean per-round ratio point different ways, and ordinary ones
ROUND_LEVELS = [
    [0.98] * 6 + [1.3] * 4,  # most rounds a little faster, four much slower: +9.7 % on average
    [1.02] * 6 + [0.75] * 4,
    [1.10] * ROUNDS,
    [1.0] * ROUNDS,
]


@pytest.mark.parametrize("levels", ROUND_LEVELS)
def test_in_rounds_base_and_head_are_the_centres_whose_ratio_is_the_change(rng, levels):
    base = 0.002 * rng.standard_normal((ROUNDS, 5))
    head = np.log(np.array(levels))[:, None] + 0.002 * rng.standard_normal((ROUNDS, 5))
    row = compare(side({"q": base}, "b"), side({"q": head}, "h")).benchmarks[0]
    b, h = _shown(row)
    assert h / b - 1 == pytest.approx(row.change, rel=1e-9, abs=1e-12)
    assert display.center(row, row.base).startswith(display.value(b, row.unit))


def test_a_change_whose_sign_contradicts_the_medians_says_so():
    base = [10.0, 10.0, 10.0, 20.0, 20.0, 20.0, 20.0]
    head = [15.0, 15.0, 15.0, 15.0, 15.0, 25.0, 25.0]
    row = compare(*pair({"q": base}, {"q": head})).benchmarks[0]
    b, h = _shown(row)
    assert (h - b) * row.change < 0  # the medians fell, the Hodges-Lehmann shift rose
    assert any(w.startswith(SIGNS_DISAGREE.split("{")[0]) for w in row.warnings)
    assert "q: " + SIGNS_DISAGREE.split("{")[0] in render_text(
        compare(*pair({"q": base}, {"q": head}))
    )


def test_agreeing_signs_add_no_such_warning(rng):
    row = compare(
        *pair({"q": [1.0, 1.1, 0.9, 1.05, 0.95]}, {"q": [1.2, 1.3, 1.1, 1.25, 1.15]})
    ).benchmarks[0]
    assert not any(w.startswith(SIGNS_DISAGREE.split("{")[0]) for w in row.warnings)
    assert math.copysign(1, row.change) == math.copysign(
        1, row.head.shown_center - row.base.shown_center
    )
