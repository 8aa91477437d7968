"""The statistics, checked against what they must give on data with a known answer."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.stats import mannwhitneyu, rankdata

from workflows.compare import stats
from workflows.results import Summary


def test_hodges_lehmann_recovers_an_exact_shift():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    shift = stats.hodges_lehmann(x, x + 0.5, 0.95)
    assert shift.estimate == pytest.approx(0.5)
    assert shift.low < 0.5 < shift.high


def test_moses_interval_uses_the_exact_critical_order_statistics_for_ten_a_side():
    # Tables give the 24th smallest and largest of the 100 differences at 95 % for n = m = 10.
    x = np.arange(10, dtype=float)
    y = np.arange(10, dtype=float) * 1.7 + 0.3
    differences = np.sort(np.subtract.outer(y, x).ravel())
    shift = stats.hodges_lehmann(x, y, 0.95)
    assert (shift.low, shift.high) == (differences[23], differences[100 - 24])


def test_the_interval_covers_the_true_shift_about_as_often_as_promised():
    rng = np.random.default_rng(7)
    covered = 0
    for _ in range(400):
        x = rng.standard_normal(10)
        y = rng.standard_normal(10) + 0.3
        shift = stats.hodges_lehmann(x, y, 0.95)
        covered += shift.low <= 0.3 <= shift.high
    assert 0.92 <= covered / 400 <= 0.99


def test_large_samples_are_thinned_without_moving_the_estimate_much():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(5000)
    y = rng.standard_normal(4000) + 0.2
    shift = stats.hodges_lehmann(x, y, 0.95)
    assert shift.estimate == pytest.approx(0.2, abs=0.05)
    assert shift.low < shift.estimate < shift.high
    assert shift.high - shift.low < 0.2


def test_rank_pvalues_are_scipys_exact_two_sided_values_for_small_samples():
    rng = np.random.default_rng(1)
    pairs = [(rng.standard_normal(10), rng.standard_normal(10) + d) for d in (0.0, 1.0, 3.0)]
    pairs.append((rng.standard_normal(7), rng.standard_normal(12)))  # another size, same call
    expected = [mannwhitneyu(x, y, method="exact").pvalue for x, y in pairs]
    assert stats.rank_pvalues(pairs) == pytest.approx(expected)


def test_complete_separation_of_ten_a_side_reaches_the_exact_minimum():
    x = np.arange(10, dtype=float)
    p = stats.rank_pvalues([(x, x + 100)])[0]
    assert (
        p
        == pytest.approx(stats.smallest_rank_pvalue(10, 10))
        == pytest.approx(2 / math.comb(20, 10))
    )


def _enumerated_rank_pvalue(x: np.ndarray, y: np.ndarray) -> float:
    """Every split of the pooled values into |x| and |y|, counted one by one."""
    ranks = rankdata(np.concatenate([x, y]))
    expected = x.size * (ranks.size + 1) / 2
    observed = abs(ranks[: x.size].sum() - expected)
    splits = list(itertools.combinations(range(ranks.size), x.size))
    extreme = sum(abs(ranks[list(c)].sum() - expected) >= observed - 1e-9 for c in splits)
    return extreme / len(splits)


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([0.0, 0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 2.0, 2.0, 2.0]),
        ([5.0, 5.0, 5.0, 5.0, 5.0], [5.0, 5.0, 5.0, 5.0, 6.0]),
        ([1.0, 2.0, 2.0, 3.0, 4.0, 4.0], [3.0, 4.0, 5.0, 5.0, 5.0, 6.0, 7.0]),
    ],
)
def test_ties_get_the_exact_permutation_p_value(x, y):
    x, y = np.array(x), np.array(y)
    assert stats.rank_pvalues([(x, y)]) == pytest.approx([_enumerated_rank_pvalue(x, y)])


def test_with_ties_the_p_value_never_goes_below_the_exact_minimum():
    """benchstat's issue19634 (5 v 5, head all equal): the normal approximation said 0.0056."""
    x = np.array([10.1, 10.2, 10.3, 10.4, 10.5])
    y = np.full(5, 11.0)
    assert stats.rank_pvalues([(x, y)])[0] >= stats.smallest_rank_pvalue(5, 5)


def test_identical_constant_samples_give_no_evidence():
    constant = np.full(8, 3.0)
    assert stats.rank_pvalues([(constant, constant.copy())]) == [1.0]


def test_benjamini_hochberg_matches_the_textbook_step_up():
    p = [0.01, 0.04, 0.03, 0.005, 0.5]
    # sorted: 0.005 0.01 0.03 0.04 0.5 -> *5/rank: 0.025 0.025 0.05 0.05 0.5, then monotone
    assert stats.adjust(p) == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])


def test_welch_from_summary_agrees_with_welch_on_the_raw_values():
    from scipy.stats import ttest_ind

    rng = np.random.default_rng(5)
    x = rng.normal(10.0, 0.3, 30)
    y = rng.normal(10.6, 0.4, 25)
    test = stats.welch_from_summary(Summary.of(x.tolist()), Summary.of(y.tolist()), 0.95)
    assert test.p_value == pytest.approx(ttest_ind(y, x, equal_var=False).pvalue)
    assert test.change.estimate == pytest.approx(y.mean() / x.mean() - 1)
    assert test.change.low < test.change.estimate < test.change.high


def test_welch_without_any_spread_is_certain_either_way():
    same = Summary(n=5, mean=2.0, stddev=0.0)
    more = Summary(n=5, mean=2.5, stddev=0.0)
    assert stats.welch_from_summary(same, same, 0.95).p_value == 1.0
    assert stats.welch_from_summary(same, more, 0.95).p_value == 0.0


def test_the_geometric_mean_of_reciprocal_ratios_is_one():
    assert stats.geometric_mean([2.0, 0.5, 1.25, 0.8]) == pytest.approx(1.0)


def test_benjamini_hochberg_matches_scipys_reference(rng):
    from scipy.stats import false_discovery_control

    pvalues = np.concatenate([rng.uniform(0, 1, 30), rng.uniform(0, 0.001, 10), [0.5, 0.5]])
    assert stats.adjust(list(pvalues)) == pytest.approx(list(false_discovery_control(pvalues)))


@pytest.mark.parametrize(("base", "head"), [(0, 5), (2, 6), (3, 3), (5, 1), (0, 0)])
def test_the_tail_test_matches_fishers_exact_test(base, head):
    from scipy.stats import fisher_exact

    table = [[head, 50 - head], [base, 50 - base]]
    expected = fisher_exact(table, alternative="greater").pvalue
    assert stats.tail_pvalue(base, 50, head, 50) == pytest.approx(expected)


def test_paired_rounds_matches_a_paired_t_test_when_order_is_not_modelled(rng):
    from scipy.stats import ttest_1samp

    ratios = rng.normal(0.02, 0.01, 10)
    test = stats.paired_rounds(ratios, None, 0.95)
    assert test.p_value == pytest.approx(ttest_1samp(ratios, 0.0).pvalue)
    assert test.change.estimate == pytest.approx(ratios.mean())


def test_an_order_effect_neither_biases_the_change_nor_counts_as_noise():
    """AB BA AB BA ...: whichever side runs second is 2 % slower; head is 1 % slower."""
    head_second = np.array([1.0, 0.0] * 5)
    order = np.log1p(0.02) * (2 * head_second - 1)  # +2 % when head is second, -2 % when first
    ratios = np.log1p(0.01) + order + np.array([1, -1, 0, 1, -1, 0, 1, -1, 0, 0]) * 1e-4
    modelled = stats.paired_rounds(ratios, head_second, 0.95)
    plain = stats.paired_rounds(ratios, None, 0.95)
    assert math.expm1(modelled.change.estimate) == pytest.approx(0.01, abs=1e-3)
    assert modelled.order_effect == pytest.approx(2 * np.log1p(0.02), rel=0.01)
    assert modelled.standard_error < plain.standard_error / 10
