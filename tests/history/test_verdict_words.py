"""Reading a verdict back from a JSON report of either schema: an open question stays open."""

from __future__ import annotations

import pytest

from workflows.compare.report_reading import row_verdict, suite_verdict

# a report row, the (verdict, reason) read from it
ROWS = [
    ({"verdict": "regressed", "reason": None}, ("regressed", None)),
    ({"verdict": "inconclusive", "reason": "too noisy"}, ("inconclusive", "too noisy")),
    ({"verdict": "inconclusive", "reason": 3}, ("inconclusive", None)),  # not a word: none
    ({"verdict": "inconclusive"}, ("inconclusive", None)),
    # schema 1: a row that could not be judged was written "unchanged"
    ({"verdict": "unchanged", "too_noisy": True}, ("inconclusive", "too noisy")),
    (
        {"verdict": "unchanged", "warnings": ["unconfirmed: regressed by +9.0 % in the first"]},
        ("inconclusive", "unconfirmed"),
    ),
    (
        {"verdict": "unchanged", "too_noisy": False, "warnings": ["slow outliers"]},
        ("unchanged", None),
    ),
    ({"verdict": "unchanged", "too_noisy": "yes"}, ("unchanged", None)),  # not a boolean
    ({}, ("unknown", None)),
    ({"verdict": 7}, ("unknown", None)),
]


@pytest.mark.parametrize(("row", "expected"), ROWS)
def test_a_rows_verdict_and_reason_are_read_from_either_schema(row, expected):
    assert row_verdict(row) == expected


# a report, the suite's verdict read from it
SUITES = [
    ({"schema_version": 2, "summary": {"verdict": "inconclusive"}}, "inconclusive"),
    (
        {
            "summary": {"verdict": "regressed"},
            "benchmarks": [{"verdict": "unchanged", "too_noisy": True}],
        },
        "regressed",
    ),
    (
        {
            "summary": {"verdict": "unchanged"},
            "benchmarks": [{"verdict": "unchanged", "too_noisy": True}],
        },
        "inconclusive",
    ),
    (
        {
            "summary": {"verdict": "improved"},
            "benchmarks": [{"verdict": "unchanged", "too_noisy": True}],
        },
        "inconclusive",
    ),
    ({"summary": {"verdict": "unchanged"}, "benchmarks": [{"verdict": "unchanged"}]}, "unchanged"),
    ({"summary": "x", "benchmarks": "y"}, "unknown"),
    ({}, "unknown"),
]


@pytest.mark.parametrize(("report", "expected"), SUITES)
def test_the_suites_verdict_is_inconclusive_when_a_schema_1_row_was_open(report, expected):
    assert suite_verdict(report) == expected
