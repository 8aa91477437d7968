"""From a callback to what the PR shows: conclusions, titles, failing steps, size limits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.results.report import MAX_COMMENT, outcome_for, step_message
from tests.bot.stack import exit_callback, result

LINK = "https://argo.example.test/workflows/perfbot/perf-1"


@pytest.mark.parametrize(
    ("verdict", "conclusion", "title"),
    [
        ("improved", "success", "Faster"),
        ("unchanged", "success", "No significant change"),
        ("Unchanged", "success", "No significant change"),
        ("regressed", "failure", "Regression"),
        ("inconclusive", "neutral", "Inconclusive"),
        ("weird", "neutral", "Verdict: weird"),
        (None, "neutral", "Verdict: none"),
    ],
)
def test_a_verdict_sets_the_check_runs_conclusion(verdict, conclusion: str, title: str) -> None:
    outcome = outcome_for(result("perf-1", verdict=verdict), LINK)
    assert (outcome.conclusion, outcome.title) == (conclusion, title)
    assert outcome.comment is not None
    assert f"[workflow `perf-1`]({LINK})" in outcome.comment


# the report's summary.open, the title it gives an inconclusive run
OPEN_TITLES = [
    ({"too noisy": 3}, "Inconclusive: 3 too noisy"),
    ({"too noisy": 1, "unconfirmed": 1}, "Inconclusive: 1 too noisy, 1 unconfirmed"),
    ({"<b>x</b>": 1}, "Inconclusive: 1 &lt;b&gt;x&lt;/b&gt;"),
    ({"too noisy": "many"}, "Inconclusive"),  # not a count: left out
    ([], "Inconclusive"),
    (None, "Inconclusive"),
]


@pytest.mark.parametrize(("open_", "title"), OPEN_TITLES)
def test_an_inconclusive_run_is_neutral_with_its_reasons_in_the_title(open_, title) -> None:
    payload = replace(
        result("perf-1", verdict="inconclusive"),
        report={"summary": {"verdict": "inconclusive", "open": open_}},
    )
    outcome = outcome_for(payload, LINK)
    assert outcome.conclusion == "neutral"
    assert outcome.title == title
    assert f"### perfbot · api: {title}" in (outcome.comment or "")


@pytest.mark.parametrize(
    ("status", "failures", "conclusion", "comments"),
    [
        ("Succeeded", [], "neutral", False),
        ("Failed", [{"displayName": "compare", "message": "boom"}], "failure", True),
        ("Error", [], "failure", True),
        ("Failed", [{"message": "Stopped with strategy 'Stop'"}], "cancelled", False),
        ("Failed", [{"message": "workflow shutdown with strategy: Stop"}], "cancelled", False),
    ],
)
def test_how_a_workflow_ended_decides_the_comment_and_the_check_run(
    status: str, failures: list, conclusion: str, comments: bool
) -> None:
    outcome = outcome_for(exit_callback("perf-1", status, failures), LINK)
    assert outcome.conclusion == conclusion
    assert (outcome.comment is not None) == comments


def test_failures_that_are_not_objects_are_skipped() -> None:
    outcome = outcome_for(exit_callback("perf-1", "Failed", [1, "x", None]), LINK)
    assert outcome.conclusion == "failure"
    assert "without naming a failing step" in (outcome.comment or "")


def test_an_error_without_failures_still_says_how_the_run_ended() -> None:
    outcome = outcome_for(exit_callback("perf-1", "Error"), LINK)
    assert "The workflow ended Error without naming a failing step" in (outcome.comment or "")


def test_a_huge_report_is_cut_to_what_github_accepts() -> None:
    outcome = outcome_for(result("perf-1", report="x" * 100_000), LINK)
    assert outcome.comment is not None
    assert len(outcome.comment) < 65536
    assert outcome.comment.endswith("in the workflow's artifacts)")
    assert len(outcome.summary) <= MAX_COMMENT + 100


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("Failed", "the run failed"),
        ("Error", "the run errored"),  # Argo's phase for a step it could not run (a fetch)
        ("", "the run failed"),
        ("Weird", "the run ended weird"),
    ],
)
def test_a_failed_or_errored_run_is_said_in_words(status: str, said: str) -> None:
    failures = [{"displayName": "build-head", "templateName": "build", "message": "boom"}]
    outcome = outcome_for(exit_callback("perf-1", status, failures), LINK)
    assert outcome.conclusion == "failure"
    assert outcome.title.lower().startswith(said)
    assert f": {said}" in (outcome.comment or "")


ROW_SHAPES = {
    "short rows": "| bench-{i} | 1.0 ms | 1.1 ms | +10.0 % |",
    "long rows": "| " + "x" * 900 + "-{i} | 1 | 2 | 3 |",
    "ragged rows": "| {i} | " + "y" * 37 + " |",
}


@pytest.mark.parametrize("row", ROW_SHAPES.values(), ids=ROW_SHAPES.keys())
def test_a_truncated_report_cuts_whole_rows_and_says_where_the_rest_is(row: str) -> None:
    table = "\n".join(
        ["| a | b | c | d |", "| - | - | - | - |"] + [row.format(i=i) for i in range(20_000)]
    )
    outcome = outcome_for(result("perf-x", report=table), "https://argo/x")
    for text in (outcome.comment, outcome.summary):
        assert len(text) <= 65_536
        kept, _, note = text.partition("\n\n… (report truncated")
        assert note
        assert kept.endswith("|")  # the last row kept is whole
        assert kept.rsplit("\n", 1)[1].count("|") == row.count("|")


# Argo lists every failed node, the run's own and its DAGs included, in no fixed order.
# Every entry carries a podName, DAGs' too (seen on Argo v4.0.5, tests/cluster).
ARGO_ORDER = [
    {
        "displayName": "perf-1",
        "templateName": "pipeline",
        "phase": "Failed",
        "message": "",
        "podName": "perf-1",
    },
    {
        "displayName": "measure",
        "templateName": "measure",
        "phase": "Failed",
        "message": "",
        "podName": "perf-1-measure-318815365",
    },
    {
        "displayName": "deploy-head",
        "templateName": "deploy",
        "phase": "Failed",
        "message": "exit code 1",
        "podName": "perf-1-deploy-123",
    },
]


@pytest.mark.parametrize("order", [ARGO_ORDER, ARGO_ORDER[::-1], ARGO_ORDER[1:] + ARGO_ORDER[:1]])
def test_the_failed_step_is_named_whatever_order_argo_lists_the_failures_in(order) -> None:
    outcome = outcome_for(exit_callback("perf-1", "Failed", order), LINK)
    assert outcome.title.endswith("at step deploy-head")
    assert (outcome.comment or "").index("deploy-head") < (outcome.comment or "").index("measure")


# Seen on the real cluster: a step failed (confirm-compare), and Argo then stopped the run's
# service daemons, which it lists as failed too, each with its last log line as message.
KILLED_DAEMONS = [
    {
        "displayName": f"deploy-{side}(0)",
        "templateName": "deploy",
        "phase": "Failed",
        "message": "shop: serving on port 8080",
        "podName": f"perf-1-deploy-{side}",
    }
    for side in ("base", "head")
]
CAUSE = {
    "displayName": "confirm-compare",
    "templateName": "confirm-compare",
    "phase": "Error",
    "message": "init: OOMKilled (exit code 137)",
    "podName": "perf-1-confirm-compare-1",
}


@pytest.mark.parametrize("order", [[*KILLED_DAEMONS, CAUSE], [CAUSE, *KILLED_DAEMONS]])
def test_a_step_that_failed_is_named_before_the_services_argo_stopped_after_it(order) -> None:
    outcome = outcome_for(exit_callback("perf-1", "Error", [*ARGO_ORDER[:2], *order]), LINK)
    assert outcome.title.endswith("at step confirm-compare")


# Seen on the real cluster (Argo v4.0.5): a service never became ready; at the run's deadline
# Argo failed its pods, marked their retry nodes Succeeded ("retry exceeded workflow deadline"),
# so the benchmark after them was created and at once failed "Step exceeded its deadline".
NEVER_READY = [
    {
        "displayName": "benchmark",
        "templateName": "benchmark",
        "phase": "Failed",
        "message": "Step exceeded its deadline",
        "podName": "perf-1-benchmark-1",
    },
    {
        "displayName": "deploy-base(0)",
        "templateName": "deploy",
        "phase": "Failed",
        "message": "Pod was active on the node longer than the specified deadline",
        "podName": "perf-1-deploy-base",
    },
]


def test_past_the_deadline_the_step_that_was_running_is_named_not_the_one_never_started() -> None:
    outcome = outcome_for(exit_callback("perf-1", "Failed", [*ARGO_ORDER[:2], *NEVER_READY]), LINK)
    assert outcome.title.endswith("at step deploy-base(0)")


def test_a_service_that_failed_alone_is_still_named() -> None:
    outcome = outcome_for(
        exit_callback("perf-1", "Failed", [*ARGO_ORDER[:2], KILLED_DAEMONS[0]]), LINK
    )
    assert outcome.title.endswith("at step deploy-base(0)")


def test_a_run_with_only_dag_failures_names_the_dag_not_the_run() -> None:
    outcome = outcome_for(exit_callback("perf-1", "Failed", ARGO_ORDER[:2]), LINK)
    assert outcome.title.endswith("at step measure")


# (Argo's node message, what the report shows)
STEP_MESSAGES = [
    (None, "no message"),
    ("", "no message"),
    ("main: Error (exit code 3)", "main: Error (exit code 3)"),
    (
        "main: Error (exit code 3): perfbot: no image r/x:abc for the head commit; "
        "run with rebuild=true (/run-perf) to build it\n"
        'time=2026-12-07T23:15:51Z level=INFO msg="sub-process exited" argo=true error="exit '
        'status 3"\nError: exit status 3\n',
        "main: Error (exit code 3): perfbot: no image r/x:abc for the head commit; "
        "run with rebuild=true (/run-perf) to build it",
    ),
    ("a\n\n  b  \n", "a / b"),
    (
        'main: Error (exit code 143): time=2026-12-07T23:56:55Z level=INFO msg="x" argo=true\n'
        "shop: serving on port 8080\nError: exit status 143\n",
        "main: Error (exit code 143): shop: serving on port 8080",
    ),
    ("init: OOMKilled (exit code 137)", "init: OOMKilled (exit code 137)"),
    ("only executor lines argo=true\nError: exit status 1", "no message"),
    (
        "x" * 600 + "\n" + "the reason at the end",
        "…" + ("x" * 600 + " / the reason at the end")[-499:],
    ),
]


@pytest.mark.parametrize(("message", "shown"), STEP_MESSAGES)
def test_a_failed_steps_message_is_shown_without_the_executors_lines_and_by_its_end(message, shown):
    assert step_message(message) == shown
