"""A run whose callback never arrives is found again: `/perf-bot status` lists the PR's runs
from Argo's labels and closes the check runs that finished without a report."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.constants import ARGO_UI
from tests.bot.payloads import PR_NUMBER, REPO
from tests.bot.stack import Stack, result
from tests.faults.conftest import Answer
from workflows.argo import workflow_name_for_comment
from workflows.labels import run_labels

RUNNING = "perf-11111111-0000-4000-8000-000000000003"  # a run started by hand


def check_of(stack: Stack, workflow: str) -> dict:
    [check] = [c for c in stack.repo.check_runs.values() if c["external_id"] == workflow]
    return check


def check_id(stack: Stack, workflow: str) -> int:
    [check] = [i for i, c in stack.repo.check_runs.items() if c["external_id"] == workflow]
    return check


def started(stack: Stack, deliver: Callable[..., Answer], body: str) -> str:
    """A run started by a new comment; its workflow's name (the comment's)."""
    comment = stack.new_comment_id()
    assert deliver(body, comment_id=comment).outcome == "submitted"
    return workflow_name_for_comment(comment)


def test_a_finished_run_whose_report_never_came_is_listed_and_its_check_closed(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    lost = started(stack, deliver, "/run-perf main")
    stack.argo.finish(lost, "Succeeded")  # ... and its callbacks were lost on the way

    assert deliver("/perf-bot status").outcome == "status"

    check = check_of(stack, lost)
    assert (check["status"], check["conclusion"]) == ("completed", "neutral")
    assert check["output"]["title"] == (
        "Finished in Argo (Succeeded); the report never reached the bot"
    )
    assert f"{ARGO_UI}/workflows/perfbot/{lost}" in check["output"]["summary"]
    reply = stack.replies()[-1]
    assert f"[`{lost}`]({ARGO_UI}/workflows/perfbot/{lost})" in reply
    assert "| api | `eeeeeeeeeeee` | Succeeded (its report never reached the bot" in reply


def test_a_failed_run_without_a_report_closes_its_check_as_a_failure(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    lost = started(stack, deliver, "/run-perf main")
    stack.argo.finish(lost, "Error")

    deliver("/perf-bot status")

    assert check_of(stack, lost)["conclusion"] == "failure"


def test_runs_still_going_and_runs_already_reported_are_listed_and_left_alone(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    reported = started(stack, deliver, "/run-perf main")
    stack.callback(result(reported, verdict="improved"))
    stack.argo.finish(reported, "Succeeded")
    running = started(stack, deliver, "/perf-bot run cli main")
    reported_check = f"/check-runs/{check_id(stack, reported)}"
    edits_before = [r for r in stack.github.writes() if r.path.endswith(reported_check)]

    deliver("/perf-bot status")

    assert check_of(stack, reported)["conclusion"] == "success"
    assert check_of(stack, running)["status"] == "in_progress"  # its output says where it is
    assert [r for r in stack.github.writes() if r.path.endswith(reported_check)] == edits_before
    reply = stack.replies()[-1]
    assert "| cli | `eeeeeeeeeeee` | Running |" in reply
    assert "| api | `eeeeeeeeeeee` | Succeeded |" in reply
    assert "never reached the bot" not in reply


def test_anyone_may_ask_for_the_status(stack: Stack, deliver: Callable[..., Answer]) -> None:
    stack.argo.add_workflow(RUNNING, run_labels(REPO, PR_NUMBER, "api", "e" * 40))
    assert deliver("/perf-bot status", login="reader").outcome == "status"
    assert RUNNING in stack.replies()[-1]
    assert stack.github.calls("GET", f"/repos/{REPO}/collaborators/reader/permission") == []


def test_only_this_pull_requests_runs_are_listed(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.argo.add_workflow(RUNNING, run_labels(REPO, PR_NUMBER + 1, "api", "e" * 40))
    deliver("/perf-bot status")
    assert stack.replies() == ["No perfbot run of this PR is known to the Argo Server."]


def test_the_status_says_so_when_argo_cannot_be_asked(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.argo.fail_next(503, method="GET", times=10)
    assert deliver("/perf-bot status").response.status_code == 200
    assert stack.replies()[-1].startswith("I could not list this PR's runs: the Argo Server")
