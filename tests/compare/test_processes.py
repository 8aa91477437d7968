"""Processes as a level of the experiment: a round's value comes from its processes, and a
benchmark whose processes fall into modes is said to be multimodal, with the processes a round
it would need."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from workflows.compare import Verdict, compare, stats
from workflows.compare.json_report import render_json
from workflows.compare.modes import MULTIMODAL, find_modes, processes_needed
from workflows.results import ResultSet, make_benchmark

ROUNDS = 10


def side(label: str, values: dict[str, list[list[list[float]]]]) -> ResultSet:
    """values[name][round][process] = that process's samples."""
    benchmarks = []
    for name, rounds in values.items():
        samples, round_of, process_of = [], [], []
        for r, processes in enumerate(rounds, start=1):
            for p, found in enumerate(processes, start=1):
                samples += found
                round_of += [r] * len(found)
                process_of += [p] * len(found)
        several = max(len(processes) for processes in rounds) > 1
        benchmarks.append(
            make_benchmark(
                name, "s", samples=samples, rounds=round_of,
                processes=process_of if several else (),
            )
        )  # fmt: skip
    return ResultSet.build(label, "perfbot", benchmarks)


def jitter(rng: np.random.Generator, center: float, n: int, cv: float = 0.002) -> list[float]:
    return (center * np.exp(cv * rng.standard_normal(n))).tolist()


def test_a_round_is_the_geometric_mean_of_its_processes_medians_not_its_pooled_median(rng):
    """Both sides ran one process at 1.00 and one at 1.21 each round; base's slow process gave
    one sample, head's nine. Pooling a round's samples calls head 21 % slower; a round as the
    mean of its two processes sees the same code."""
    base = [[jitter(rng, 1.0, 9), jitter(rng, 1.21, 1)] for _ in range(ROUNDS)]
    head = [[jitter(rng, 1.0, 1), jitter(rng, 1.21, 9)] for _ in range(ROUNDS)]
    (row,) = compare(side("base", {"q": base}), side("head", {"q": head})).benchmarks
    assert abs(row.change) < 0.01
    assert row.verdict is not Verdict.REGRESSED
    assert row.base.round_center == pytest.approx(1.1, rel=0.01)


def test_one_process_a_round_is_judged_as_before(rng):
    rounds = [[jitter(rng, 1.0, 5)] for _ in range(ROUNDS)]
    slower = [[[v * 1.2 for v in r[0]]] for r in rounds]
    (row,) = compare(side("base", {"q": rounds}), side("head", {"q": slower})).benchmarks
    assert row.verdict is Verdict.REGRESSED
    assert row.change == pytest.approx(0.2, rel=0.01)


def bimodal(rng: np.random.Generator, slow: list[bool], gap: float) -> list[list[list[float]]]:
    return [[jitter(rng, 1.0 + gap * s, 5)] for s in slow]


def test_a_benchmark_whose_processes_fall_in_two_modes_is_called_multimodal(rng):
    slow = [True, False] * 5
    base = bimodal(rng, [False] * ROUNDS, 0.5)
    head = bimodal(rng, slow, 0.5)
    (row,) = compare(side("base", {"q": base}), side("head", {"q": head})).benchmarks
    assert row.modes is not None
    assert (row.modes.side, row.modes.processes, row.modes.slow) == ("head", 10, 5)
    assert row.modes.gap == pytest.approx(0.5, rel=0.02)
    assert row.modes.needed is not None
    assert row.modes.needed > 1
    said = [w for w in row.warnings if w.startswith(MULTIMODAL.split("{")[0])]
    assert len(said) == 1
    assert "5 of 10" in said[0]
    assert f"{row.modes.needed} processes a round" in said[0]
    document = json.loads(render_json(compare(side("b", {"q": base}), side("h", {"q": head}))))
    assert document["benchmarks"][0]["modes"]["slow"] == 5


@pytest.mark.parametrize(
    ("slow", "gap", "cv"),
    [
        ([False] * ROUNDS, 0.0, 0.02),  # one mode, noisy
        ([True, False] * 5, 0.02, 0.002),  # two modes closer than the 4 % threshold
        ([True] + [False] * 9, 0.5, 0.002),  # one slow process is an outlier, not a mode
    ],
)
def test_no_modes_are_claimed_without_two_groups_apart_by_more_than_the_threshold(
    rng, slow, gap, cv
):
    head = [[jitter(rng, 1.0 + gap * s, 5, cv)] for s in slow]
    base = [[jitter(rng, 1.0, 5, cv)] for _ in range(ROUNDS)]
    (row,) = compare(side("base", {"q": base}), side("head", {"q": head})).benchmarks
    assert row.modes is None
    assert not any("multimodal" in w for w in row.warnings)


def test_processes_within_rounds_are_counted_as_processes(rng):
    head = [[jitter(rng, 1.5 if p == 0 else 1.0, 5) for p in range(3)] for _ in range(ROUNDS)]
    base = [[jitter(rng, 1.0, 5) for _ in range(3)] for _ in range(ROUNDS)]
    (row,) = compare(side("base", {"q": base}), side("head", {"q": head})).benchmarks
    assert (row.modes.processes, row.modes.slow) == (30, 10)


@pytest.mark.parametrize(
    ("gap", "share", "spread", "rounds"),
    [(0.5, 0.5, 0.01, 10), (0.3, 0.2, 0.005, 10), (0.1, 0.5, 0.01, 20), (0.7, 0.4, 0.0, 5)],
)
def test_the_processes_needed_are_the_fewest_that_would_see_a_threshold_sized_change(
    gap, share, spread, rounds
):
    threshold, level = 0.04, 0.02

    def detectable(processes: int) -> float:
        variance = (gap**2 * share * (1 - share) + spread**2) / processes
        return stats.detectable_change(math.sqrt(2 * variance / rounds), level, rounds - 1)

    needed = processes_needed(gap, share, spread, rounds, threshold, level)
    if needed is None:
        assert detectable(100) > math.log1p(threshold)
    else:
        assert detectable(needed) <= math.log1p(threshold)
        assert needed == 1 or detectable(needed - 1) > math.log1p(threshold)


def test_find_modes_needs_two_groups_of_at_least_two():
    assert find_modes(np.log([1.0, 1.0, 1.5]), math.log1p(0.04)) is None
    found = find_modes(np.log([1.0, 1.001, 1.5, 1.501]), math.log1p(0.04))
    assert found is not None
    assert found.slow == 2


def _naive_split(logs: np.ndarray) -> tuple[int, float] | None:
    ordered = np.sort(logs)
    best = None
    for k in range(2, ordered.size - 1):
        low, high = ordered[:k], ordered[k:]
        within = ((low - low.mean()) ** 2).sum() + ((high - high.mean()) ** 2).sum()
        ratio = (high[0] - low[-1]) / math.sqrt(within / (ordered.size - 2))
        if best is None or ratio > best[1]:
            best = (ordered.size - k, ratio)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_the_split_is_the_widest_gap_against_the_spread_within_the_groups(seed):
    rng = np.random.default_rng(seed)
    slow = rng.random(12) < 0.4
    slow[:2], slow[2:4] = True, False
    logs = 0.01 * rng.standard_normal(12) + np.log1p(0.3) * slow
    found = find_modes(logs, math.log1p(0.04))
    slow_count, ratio = _naive_split(logs)
    assert found is not None
    assert ratio >= 5
    assert found.slow == slow_count == int(slow.sum())
