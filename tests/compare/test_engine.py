"""Verdicts on constructed data: what a user must be able to trust."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.compare.builders import noisy, pair, result_set, summary_only
from workflows.compare import CompareOptions, ComparisonError, Verdict, compare, decide
from workflows.compare.verdicts import Open
from workflows.results import Direction, ResultSet


def one(base: list[float], head: list[float], **kwargs) -> object:
    b, h = pair({"q": base}, {"q": head}, **kwargs)
    return compare(b, h).benchmarks[0]


def test_a_clear_regression_is_regressed_with_its_size_and_interval(rng):
    row = one(noisy(rng, 10.0), noisy(rng, 11.5))
    assert row.verdict is Verdict.REGRESSED
    assert row.change == pytest.approx(0.15, abs=0.02)
    assert row.ci_low < row.change < row.ci_high
    assert row.p_adjusted < 0.001


def test_a_clear_improvement_is_improved(rng):
    row = one(noisy(rng, 10.0), noisy(rng, 8.5))
    assert row.verdict is Verdict.IMPROVED
    assert row.change == pytest.approx(-0.15, abs=0.02)


def test_noise_alone_is_unchanged(rng):
    row = one(noisy(rng, 10.0, cv=0.03), noisy(rng, 10.0, cv=0.03))
    assert row.verdict is Verdict.UNCHANGED
    assert abs(row.change) < 0.03


def test_one_slow_outlier_does_not_make_a_regression(rng):
    head = noisy(rng, 10.0)
    head[4] *= 3.0  # the busy machine's hiccup: the mean moves by 20 %
    row = one(noisy(rng, 10.0), head)
    assert np.mean(head) / 10.0 - 1 > 0.15
    assert row.verdict is Verdict.UNCHANGED
    assert abs(row.change) < 0.03


# (direction of the metric, head/base, verdict)
DIRECTIONS = [
    ("lower", 1.15, Verdict.REGRESSED),
    ("lower", 0.85, Verdict.IMPROVED),
    ("higher", 1.15, Verdict.IMPROVED),
    ("higher", 0.85, Verdict.REGRESSED),
]


@pytest.mark.parametrize(("direction", "factor", "verdict"), DIRECTIONS)
def test_the_verdict_follows_the_metrics_direction(rng, direction, factor, verdict):
    row = one(noisy(rng, 1000.0), noisy(rng, 1000.0 * factor), unit="req/s", direction=direction)
    assert row.verdict is verdict


def test_throughput_units_default_to_higher_is_better(rng):
    row = one(noisy(rng, 5e4), noisy(rng, 6e4), unit="req/s")
    assert row.direction is Direction.HIGHER
    assert row.verdict is Verdict.IMPROVED


def test_too_few_samples_is_inconclusive_with_a_plain_warning_and_no_p_value():
    row = one([10.0, 10.1, 9.9], [20.0, 20.2, 19.8])
    assert row.verdict is Verdict.INCONCLUSIVE
    assert row.reason is Open.TOO_FEW_SAMPLES
    assert row.p_value is None
    assert row.warnings == (
        "too few samples for a verdict (base 3, head 3; at least 5 a side needed)",
    )
    assert row.change == pytest.approx(1.0)  # the medians are shown, not judged


def test_samples_that_cannot_reach_alpha_say_so(rng):
    b, h = pair({"q": noisy(rng, 10, n=5)}, {"q": noisy(rng, 20, n=5)})
    row = compare(b, h, CompareOptions(alpha=0.005)).benchmarks[0]
    assert row.verdict is Verdict.INCONCLUSIVE
    assert row.reason is Open.TOO_NOISY
    assert any("cannot reach p <= 0.005" in w for w in row.warnings)
    noisy_warning = next(w for w in row.warnings if w.startswith("too noisy"))
    assert "no change of any size could reach" in noisy_warning
    assert "change of no change" not in noisy_warning


def test_a_real_but_tiny_change_stays_under_the_threshold(rng):
    base, head = noisy(rng, 10.0, cv=0.001), noisy(rng, 10.1, cv=0.001)
    b, h = pair({"q": base}, {"q": head})
    row = compare(b, h).benchmarks[0]
    assert row.p_adjusted < 0.001
    assert row.verdict is Verdict.UNCHANGED
    assert compare(b, h, CompareOptions(threshold=0.005)).benchmarks[0].verdict is Verdict.REGRESSED


def test_benchmarks_on_one_side_only_are_added_and_removed(rng):
    b, h = pair(
        {"kept": noisy(rng, 1), "gone": noisy(rng, 1)},
        {"kept": noisy(rng, 1), "new": noisy(rng, 1)},
    )
    comparison = compare(b, h)
    verdicts = {row.name: row.verdict for row in comparison.benchmarks}
    assert verdicts == {"kept": Verdict.UNCHANGED, "gone": Verdict.REMOVED, "new": Verdict.ADDED}
    gone = next(r for r in comparison.benchmarks if r.name == "gone")
    assert gone.head is None
    assert gone.change is None
    assert comparison.verdict is Verdict.UNCHANGED  # appearing or vanishing is not a regression
    assert any("only in head" in w for w in comparison.warnings)


def test_summary_only_benchmarks_are_compared_with_welch_and_flagged():
    b = ResultSet.build("base.json", "pytest-benchmark", [summary_only("t", 40, 0.010, 0.0003)])
    h = ResultSet.build("head.json", "pytest-benchmark", [summary_only("t", 40, 0.012, 0.0003)])
    comparison = compare(b, h)
    row = comparison.benchmarks[0]
    assert row.method == "welch-t-from-summary"
    assert row.verdict is Verdict.REGRESSED
    assert row.change == pytest.approx(0.2)
    assert row.base.raw is False
    assert any("raw samples missing on base and head" in w for w in row.warnings)
    assert any("raw samples missing for 1 benchmark" in w for w in comparison.warnings)


def test_a_summary_without_spread_gives_no_verdict():
    b = ResultSet.build("b", "perfbot", [summary_only("t", 10, 1.0, None)])
    h = ResultSet.build("h", "perfbot", [summary_only("t", 10, 2.0, 0.1)])
    row = compare(b, h).benchmarks[0]
    assert row.verdict is Verdict.INCONCLUSIVE
    assert row.reason is Open.NO_TEST
    assert any("no standard deviation on base" in w for w in row.warnings)


def test_a_metric_growing_from_zero_is_a_regression_with_an_infinite_change():
    row = one([0.0] * 8, [3.0] * 8, unit="allocs/op")
    assert row.verdict is Verdict.REGRESSED
    assert math.isinf(row.change)
    assert "the base value is 0: the relative change is undefined" in row.warnings


def test_the_same_values_in_ms_and_in_s_compare_as_equal(rng):
    values = noisy(rng, 12.0)
    b = result_set("base.json", {"q": values}, unit="ms")
    h = result_set("head.json", {"q": [v / 1000 for v in values]}, unit="s")
    row = compare(b, h).benchmarks[0]
    assert row.change == pytest.approx(0.0, abs=1e-12)
    assert row.verdict is Verdict.UNCHANGED


def test_an_unchanged_forty_benchmark_suite_raises_no_alarm_across_many_runs(rng):
    alarms = 0
    for _ in range(25):
        cvs = rng.uniform(0.01, 0.03, 40)
        base = {f"q{i}": noisy(rng, 1.0, cv) for i, cv in enumerate(cvs)}
        head = {f"q{i}": noisy(rng, 1.0, cv) for i, cv in enumerate(cvs)}
        alarms += compare(*pair(base, head)).verdict in (Verdict.REGRESSED, Verdict.IMPROVED)
    assert alarms == 0


def test_a_lone_small_p_value_in_a_big_suite_is_not_an_alarm(rng):
    base = {f"q{i}": noisy(rng, 1.0) for i in range(40)}
    head = {f"q{i}": noisy(rng, 1.0) for i in range(40)}
    base["q0"] = [1.00, 1.01, 1.02, 1.03, 1.04, 1.05, 1.06, 1.07, 1.08, 1.09]
    head["q0"] = [v + 0.045 for v in base["q0"]]
    comparison = compare(*pair(base, head))
    row = comparison.benchmarks[0]
    assert row.p_value < 0.05  # a per-benchmark test would cry wolf here
    assert row.change >= 0.04
    assert row.p_adjusted > CompareOptions().alpha
    assert not row.verdict.is_change


def test_changes_are_sorted_by_size_whatever_their_sign(rng):
    base = {
        "small": noisy(rng, 1),
        "big": noisy(rng, 1),
        "mid": noisy(rng, 1),
        "same": noisy(rng, 1),
    }
    head = {
        "small": noisy(rng, 1.1),
        "big": noisy(rng, 0.5),
        "mid": noisy(rng, 1.3),
        "same": noisy(rng, 1),
    }
    comparison = compare(*pair(base, head))
    assert [r.name for r in comparison.changed()] == ["big", "mid", "small"]
    assert comparison.verdict is Verdict.REGRESSED


def test_the_geomean_is_the_mean_slowdown_over_the_suite(rng):
    base = {"a": noisy(rng, 1.0), "b": noisy(rng, 2.0)}
    head = {"a": noisy(rng, 1.1), "b": noisy(rng, 2.2)}
    assert compare(*pair(base, head)).geomean_change == pytest.approx(0.1, abs=0.02)


def test_the_geomean_inverts_higher_is_better_metrics(rng):
    units = {"rate": "req/s"}
    base = result_set("b", {"time": noisy(rng, 1.0), "rate": noisy(rng, 100)}, units=units)
    head = result_set("h", {"time": noisy(rng, 1.1), "rate": noisy(rng, 110)}, units=units)
    # 10 % slower and 10 % more throughput cancel out.
    assert compare(base, head).geomean_change == pytest.approx(0.0, abs=0.03)


def test_nothing_in_common_is_an_error_naming_both_sides(rng):
    b, h = result_set("base.json", {"a": [1.0]}), result_set("head.json", {"b": [1.0]})
    with pytest.raises(
        ComparisonError,
        match=r"^base\.json vs head\.json: no benchmark in common \(base has 'a'; head has 'b'\)",
    ):
        compare(b, h)


def test_incompatible_units_are_an_error_naming_the_benchmark():
    b = result_set("base.json", {"q": [1.0]}, unit="ms")
    h = result_set("head.json", {"q": [1.0]}, unit="MB")
    with pytest.raises(ComparisonError, match="benchmark 'q' is in s in base but B in head"):
        compare(b, h)


# (change, adjusted p, direction, verdict) with the defaults: threshold 0.04, alpha 0.02
DECISIONS = [
    (0.10, 0.001, Direction.LOWER, Verdict.REGRESSED),
    (-0.10, 0.001, Direction.LOWER, Verdict.IMPROVED),
    (0.10, 0.001, Direction.HIGHER, Verdict.IMPROVED),
    (-0.10, 0.001, Direction.HIGHER, Verdict.REGRESSED),
    (0.10, 0.03, Direction.LOWER, Verdict.UNCHANGED),  # not significant
    (0.039, 0.0001, Direction.LOWER, Verdict.UNCHANGED),  # under the threshold
    (0.04, 0.02, Direction.LOWER, Verdict.REGRESSED),  # both limits are inclusive
    (0.10, None, Direction.LOWER, Verdict.UNCHANGED),  # no test
    (None, 0.001, Direction.LOWER, Verdict.UNCHANGED),
    (math.inf, 0.001, Direction.LOWER, Verdict.REGRESSED),
]


@pytest.mark.parametrize(("change", "p", "direction", "verdict"), DECISIONS)
def test_a_verdict_needs_statistical_and_practical_significance(change, p, direction, verdict):
    assert decide(change, p, direction, CompareOptions()) is verdict


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"threshold": -0.1}, "threshold"),
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": 1.5}, "alpha"),
        ({"min_samples": 1}, "min samples"),
        ({"confidence": 1.0}, "confidence"),
    ],
)
def test_nonsensical_options_are_refused(options, problem):
    with pytest.raises(ValueError, match=problem):
        CompareOptions(**options)


def test_hundreds_of_samples_a_side_compare_without_overflow(rng):
    row = one(noisy(rng, 10.0, n=700), noisy(rng, 11.5, n=700))
    assert row.verdict is Verdict.REGRESSED
