"""Large sample lists (pytest-benchmark's 20,000 a benchmark) take the fast paths, which must
check and summarise exactly as the per-value ones do."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from workflows.results.fields import ShapeError, numbers
from workflows.results.model import Summary

BIG = 5000

# a value planted in a long list of floats, the index the error must name
BAD = [(True, 17), ("1.0", 0), (float("nan"), BIG - 1), (float("inf"), 3), (None, 42), ([1], 9)]


@pytest.mark.parametrize(("value", "index"), BAD)
def test_a_bad_value_in_a_long_list_is_named_by_its_place(value, index):
    values: list = [1.0] * BIG
    values[index] = value
    with pytest.raises(ShapeError, match=rf"samples\[{index}\] must be a finite number"):
        numbers(values, "samples")


@pytest.mark.parametrize("values", [[1.0] * BIG, list(range(BIG)), [0.5, 2, 3.25] * 100, []])
def test_good_lists_read_as_floats(values):
    read = numbers(values, "samples")
    assert read == [float(v) for v in values]
    assert all(type(v) is float for v in read)


@pytest.mark.parametrize("n", [2, 3, 10, 1001, 20_000])
def test_the_summary_of_many_samples_matches_the_definitions(n):
    rng = np.random.default_rng(n)
    samples = tuple((np.exp(0.3 * rng.standard_normal(n)) * 1e-3).tolist())
    s = Summary.of(samples)
    ordered = sorted(samples)
    assert s.n == n
    assert s.mean == pytest.approx(math.fsum(samples) / n, rel=1e-12)
    assert s.stddev == pytest.approx(statistics.stdev(samples), rel=1e-9)
    assert s.median == pytest.approx(statistics.median(samples), rel=1e-12)
    assert (s.minimum, s.maximum) == (ordered[0], ordered[-1])
    quartiles = np.quantile(ordered, [0.25, 0.75])
    assert s.iqr == pytest.approx(float(quartiles[1] - quartiles[0]), rel=1e-9)
