"""Units are normalised so that the same quantity in different units compares."""

from __future__ import annotations

import pytest

from workflows.results import make_benchmark
from workflows.results.units import Direction, normalise

# (unit, canonical, factor, direction)
CASES = [
    ("ns", "s", 1e-9, Direction.LOWER),
    ("us", "s", 1e-6, Direction.LOWER),
    ("µs", "s", 1e-6, Direction.LOWER),
    ("ms", "s", 1e-3, Direction.LOWER),
    ("s", "s", 1.0, Direction.LOWER),
    ("min", "s", 60.0, Direction.LOWER),
    ("ns/op", "s/op", 1e-9, Direction.LOWER),
    ("B/op", "B/op", 1.0, Direction.LOWER),
    ("KiB", "B", 1024.0, Direction.LOWER),
    ("MB", "B", 1e6, Direction.LOWER),
    ("MB/s", "B/s", 1e6, Direction.HIGHER),
    ("ops/ms", "ops/s", 1e3, Direction.HIGHER),
    ("req/s", "req/s", 1.0, Direction.HIGHER),
    ("items/s", "items/s", 1.0, Direction.HIGHER),
    ("allocs/op", "allocs/op", 1.0, Direction.LOWER),
    ("widgets", "widgets", 1.0, Direction.LOWER),
]


@pytest.mark.parametrize(("unit", "canonical", "factor", "direction"), CASES)
def test_a_unit_is_normalised_to_its_canonical_form(unit, canonical, factor, direction):
    normal = normalise(unit)
    assert normal.canonical == canonical
    assert normal.factor == pytest.approx(factor)
    assert normal.direction is direction


def test_the_same_time_in_ms_and_in_s_gives_the_same_values():
    in_ms = make_benchmark("q", "ms", samples=[12.5, 13.0])
    in_s = make_benchmark("q", "s", samples=[0.0125, 0.013])
    assert in_ms.unit == in_s.unit == "s"
    assert in_ms.samples == pytest.approx(in_s.samples)


def test_summary_statistics_are_scaled_with_the_unit():
    from workflows.results import Summary

    bench = make_benchmark("q", "ms", summary=Summary(n=5, mean=2.0, stddev=0.5, median=1.9))
    assert bench.summary_only
    assert bench.summary is not None
    assert (bench.summary.mean, bench.summary.stddev, bench.summary.median) == pytest.approx(
        (0.002, 0.0005, 0.0019)
    )


def test_an_explicit_direction_overrides_the_units_default():
    assert make_benchmark("score", "points", samples=[1.0], direction="higher").direction is (
        Direction.HIGHER
    )
