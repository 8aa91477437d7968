"""`POST /callback` end to end: the sticky comment and the check run, through PyGithub."""

from __future__ import annotations

from tests.bot.constants import ARGO_UI, CALLBACK_SECRET
from tests.bot.payloads import COMMENT_ID, PR_NUMBER, REPO
from tests.bot.stack import Stack, exit_callback, result, run_ref
from workflows.argo import workflow_name_for_comment
from workflows.callback import CallbackPayload

DELIVERY = "9f3c2a10-0000-4000-8000-000000000001"
WORKFLOW = workflow_name_for_comment(COMMENT_ID)  # the seeded comment of `stack.comment`
MARKER = "<!-- perfbot:job=api -->"
COMMENTS = f"/repos/{REPO}/issues/{PR_NUMBER}/comments"


def started(stack: Stack) -> int:
    """Start a run by comment; the id of its check run."""
    assert stack.comment("/run-perf main", delivery=DELIVERY).json["outcome"] == "submitted"
    [check_id] = stack.repo.check_runs
    return check_id


def sticky_comments(stack: Stack) -> list[dict]:
    return [c for c in stack.repo.comments.values() if MARKER in c["body"]]


def test_a_result_posts_the_report_as_a_sticky_comment_and_completes_the_check_run(
    stack: Stack,
) -> None:
    check_id = started(stack)

    response = stack.callback(result(WORKFLOW, verdict="unchanged", report="| q1 | +0.3% |"))

    assert (response.status_code, response.json["outcome"]) == (200, "reported")
    [sticky] = sticky_comments(stack)
    assert sticky["body"].startswith(MARKER)
    assert "| q1 | +0.3% |" in sticky["body"]
    assert f"{ARGO_UI}/workflows/perfbot/{WORKFLOW}" in sticky["body"]
    assert sticky["login"] == "perfbot-test[bot]"
    run = stack.repo.check_runs[check_id]
    assert (run["status"], run["conclusion"]) == ("completed", "success")
    patch = stack.github.calls("PATCH", f"/repos/{REPO}/check-runs/{check_id}")[0]
    assert patch.json["output"]["title"] == "No significant change"


def test_a_second_result_edits_the_sticky_comment_instead_of_adding_one(stack: Stack) -> None:
    started(stack)
    stack.callback(result(WORKFLOW, report="first report"))
    stack.argo.add_run_of(result("perf-later"), created="2999-01-01T00:00:00Z")  # a newer run
    stack.callback(result("perf-later", report="second report"))

    [sticky] = sticky_comments(stack)
    assert "second report" in sticky["body"]
    assert len(stack.github.calls("POST", COMMENTS)) == 2  # the reply to the command, one report
    [edit] = [r for r in stack.github.writes() if r.method == "PATCH" and "/comments/" in r.path]
    assert "second report" in edit.json["body"]


def test_each_job_keeps_its_own_sticky_comment(stack: Stack) -> None:
    stack.callback(result("perf-x", report="api report"))
    stack.callback(result("perf-y", report="cli report", job="cli"))
    bodies = [c["body"] for c in stack.repo.comments.values() if "perfbot:job=" in c["body"]]
    assert len(bodies) == 2


def test_a_comment_quoting_the_marker_is_not_taken_for_the_bots_own(stack: Stack) -> None:
    stack.repo.add_comment(PR_NUMBER, f"look: {MARKER}", login="reader", comment_id=7)
    stack.callback(result(WORKFLOW, report="report"))
    assert stack.repo.comments[7]["body"] == f"look: {MARKER}"
    assert len(sticky_comments(stack)) == 2


def test_a_regression_fails_the_check_run(stack: Stack) -> None:
    check_id = started(stack)
    stack.callback(result(WORKFLOW, verdict="regressed", report="| q1 | +12% |"))
    assert stack.repo.check_runs[check_id]["conclusion"] == "failure"
    assert "Regression" in sticky_comments(stack)[0]["body"]


def test_a_failed_run_is_reported_with_its_failing_step_and_a_log_link(stack: Stack) -> None:
    check_id = started(stack)
    failures = [
        {
            "displayName": "build-head",
            "templateName": "build",
            "phase": "Failed",
            "message": "Error (exit code 2)",
            "podName": "perf-x-build-123",
        }
    ]

    response = stack.callback(exit_callback(WORKFLOW, "Failed", failures))

    assert response.status_code == 200
    [sticky] = sticky_comments(stack)
    assert "the run failed" in sticky["body"]
    assert (
        "step **build-head** (`build`) failed: Error (exit code 2) (pod `perf-x-build-123`)"
        in (sticky["body"])
    )
    assert f"Logs: {ARGO_UI}/workflows/perfbot/{WORKFLOW}" in sticky["body"]
    run = stack.repo.check_runs[check_id]
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "The run failed at step build-head"


def test_a_stopped_run_closes_its_check_run_as_cancelled_and_leaves_the_report(
    stack: Stack,
) -> None:
    check_id = started(stack)
    stack.argo.add_run_of(result("perf-earlier"), created="2000-01-01T00:00:00Z")
    stack.callback(result("perf-earlier", report="earlier report"))
    failures = [
        {
            "displayName": "measure",
            "templateName": "measure",
            "phase": "Failed",
            "message": "workflow shutdown with strategy:  Stop",
        }
    ]

    stack.callback(exit_callback(WORKFLOW, "Failed", failures))

    assert stack.repo.check_runs[check_id]["conclusion"] == "cancelled"
    assert "earlier report" in sticky_comments(stack)[0]["body"]


def test_a_successful_exit_after_the_result_changes_nothing(stack: Stack) -> None:
    check_id = started(stack)
    stack.callback(result(WORKFLOW))
    writes = len(stack.github.writes())
    stack.callback(exit_callback(WORKFLOW, "Succeeded"))
    assert len(stack.github.writes()) == writes
    assert stack.repo.check_runs[check_id]["conclusion"] == "success"


def test_a_successful_exit_without_a_result_closes_the_check_run_as_neutral(stack: Stack) -> None:
    check_id = started(stack)
    stack.callback(exit_callback(WORKFLOW, "Succeeded"))
    assert stack.repo.check_runs[check_id]["conclusion"] == "neutral"
    assert sticky_comments(stack) == []


def test_a_callback_with_a_bad_signature_is_refused_and_touches_nothing(stack: Stack) -> None:
    response = stack.callback(result(WORKFLOW), secret="not-" + CALLBACK_SECRET)
    assert response.status_code == 401
    assert stack.github.requests == []


def test_a_callback_for_a_repository_not_served_is_refused(stack: Stack) -> None:
    payload = CallbackPayload(
        kind="result",
        run=run_ref(repo="someone/else"),
        workflow_name=WORKFLOW,
        namespace="perfbot",
        verdict="improved",
    )
    response = stack.callback(payload)
    assert response.status_code == 403
    assert stack.github.requests == []


def test_a_callback_for_a_job_the_repository_does_not_have_is_refused(stack: Stack) -> None:
    response = stack.callback(result(WORKFLOW, job="x --><!-- perfbot:job=api"))
    assert response.status_code == 403
    assert stack.github.requests == []


def test_a_malformed_callback_is_a_400_with_the_reason(stack: Stack) -> None:
    from workflows.callback import SIGNATURE_HEADER, sign

    body = b'{"version": 1, "kind": "result"}'
    headers = {SIGNATURE_HEADER: sign(body, CALLBACK_SECRET)}
    response = stack.client.post("/callback", data=body, headers=headers)
    assert response.status_code == 400
    assert "run must be an object" in response.json["error"]


def test_a_callback_without_a_webhook_installation_finds_the_app_installation(
    stack: Stack,
) -> None:
    stack.callback(result(WORKFLOW))
    assert stack.github.calls("GET", f"/repos/{REPO}/installation")
