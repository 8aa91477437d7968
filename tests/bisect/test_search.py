"""The halving search, driven by an injected measurement: commits carry known steps, never
timings, so every outcome below is decided by the table, not by the machine."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from workflows.bisect.search import Bisection, Step, bisect

THRESHOLD = 0.05


def commits(count: int) -> list[str]:
    """c0 (the base) ... c<count>: `count` commits after the base."""
    return [f"c{index}" for index in range(count + 1)]


class Model:
    """Each commit adds its step (relative size) per benchmark; a comparison is regressed when
    the newer side is at least THRESHOLD slower. `noisy` pairs answer `inconclusive`."""

    def __init__(
        self,
        steps: Mapping[str, Mapping[int, float]],
        noisy: frozenset[tuple[int, int]] = frozenset(),
    ) -> None:
        self.steps = steps
        self.noisy = noisy
        self.calls: list[tuple[str, str]] = []

    def level(self, benchmark: str, commit: int) -> float:
        return sum(size for at, size in self.steps[benchmark].items() if at <= commit)

    def __call__(self, older: str, newer: str) -> dict[str, str]:
        self.calls.append((older, newer))
        a, b = int(older[1:]), int(newer[1:])
        verdicts = {}
        for name in self.steps:
            change = self.level(name, b) - self.level(name, a)
            if (a, b) in self.noisy:
                verdicts[name] = "inconclusive"
            elif change >= THRESHOLD:
                verdicts[name] = "regressed"
            elif change <= -THRESHOLD:
                verdicts[name] = "improved"
            else:
                verdicts[name] = "unchanged"
        return verdicts


CASES = {
    # name: (commits after base, steps per benchmark, noisy pairs, budget,
    #        outcome, culprits, steps taken, (good, bad) left open)
    "one culprit in the middle of eight": (
        8, {"GET /search": {4: 0.30}}, (), 8, "found", ("c4",), 5, (None, None),
    ),
    "the first commit is the culprit": (
        8, {"GET /search": {1: 0.30}}, (), 8, "found", ("c1",), 5, (None, None),
    ),
    "the head is the culprit": (
        8, {"GET /search": {8: 0.30}}, (), 8, "found", ("c8",), 4, (None, None),
    ),
    "no commit: the regression does not come back": (
        8, {"GET /search": {}}, (), 8, "none", (), 1, (None, None),
    ),
    "two commits each slow it down": (
        8, {"GET /search": {2: 0.10, 6: 0.10}}, (), 12, "several", ("c2", "c6"), 8, (None, None),
    ),
    "two benchmarks slowed by different commits": (
        8, {"GET /search": {3: 0.2}, "GET /items": {7: 0.2}}, (), 12, "several", ("c3", "c7"),
        9, (None, None),
    ),
    "noise at a step: inconclusive, with the range it stood at": (
        8, {"GET /search": {4: 0.30}}, ((0, 2),), 8, "inconclusive", (), 3, ("c0", "c4"),
    ),
    "an improvement at a step is not read as unchanged": (
        8, {"GET /search": {4: 0.30, 2: -0.2}}, (), 8, "inconclusive", (), 3, ("c0", "c4"),
    ),
    "budget spent before the commit is pinned": (
        8, {"GET /search": {4: 0.30}}, (), 3, "budget", (), 3, ("c2", "c4"),
    ),
    "budget spent checking what follows a found commit": (
        8, {"GET /search": {4: 0.30}}, (), 4, "budget", ("c4",), 4, ("c4", "c8"),
    ),
    "a single commit that regressed": (
        1, {"GET /search": {1: 0.30}}, (), 8, "found", ("c1",), 1, (None, None),
    ),
    "a single commit that did not": (
        1, {"GET /search": {}}, (), 8, "none", (), 1, (None, None),
    ),
    "a single commit, too noisy to say": (
        1, {"GET /search": {1: 0.30}}, ((0, 1),), 8, "inconclusive", (), 1, ("c0", "c1"),
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("count", "steps", "noisy", "budget", "outcome", "culprits", "taken", "left_open"),
    list(CASES.values()),
    ids=list(CASES),
)
def test_the_search_ends_as_the_table_says(
    count: int,
    steps: dict[str, dict[int, float]],
    noisy: tuple[tuple[int, int], ...],
    budget: int,
    outcome: str,
    culprits: tuple[str, ...],
    taken: int,
    left_open: tuple[str | None, str | None],
) -> None:
    model = Model(steps, frozenset(noisy))

    found = bisect(commits(count), model, budget)

    assert (found.outcome, found.culprits, len(found.steps)) == (outcome, culprits, taken)
    assert (found.good, found.bad) == left_open


def test_every_step_is_a_measurement_that_was_made() -> None:
    model = Model({"GET /search": {4: 0.30}})

    found = bisect(commits(8), model, 8)

    assert [(s.older, s.newer) for s in found.steps] == model.calls


def test_the_search_first_reproduces_the_regression_then_halves() -> None:
    model = Model({"GET /search": {4: 0.30}})

    bisect(commits(8), model, 8)

    assert model.calls == [("c0", "c8"), ("c0", "c4"), ("c0", "c2"), ("c2", "c3"), ("c4", "c8")]


@pytest.mark.parametrize("count", [2, 3, 5, 8, 13, 64])
def test_one_culprit_is_pinned_anywhere_in_a_logarithmic_number_of_steps(count: int) -> None:
    most = math.ceil(math.log2(count)) + 2  # reproduce, halvings, and "nothing after it"
    for culprit in range(1, count + 1):
        found = bisect(commits(count), Model({"b": {culprit: 0.2}}), budget=most)

        assert (found.outcome, found.culprits) == ("found", (f"c{culprit}",))
        assert len(found.steps) <= most


def test_a_culprit_is_always_the_newer_side_of_a_regressed_step() -> None:
    found = bisect(commits(8), Model({"b": {2: 0.1, 6: 0.1}}), 12)

    regressed = {step.newer for step in found.steps if step.verdict == "regressed"}
    assert set(found.culprits) <= regressed


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ({"a": "regressed", "b": "unchanged"}, "regressed"),
        ({"a": "regressed", "b": "inconclusive"}, "regressed"),
        ({"a": "unchanged", "b": "unchanged"}, "unchanged"),
        ({"a": "unchanged", "b": "inconclusive"}, "inconclusive"),
        ({"a": "improved"}, "inconclusive"),
        ({"a": "removed"}, "inconclusive"),
        ({}, "inconclusive"),
    ],
)
def test_a_step_verdict_is_regressed_if_any_benchmark_regressed_unchanged_only_if_all_were(
    verdicts: dict[str, str], expected: str
) -> None:
    assert Step("c0", "c1", verdicts).verdict == expected


@pytest.mark.parametrize(
    ("history", "budget", "message"),
    [
        (["c0"], 8, "needs a base and at least one commit"),
        ([], 8, "needs a base and at least one commit"),
        (["c0", "c1"], 0, "at least 1 step"),
    ],
)
def test_an_impossible_search_is_refused(history: list[str], budget: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bisect(history, Model({"b": {}}), budget)


def test_a_result_is_plain_data() -> None:
    found = bisect(commits(1), Model({"b": {1: 0.2}}), 1)

    assert found == Bisection("found", ("c1",), (Step("c0", "c1", {"b": "regressed"}),))
