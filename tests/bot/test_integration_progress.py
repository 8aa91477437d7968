"""Long runs say where they are on the PR: `/perf-bot status`, the check run, the start reply.

Through the bot over real HTTP: PyGithub against the GitHub stand-in, the Argo client against
the Argo stand-in, which serves workflows with `status.progress`, node progress and semaphore
waits in the shape of Argo's swagger.json.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.bot.payloads import COMMENT_ID, PR_NUMBER, REPO
from tests.bot.stack import Stack, result
from workflows.argo import workflow_name_for_comment
from workflows.labels import COMPLETED, run_labels

DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
WORKFLOW = workflow_name_for_comment(COMMENT_ID)  # the seeded comment of `stack.comment`
LOCK = "perfbot/ConfigMap/perfbot-semaphores/benchmark-nodes"
QUEUED = "queued: waiting for a benchmark node"
UNFINISHED = f"{COMPLETED}!=true"  # the selector of the listing of waiting runs


def minutes_ago(minutes: int) -> str:
    moment = datetime.now(UTC) - timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_of(stack: Stack, workflow: str) -> dict:
    [check] = [c for c in stack.repo.check_runs.values() if c["external_id"] == workflow]
    return check


@pytest.fixture
def started(stack: Stack) -> Stack:
    """A run started by `/run-perf`, its check run open; the reply is the first comment."""
    assert stack.comment("/run-perf main", delivery=DELIVERY).json["outcome"] == "submitted"
    return stack


def queue_ahead(stack: Stack, count: int) -> None:
    """`count` other runs (of other PRs) waiting for the node, created before any run here."""
    for index in range(count):
        name = f"perf-waiting-{index}"
        stack.argo.add_workflow(name, run_labels(REPO, PR_NUMBER + 10 + index, "api", "f" * 40))
        stack.argo.queued(name, lock=LOCK, holders=["perfbot/perf-holder/perf-holder-1"])
        stack.argo.created_at(name, f"2000-01-01T00:0{index}:00Z")


def test_status_shows_the_step_argos_progress_the_round_and_the_time_left(
    started: Stack,
) -> None:
    started.argo.measuring(WORKFLOW, done=7, total=20, started=minutes_ago(7))

    assert started.comment("/perf-bot status").json["outcome"] == "status"

    reply = started.replies()[-1]
    assert "| Running · step benchmark · Argo's progress 9/24 · " in reply
    assert "benchmark round 4/10 base (7/20 sides) · about 13 min left |" in reply


def test_status_writes_the_same_line_into_the_open_check_run(started: Stack) -> None:
    started.argo.measuring(WORKFLOW, done=7, total=20, started=minutes_ago(7))

    started.comment("/perf-bot status")

    check = check_of(started, WORKFLOW)
    assert (check["status"], check["output"]["title"]) == ("in_progress", "Running")
    line = check["output"]["summary"].split("\n\n")[0]
    assert f"| {line} |" in started.replies()[-1]


def test_a_run_held_on_the_semaphore_is_queued_with_the_runs_ahead_of_it(started: Stack) -> None:
    queue_ahead(started, 2)
    started.argo.queued(WORKFLOW, lock=LOCK)

    started.comment("/perf-bot status")

    assert f"| Running · {QUEUED} (2 runs ahead) · Argo's progress 2/2 |" in started.replies()[-1]
    check = check_of(started, WORKFLOW)
    assert check["output"]["title"] == "Queued: waiting for a benchmark node"
    assert check["output"]["summary"].startswith(f"Running · {QUEUED} (2 runs ahead)")


def test_the_queue_left_unread_leaves_out_only_the_count(started: Stack) -> None:
    started.argo.queued(WORKFLOW, lock=LOCK)
    started.argo.fail_next(500, method="GET", selector=UNFINISHED, times=5)

    started.comment("/perf-bot status")

    assert f"| Running · {QUEUED} · Argo's progress 2/2 |" in started.replies()[-1]


def test_a_check_run_that_cannot_be_updated_does_not_cost_the_reply(started: Stack) -> None:
    started.argo.measuring(WORKFLOW, done=3, total=20, started=minutes_ago(7))
    [check_id] = started.repo.check_runs
    started.github.fail_next(500, 5, path=f"/check-runs/{check_id}")  # reading it, editing it

    started.comment("/perf-bot status")

    assert "benchmark round 2/10 base (3/20 sides)" in started.replies()[-1]
    assert check_of(started, WORKFLOW)["output"]["title"] == "Running"  # as it was opened


def test_the_start_reply_says_how_long_and_how_many_runs_are_ahead(stack: Stack) -> None:
    queue_ahead(stack, 3)

    stack.comment("/run-perf main", delivery=DELIVERY)

    [reply] = stack.replies()
    assert "It should take at most 2 h: builds up to 1 h, deploys up to 2 min, " in reply
    assert "10 rounds per side up to 1 h" in reply
    assert "3 runs are waiting for a benchmark node ahead of it." in reply
    assert (
        "3 runs are waiting for a benchmark node" in check_of(stack, WORKFLOW)["output"]["summary"]
    )


def test_the_start_reply_goes_by_the_jobs_earlier_runs_with_its_rounds(stack: Stack) -> None:
    earlier = "perf-earlier"
    stack.argo.add_workflow(earlier, run_labels(REPO, PR_NUMBER, "api", "0" * 40))
    stack.argo.finish(
        earlier,
        started="2000-01-01T00:00:00Z",
        finished="2000-01-01T00:30:00Z",
        benchmark=("2000-01-01T00:09:00Z", "2000-01-01T00:29:00Z", 10),
    )

    stack.comment("/run-perf main rounds=20", delivery=DELIVERY)

    assert (
        "It should take about 50 min (as this job's last run did, scaled to 20 rounds)"
        in (stack.replies()[0])
    )


def test_the_callback_completes_the_check_with_where_argo_had_the_run(started: Stack) -> None:
    started.argo.measuring(WORKFLOW, done=20, total=20, started=minutes_ago(7))

    assert started.callback(result(WORKFLOW, verdict="improved")).json["outcome"] == "reported"

    summary = check_of(started, WORKFLOW)["output"]["summary"]
    assert "In Argo at the report: Running · " in summary
    assert "benchmark 20/20 sides done" in summary


def test_while_argo_cannot_confirm_the_run_the_callback_is_a_503_then_reports(
    started: Stack,
) -> None:
    """The run is checked with Argo before anything is written (`bot.results.run_binding`): while
    Argo fails the sender is told to retry (503), and nothing is written; the retry reports."""
    writes = len(started.github.writes())
    started.argo.fail_next(500, method="GET", times=2)  # the read and its one retry

    refused = started.callback(result(WORKFLOW, verdict="improved"))

    assert (refused.status_code, refused.json["outcome"]) == (503, "argo-unavailable")
    assert len(started.github.writes()) == writes
    assert started.callback(result(WORKFLOW, verdict="improved")).json["outcome"] == "reported"

    check = check_of(started, WORKFLOW)
    assert (check["status"], check["conclusion"]) == ("completed", "success")
    assert "In Argo at the report" in check["output"]["summary"]
