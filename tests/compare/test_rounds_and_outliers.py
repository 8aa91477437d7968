"""Verdicts on data shaped like the pipeline's runs: rounds, round effects, order, outliers."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from workflows.compare import CompareOptions, Verdict, compare
from workflows.compare.estimates import RANK_TEST, ROUNDS_TEST
from workflows.compare.rules import BenchmarkRule
from workflows.compare.verdicts import Open
from workflows.results import ResultSet, make_benchmark

ROUNDS = 10
PER_ROUND = 5


def side(
    name_to_logs: dict[str, np.ndarray],
    label: str,
    *,
    positions: Sequence[int] | None = None,
    node: str = "node-a",
    metadata: dict | None = None,
) -> ResultSet:
    """Benchmarks from arrays of log values shaped (rounds, samples per round)."""
    benchmarks = []
    for name, logs in name_to_logs.items():
        rounds = np.repeat(np.arange(1, logs.shape[0] + 1), logs.shape[1])
        benchmarks.append(
            make_benchmark(
                name, "s", samples=np.exp(logs).ravel(), rounds=rounds, metadata=metadata
            )
        )
    positions = positions or [1] * ROUNDS
    manifest = [
        {"round": r + 1, "position": positions[r], "node": node, "cpu": "Xeon"}
        for r in range(ROUNDS)
    ]
    return ResultSet.build(label, "perfbot", benchmarks, {"rounds": manifest})


def noise(rng: np.random.Generator, sigma: float) -> np.ndarray:
    return sigma * rng.standard_normal((ROUNDS, PER_ROUND))


def per_round(rng: np.random.Generator, sigma: float) -> np.ndarray:
    return sigma * rng.standard_normal((ROUNDS, 1))


def test_samples_of_one_round_are_not_counted_as_independent(rng):
    """Each side's run of a round shifts all its five samples alike (rounds 3 % apart): the
    same code, whose runs happened to land 2 % apart on average, is unchanged by rounds, where
    testing 50 samples a side as independent flags it even at a 1 % threshold."""
    spread = np.linspace(-0.03, 0.03, ROUNDS)
    base = spread[:, None] + noise(rng, 1e-4)
    head = rng.permutation(spread)[:, None] + 0.02 + noise(rng, 1e-4)
    options = CompareOptions(threshold=0.01)
    row = compare(side({"q": base}, "base"), side({"q": head}, "head"), options).benchmarks[0]
    assert row.method == ROUNDS_TEST
    assert row.paired_rounds == ROUNDS
    assert not row.verdict.is_change  # rounds 3 % apart cannot see 1 %: open, and said so
    assert row.reason is Open.TOO_NOISY

    def flat(label: str, logs: np.ndarray) -> ResultSet:
        return ResultSet.build(
            label, "perfbot", [make_benchmark("q", "s", samples=np.exp(logs).ravel())]
        )

    independent = compare(flat("b", base), flat("h", head), options).benchmarks[0]
    assert independent.method == RANK_TEST
    assert independent.verdict is Verdict.REGRESSED  # what the engine said before rounds


def test_a_machine_state_shared_by_both_sides_of_a_round_cancels_in_the_pairing(rng):
    shared = per_round(rng, 0.10)  # rounds differ by 10 %, for both sides alike
    base = shared + noise(rng, 0.005)
    head = shared + noise(rng, 0.005) + math.log(1.06)
    row = compare(side({"q": base}, "base"), side({"q": head}, "head")).benchmarks[0]
    assert row.verdict is Verdict.REGRESSED
    assert row.change == pytest.approx(0.06, abs=0.01)


def test_an_order_effect_is_modelled_when_the_sides_alternate(rng):
    """AB BA AB BA ...: the side that runs second is 3 % slower; the code is the same."""
    head_second = np.array([r % 2 == 0 for r in range(ROUNDS)])
    order = math.log(1.03)
    base = noise(rng, 0.005) + np.where(~head_second, order, 0.0)[:, None]
    head = noise(rng, 0.005) + np.where(head_second, order, 0.0)[:, None]
    positions = [2 if second else 1 for second in head_second]
    comparison = compare(side({"q": base}, "base"), side({"q": head}, "head", positions=positions))
    row = comparison.benchmarks[0]
    assert row.verdict is Verdict.UNCHANGED
    assert abs(row.change) < 0.005
    assert row.order_effect == pytest.approx(0.06, abs=0.01)


def test_too_few_rounds_is_inconclusive_with_a_plain_warning(rng):
    base = noise(rng, 0.01)[:3]
    head = noise(rng, 0.01)[:3] + 0.5
    row = compare(side({"q": base}, "b"), side({"q": head}, "h")).benchmarks[0]
    assert row.verdict is Verdict.INCONCLUSIVE
    assert row.reason is Open.TOO_FEW_ROUNDS
    assert row.p_value is None
    assert any(w.startswith("too few rounds for a verdict (3 run by both") for w in row.warnings)


def one_file(label: str, values: Sequence[float]) -> ResultSet:
    return ResultSet.build(label, "perfbot", [make_benchmark("q", "s", samples=values)])


def test_slow_outliers_on_the_side_that_narrows_the_gap_are_set_aside(rng):
    base = list(np.exp(rng.normal(0, 0.01, 10)))
    head = [v * 1.08 for v in base]
    rng.shuffle(head)
    for index in (0, 1, 2):
        base[index] *= 1.5  # three slow base samples take the top ranks
    row = compare(one_file("b", base), one_file("h", head)).benchmarks[0]
    assert row.verdict is Verdict.REGRESSED
    assert row.base.set_aside == 3
    assert row.head.set_aside == 0
    assert "slow outliers set aside: 3 in base, 0 in head" in row.warnings


def test_a_slow_tail_that_grew_is_a_regression_even_when_the_median_did_not_move(rng):
    base = list(np.exp(rng.normal(0, 0.01, 60)))
    head = list(np.exp(rng.normal(0, 0.01, 60)))
    for index in range(0, 60, 6):
        head[index] *= 1.5  # one request in six is slow
    row = compare(one_file("b", base), one_file("h", head)).benchmarks[0]
    assert abs(row.change) < 0.04
    assert row.verdict is Verdict.REGRESSED
    assert row.tail["head"] == 10
    assert any(w.startswith("slow tail grew: 10 of 60 head samples") for w in row.warnings)


def test_a_few_slow_samples_on_both_sides_are_not_a_tail_change(rng):
    base = list(np.exp(rng.normal(0, 0.01, 60)))
    head = list(np.exp(rng.normal(0, 0.01, 60)))
    base[5] *= 1.4
    head[7] *= 1.4
    head[9] *= 1.3
    assert compare(one_file("b", base), one_file("h", head)).verdict is Verdict.UNCHANGED


def test_a_benchmark_too_noisy_to_judge_says_so_with_the_rounds_it_needs(rng):
    quiet = noise(rng, 0.002)
    loud = per_round(rng, 0.08) + noise(rng, 0.001)
    loud_head = per_round(rng, 0.08) + noise(rng, 0.001)
    comparison = compare(
        side({"quiet": quiet, "loud": loud}, "b"),
        side({"quiet": noise(rng, 0.002), "loud": loud_head}, "h"),
    )
    rows = {r.name: r for r in comparison.benchmarks}
    assert rows["quiet"].too_noisy is False
    assert rows["quiet"].detectable_change < 0.04
    assert rows["loud"].verdict is Verdict.INCONCLUSIVE
    assert rows["loud"].reason is Open.TOO_NOISY
    assert rows["loud"].too_noisy is True
    assert rows["loud"].detectable_change > 0.04
    assert rows["loud"].needed > ROUNDS
    assert any(w.startswith("too noisy to judge") for w in rows["loud"].warnings)
    assert comparison.too_noisy == [rows["loud"]]


def test_per_benchmark_rules_set_threshold_direction_and_ignore(rng):
    base = {n: noise(rng, 0.002) for n in ("wide", "rate", "warmup", "plain")}
    head = {
        "wide": base["wide"] + math.log(1.08),
        "rate": base["rate"] + math.log(1.08),
        "warmup": base["warmup"] + math.log(2.0),
        "plain": base["plain"] + math.log(1.08),
    }
    rules = (
        BenchmarkRule("wide", threshold=0.10),
        BenchmarkRule("ra*", direction="higher"),
        BenchmarkRule("warm*", ignore=True),
    )
    comparison = compare(side(base, "b"), side(head, "h"), CompareOptions(rules=rules))
    rows = {r.name: r for r in comparison.benchmarks}
    assert rows["wide"].verdict is Verdict.UNCHANGED
    assert rows["wide"].settings == {"threshold": 0.10, "rules": ["wide"]}
    assert rows["rate"].verdict is Verdict.IMPROVED
    assert rows["plain"].verdict is Verdict.REGRESSED
    assert rows["plain"].settings == {}
    assert "warmup" not in rows
    assert comparison.ignored == ("warmup",)


def test_a_later_rule_overrides_an_earlier_one_key_by_key():
    from workflows.compare.rules import settings_for

    rules = (BenchmarkRule("q*", threshold=0.1, ignore=True), BenchmarkRule("q1", ignore=False))
    assert settings_for("q1", rules) == {"threshold": 0.1, "ignore": False, "rules": ["q*", "q1"]}


def test_two_metrics_of_one_measurement_get_one_test_and_one_verdict(rng):
    times = np.exp(rng.normal(0, 0.005, 10))
    slower = times * 1.1
    rates = 1 / times

    def results(label: str, t: np.ndarray) -> ResultSet:
        return ResultSet.build(
            label,
            "perfbot",
            [
                make_benchmark("Enc", "ns/op", samples=t),
                make_benchmark("Enc MB/s", "MB/s", samples=1 / t, metadata={"measurement": "Enc"}),
                *(make_benchmark(f"q{i}", "s", samples=rates) for i in range(5)),
            ],
        )

    rows = {r.name: r for r in compare(results("b", times), results("h", slower)).benchmarks}
    assert rows["Enc"].verdict is Verdict.REGRESSED
    assert rows["Enc MB/s"].verdict is Verdict.REGRESSED  # its own sign would say "improved"?
    assert rows["Enc MB/s"].p_adjusted == rows["Enc"].p_adjusted
    assert rows["Enc MB/s"].measurement == "Enc"
    assert rows["Enc MB/s"].change == pytest.approx(1 / 1.1 - 1, abs=0.01)


def test_sides_measured_on_different_nodes_get_no_verdict_unless_allowed(rng):
    base = side({"q": noise(rng, 0.002)}, "b", node="node-a")
    head = side({"q": noise(rng, 0.002) + 0.2}, "h", node="node-b")
    refused = compare(base, head)
    assert refused.not_comparable == "base ran on node node-a, head on node-b"
    assert refused.verdict is Verdict.INCONCLUSIVE
    assert refused.benchmarks[0].reason is Open.NOT_COMPARABLE
    assert refused.warnings[0].startswith("not comparable: base ran on node node-a")
    allowed = compare(base, head, CompareOptions(allow_different_machines=True))
    assert allowed.verdict is Verdict.REGRESSED


def test_a_benchmark_with_its_own_settings_says_so_in_its_warnings(rng):
    base = {"wide": noise(rng, 0.002)}
    head = {"wide": base["wide"] + math.log(1.08)}
    rules = (BenchmarkRule("w*", threshold=0.10, direction="lower"),)
    row = compare(side(base, "b"), side(head, "h"), CompareOptions(rules=rules)).benchmarks[0]
    assert "own settings: threshold 10%, lower is better (from rule 'w*')" in row.warnings
