"""`confirm(first, second)`: a flagged change stands only when the second measurement repeats it."""

from __future__ import annotations

import json

import pytest

from tests.compare.builders import noisy, pair
from workflows.compare import Verdict, compare, display, render_json, render_markdown, render_text
from workflows.compare.confirm import confirm, flagged, flagged_in_report
from workflows.compare.verdicts import Open

# How each benchmark moves in a measurement: head's center against base's 1.0.
SLOWER, FASTER, SAME = 1.2, 0.8, 1.0


def measure(rng, moves: dict[str, float], n: int = 10):
    base = {name: noisy(rng, 1.0, n=n) for name in moves}
    head = {name: noisy(rng, factor, n=n) for name, factor in moves.items()}
    return compare(*pair(base, head))


@pytest.fixture
def first(rng):
    """`slow` regressed, `quick` improved, `calm` unchanged."""
    return measure(rng, {"slow": SLOWER, "quick": FASTER, "calm": SAME})


def row(comparison, name):
    return next(r for r in comparison.benchmarks if r.name == name)


# second measurement of `slow`, what `slow` ends as, whether it counts as confirmed
CASES = [
    (SLOWER, Verdict.REGRESSED, True),
    (SAME, Verdict.INCONCLUSIVE, False),
    (FASTER, Verdict.INCONCLUSIVE, False),  # significant, but the other way
]


@pytest.mark.parametrize(("again", "verdict", "confirmed"), CASES)
def test_a_flagged_change_stands_only_when_the_second_measurement_repeats_it(
    rng, first, again, verdict, confirmed
):
    second = measure(rng, {"slow": again, "quick": FASTER})
    result = row(confirm(first, second), "slow")
    assert result.verdict is verdict
    assert result.reason is (None if confirmed else Open.UNCONFIRMED)
    assert result.confirmation["confirmed"] is confirmed
    assert result.confirmation["verdict"] == str(row(second, "slow").verdict)


def test_an_unconfirmed_change_carries_a_warning_with_both_measurements(rng, first):
    second = measure(rng, {"slow": SAME, "quick": FASTER})
    warning = row(confirm(first, second), "slow").warnings[-1]
    assert warning.startswith("unconfirmed: regressed by +")
    assert "the confirmation (10 rounds) found" not in warning  # one file: no rounds counted
    assert "(unchanged, p adj." in warning


def test_a_flagged_benchmark_the_confirmation_did_not_measure_is_unconfirmed(rng, first):
    second = measure(rng, {"quick": FASTER})
    result = row(confirm(first, second), "slow")
    assert result.verdict is Verdict.INCONCLUSIVE
    assert result.reason is Open.UNCONFIRMED
    assert result.confirmation == {
        "confirmed": False,
        "first_verdict": "regressed",
        "verdict": None,
    }
    assert result.warnings[-1].endswith("not measured again")


def test_rows_the_first_comparison_did_not_flag_are_left_alone(rng, first):
    second = measure(rng, {"slow": SLOWER, "quick": FASTER, "calm": SLOWER})
    result = row(confirm(first, second), "calm")
    assert result == row(first, "calm")
    assert result.confirmation is None


def test_an_unconfirmed_regression_leaves_the_suite_open_not_improved(rng, first):
    second = measure(rng, {"slow": SAME, "quick": FASTER})
    confirmed = confirm(first, second)
    assert first.verdict is Verdict.REGRESSED
    assert confirmed.verdict is Verdict.INCONCLUSIVE
    assert confirmed.open == {Open.UNCONFIRMED: 1}
    assert confirmed.confirmation["confirmed"] == ["quick"]
    assert confirmed.confirmation["unconfirmed"] == ["slow"]


def test_the_record_is_the_second_comparisons_own_adjusted_test(rng, first):
    second = measure(rng, {"slow": SLOWER, "quick": FASTER})
    record = row(confirm(first, second), "slow").confirmation
    assert record["p_adjusted"] == row(second, "slow").p_adjusted
    assert record["p_adjusted"] != row(first, "slow").p_adjusted


def test_the_flagged_list_is_every_regression_and_improvement(first):
    assert flagged(first) == ["slow", "quick"]
    assert flagged_in_report(json.loads(render_json(first))) == ["slow", "quick"]


@pytest.mark.parametrize(
    "report",
    [None, [], {}, {"benchmarks": None}, {"benchmarks": [{"verdict": "regressed"}, "x"]}],
)
def test_a_report_without_flagged_rows_lists_nothing(report):
    assert flagged_in_report(report) == []


def test_the_json_report_records_the_confirmation_per_row_and_for_the_run(rng, first):
    second = measure(rng, {"slow": SAME, "quick": FASTER})
    document = json.loads(render_json(confirm(first, second)))
    rows = {b["name"]: b for b in document["benchmarks"]}
    assert rows["slow"]["verdict"] == "inconclusive"
    assert rows["slow"]["reason"] == "unconfirmed"
    assert document["summary"]["verdict"] == "inconclusive"
    assert document["summary"]["open"] == {"unconfirmed": 1}
    assert rows["slow"]["confirmation"]["confirmed"] is False
    assert rows["quick"]["confirmation"]["confirmed"] is True
    assert rows["calm"]["confirmation"] is None
    assert document["confirmation"]["unconfirmed"] == ["slow"]
    assert document["confirmation"]["measured"] == 2


def test_the_json_report_has_no_confirmation_without_a_confirmation_run(first):
    assert json.loads(render_json(first))["confirmation"] is None


def test_the_text_report_labels_the_unconfirmed_row_and_explains_it(rng, first):
    second = measure(rng, {"slow": SAME, "quick": FASTER})
    lines = render_text(confirm(first, second)).splitlines()
    assert any(line.split()[:2] == ["unconfirmed", "slow"] for line in lines)
    assert any(line.strip().startswith("- slow: unconfirmed: regressed by") for line in lines)


def test_the_markdown_report_shows_both_measurements_of_an_unconfirmed_row_first(rng, first):
    second = measure(rng, {"slow": SAME, "quick": FASTER})
    confirmed = confirm(first, second)
    markdown = render_markdown(confirmed)
    slow, again = row(confirmed, "slow"), row(second, "slow")
    table = markdown.split("**Unconfirmed** (1)")[1].split("\n\n")[1]
    cells = [c.strip() for c in table.splitlines()[-1].split("|")[1:-1]]
    assert cells[0] == "<code>slow</code>"
    assert cells[1].startswith(display.percent(slow.change))
    assert cells[3].startswith(display.percent(again.change))
    assert markdown.index("**Unconfirmed**") < markdown.index("<code>quick</code>")
    assert "- ⚠️ <code>slow</code>: unconfirmed: regressed by" not in markdown  # not twice
    assert "confirmation: 1 of 2 flagged benchmark(s) repeated" in markdown


def test_a_confirmation_too_short_for_a_verdict_says_so(rng, first):
    second = measure(rng, {"slow": SLOWER, "quick": FASTER}, n=3)
    warning = row(confirm(first, second), "slow").warnings[-1]
    assert warning.endswith(
        "; no verdict there: too few samples for a verdict "
        "(base 3, head 3; at least 5 a side needed)"
    )
