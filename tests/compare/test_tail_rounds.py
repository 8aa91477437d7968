"""The slow-tail test on rounds: the round is the unit, as for the centre; a tail finding is its
own kind of result, decided and shown by its own test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.compare.test_rounds_and_outliers import ROUNDS, side
from workflows.compare import Verdict, compare, display, render_markdown, stats
from workflows.compare.change_chart import COLORS, color
from workflows.compare.verdicts import Finding, Open

WIDE = 600  # samples a round a side: what pytest-benchmark writes by the hundred


def logs(rng: np.random.Generator, per_round: int = WIDE, sigma: float = 0.01) -> np.ndarray:
    return sigma * rng.standard_normal((ROUNDS, per_round))


def busy_rounds(values: np.ndarray, rounds: list[int], share: float, factor: float) -> np.ndarray:
    """A burst of load: in these rounds, the first `share` of the samples are slowed."""
    out = values.copy()
    slowed = int(values.shape[1] * share)
    for r in rounds:
        out[r, :slowed] += math.log(factor)
    return out


def tail_in_every_round(values: np.ndarray, every: int = 6, factor: float = 1.5) -> np.ndarray:
    """One sample in `every` slow, in every round: a regression of the tail itself."""
    out = values.copy()
    out[:, ::every] += math.log(factor)
    return out


def row_of(base: np.ndarray, head: np.ndarray, **kwargs):
    return compare(side({"q": base}, "b"), side({"q": head}, "h"), **kwargs).benchmarks[0]


# how head's samples are disturbed, whether the tail test may call it a grown tail
CASES = [
    ("one busy round, a third of it slow", lambda v: busy_rounds(v, [3], 0.3, 1.5), False),
    ("two busy rounds", lambda v: busy_rounds(v, [2, 7], 0.2, 1.4), False),
    ("a whole slow round", lambda v: busy_rounds(v, [5], 1.0, 1.3), False),
    ("nothing", lambda v: v, False),
    ("one sample in six slow in every round", tail_in_every_round, True),
]


@pytest.mark.parametrize(("what", "disturb", "grew"), CASES, ids=[c[0] for c in CASES])
def test_slow_samples_clustered_in_a_few_rounds_are_not_a_grown_tail(rng, what, disturb, grew):
    row = row_of(logs(rng), disturb(logs(rng)))
    assert (row.finding is Finding.SLOW_TAIL) is grew
    assert (row.verdict is Verdict.REGRESSED) is grew
    assert row.tail["rounds"] == ROUNDS


def test_the_tail_counts_say_in_how_many_rounds_the_slow_samples_were(rng):
    def bounded() -> np.ndarray:  # uniform noise: no sample is far out by chance
        return rng.uniform(-0.01, 0.01, (ROUNDS, WIDE))

    row = row_of(bounded(), busy_rounds(bounded(), [3], 0.3, 1.5))
    assert row.tail["head"] == int(0.3 * WIDE)  # the pooled counts are still shown ...
    assert (row.tail["head_rounds"], row.tail["base_rounds"]) == (1, 0)  # ... and their rounds
    assert row.tail["p_value"] > 0.05
    assert row.finding is None


def test_a_tail_finding_shows_the_tail_tests_p_and_its_counts_not_a_centre_bar(rng):
    row = row_of(logs(rng), tail_in_every_round(logs(rng)))
    assert row.finding is Finding.SLOW_TAIL
    assert row.shown_p == row.tail["p_adjusted"]
    assert row.shown_p != row.p_adjusted
    assert display.label(row) == "slow tail grew"
    assert color(row) == COLORS[Verdict.UNCHANGED]  # the bar is the centre's: not red
    assert f"head {row.tail['head']} of {row.tail['head_n']} slow" in display.tail_counts(row)


def test_a_grown_tail_beside_a_faster_centre_is_not_a_regression(rng):
    faster = tail_in_every_round(logs(rng), every=5, factor=1.6) - math.log(1.15)
    row = row_of(logs(rng), faster)
    assert row.change < -0.04
    assert row.verdict is not Verdict.REGRESSED
    if row.verdict is Verdict.INCONCLUSIVE:  # the centre test may also call it improved
        assert row.reason is Open.MIXED
        assert any(w.startswith("slow tail grew while the centre moved") for w in row.warnings)


def test_a_grown_tail_and_a_faster_centre_that_is_not_significant_is_inconclusive(rng):
    base = logs(rng, per_round=40, sigma=0.01) + 0.2 * rng.standard_normal((ROUNDS, 1))
    head = tail_in_every_round(logs(rng, per_round=40, sigma=0.01), every=5, factor=1.6)
    head = head + 0.2 * rng.standard_normal((ROUNDS, 1)) - math.log(1.2)
    row = row_of(base, head)
    assert row.p_adjusted > 0.02  # round effects of 20 %: the centre is not significant
    assert row.change < -0.04
    assert row.verdict is Verdict.INCONCLUSIVE
    assert row.reason is Open.MIXED


def test_the_markdown_report_lists_a_tail_finding_apart_from_the_centre_changes(rng):
    base = {"tail": logs(rng), "steady": logs(rng)}
    head = {"tail": tail_in_every_round(logs(rng)), "steady": logs(rng)}
    text = render_markdown(compare(side(base, "b"), side(head, "h")))
    assert "**Slow tail grew** (1)" in text
    assert "```mermaid" not in text  # no centre change to chart
    tail_row = text.split("**Slow tail grew** (1)")[1].split("\n\n")[1].splitlines()[-1]
    assert "<code>tail</code>" in tail_row
    row = next(r for r in compare(side(base, "b"), side(head, "h")).benchmarks if r.name == "tail")
    assert display.tail_counts(row) in tail_row


# (base slow, base n, head slow, head n): the fast Fisher test against the exact big-int sum
FISHER = [(0, 50, 5, 50), (2, 50, 6, 50), (5, 50, 1, 50), (0, 50, 0, 50), (3, 400, 30, 383),
          (1, 331, 24, 383), (40, 20000, 60, 20000), (0, 7, 7, 7)]  # fmt: skip


def exact(base: int, base_n: int, head: int, head_n: int) -> float:
    total, slow = base_n + head_n, base + head
    ways = math.comb(total, head_n)
    tail = sum(
        math.comb(slow, k) * math.comb(total - slow, head_n - k)
        for k in range(head, min(slow, head_n) + 1)
    )
    return min(1.0, tail / ways)


@pytest.mark.parametrize("counts", FISHER)
def test_the_fast_fisher_test_agrees_with_the_exact_sum(counts):
    assert stats.tail_pvalue(*counts) == pytest.approx(exact(*counts), rel=1e-9, abs=1e-300)


# per-round shares of slow samples (head minus base), the one-sided p they give
ROUND_SHARES = [
    ([0.1] * 10, 0.0),  # the same excess in every round: as certain as it gets
    ([0.0] * 10, 1.0),  # no excess at all
    ([1.0] + [0.0] * 9, None),  # one round: as likely by chance as not
    ([-0.1] * 10, 1.0),  # fewer slow samples in head
]


@pytest.mark.parametrize(("shares", "expected"), ROUND_SHARES)
def test_the_tail_test_on_rounds_is_one_sided_over_paired_rounds(shares, expected):
    p = stats.tail_rounds_pvalue(np.array(shares))
    if expected is None:
        assert 0.1 < p < 0.5
    else:
        assert p == pytest.approx(expected)
