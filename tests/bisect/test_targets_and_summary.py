"""Which benchmarks a bisection follows, and how its outcome is put into words."""

from __future__ import annotations

import pytest

from workflows.bisect import summary, targets
from workflows.bisect.search import Bisection, Step

REPORT = {
    "benchmarks": [
        {"name": "GET /search", "verdict": "regressed"},
        {"name": "GET /items", "verdict": "unchanged"},
        {"name": "GET /stats", "verdict": "inconclusive", "reason": "too noisy"},
        {"name": "GET /etag", "verdict": "regressed"},
        {"verdict": "regressed"},
        "not a row",
    ]
}


def test_the_regressions_of_a_report_are_its_regressed_rows_in_order() -> None:
    assert targets.regressed(REPORT) == ("GET /search", "GET /etag")


@pytest.mark.parametrize("report", [{}, {"benchmarks": "x"}, {"benchmarks": []}])
def test_a_report_without_rows_has_no_regressions(report: dict) -> None:
    assert targets.regressed(report) == ()


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([], "no benchmark to bisect"),
        (["a\nb"], "cannot be bisected"),
        (["tab\there"], "cannot be bisected"),
        (["nul\x00"], "cannot be bisected"),
        (["bidi\u202e"], "cannot be bisected"),
        ([" "], "cannot be bisected"),
        (["x" * 201], "cannot be bisected"),
        ([f"b{i}" for i in range(51)], "at most 50"),
    ],
)
def test_names_that_cannot_travel_one_a_line_are_refused(names: list[str], message: str) -> None:
    with pytest.raises(targets.NoTargets, match=message):
        targets.checked(names)


def test_names_are_kept_once_in_order() -> None:
    assert targets.checked(["b", "a", "b"]) == ("b", "a")


def test_a_benchmark_missing_from_a_step_report_is_missing_not_unchanged() -> None:
    assert targets.verdicts(REPORT, ["GET /search", "GET /gone"]) == {
        "GET /search": "regressed",
        "GET /gone": "missing",
    }


STEP = Step("a" * 40, "b" * 40, {"GET /search": "regressed"})
SUBJECTS = {"b" * 40: "search: \x1b[31mslow\nit down", "a" * 40: "base"}


@pytest.mark.parametrize(
    ("found", "words"),
    [
        (Bisection("found", ("b" * 40,), (STEP,)), "found: bbbbbbbbbb (search: \ufffd[31mslow it"),
        (Bisection("several", ("a" * 40, "b" * 40), (STEP,)), "several commits: the change comes"),
        (Bisection("none", (), (STEP,)), "none: the regression did not come back"),
        (
            Bisection("inconclusive", (), (STEP,), "a" * 40, "b" * 40),
            "inconclusive: the last step could not be judged; the change is between aaaaaaaaaa",
        ),
        (
            Bisection("budget", (), (STEP,), "a" * 40, "b" * 40),
            "not pinned within the job's 3 steps: the change is between aaaaaaaaaa (base)",
        ),
    ],
    ids=["found", "several", "none", "inconclusive", "budget"],
)
def test_the_headline_says_what_the_steps_showed(found: Bisection, words: str) -> None:
    assert summary.headline(found, SUBJECTS, budget=3).startswith(words)


def test_the_text_has_a_line_per_step_and_the_totals() -> None:
    text = summary.text(
        Bisection("found", ("b" * 40,), (STEP, STEP)), subjects={}, durations=[30.0, 95.0],
        budget=8,
    )  # fmt: skip
    lines = text.splitlines()
    assert lines[0] == "step 1: aaaaaaaaaa..bbbbbbbbbb regressed (GET /search regressed, 30 s)"
    assert lines[1].endswith("(GET /search regressed, 1 min 35 s)")
    assert lines[-1] == "2 steps, 2 min 5 s"
