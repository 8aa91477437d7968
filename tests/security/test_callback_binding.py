"""A signed callback is accepted only for the run it names, as the bot submitted it, once, and
never over a newer run's report (`bot.results.run_binding`, `bot.results.sticky`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.bot.payloads import PR_NUMBER
from tests.bot.stack import Stack, exit_callback, result
from tests.security.conftest import Watch, assert_refused_cleanly

OLD, NEW = "2001-01-01T00:00:00Z", "2002-02-02T00:00:00Z"
FAILED = [{"displayName": "measure", "templateName": "measure", "phase": "Failed", "message": "x"}]


def sticky_bodies(stack: Stack) -> list[str]:
    return [c["body"] for c in stack.repo.comments.values() if "perfbot:job=api" in c["body"]]


def test_a_callback_for_a_workflow_argo_never_had_is_refused(stack: Stack) -> None:
    watch = Watch(stack)
    response = stack.callback(result("perf-never-submitted"), known=False)
    assert_refused_cleanly(response, 403)
    assert response.json["outcome"] == "unknown-workflow"
    assert watch.github() == []


MISMATCHES = {
    "another pull request": {"pr": PR_NUMBER + 1},
    "no pull request": {"pr": 0},
    "another job": {"job": "cli"},
    "another head": {"head_sha": "f" * 40},
}


@pytest.mark.parametrize("changes", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_a_callback_naming_another_run_than_its_workflow_is_refused(
    stack: Stack, changes: dict
) -> None:
    submitted = result("perf-submitted")
    stack.argo.add_run_of(submitted)  # labelled for PR_NUMBER, api, the head
    watch = Watch(stack)

    response = stack.callback(result("perf-submitted", **changes))

    assert_refused_cleanly(response, 409)
    assert response.json["outcome"] == "run-mismatch"
    assert watch.github() == []


def test_a_callback_in_another_namespace_is_refused(stack: Stack) -> None:
    watch = Watch(stack)
    response = stack.callback(replace(result("perf-elsewhere"), namespace="kube-system"))
    assert_refused_cleanly(response, 403)
    assert watch.github() == []


def test_the_same_result_delivered_four_times_is_processed_once(stack: Stack) -> None:
    stack.argo.add_run_of(result("perf-once"), created=NEW)
    outcomes = [stack.callback(result("perf-once")).json["outcome"] for _ in range(4)]
    assert outcomes == ["reported", "duplicate", "duplicate", "duplicate"]
    comment_writes = [r for r in stack.github.writes() if "/comments" in r.path]
    assert len(comment_writes) == 1


ORDERINGS = {
    "an older result after a newer one": (
        result("perf-new", report="NEW REPORT"),
        result("perf-old", report="OLD REPORT"),
    ),
    "an older failure after a newer success": (
        result("perf-new", report="NEW REPORT"),
        exit_callback("perf-old", "Failed", FAILED),
    ),
    "the run's own failure after its result": (
        result("perf-new", report="NEW REPORT"),
        exit_callback("perf-new", "Failed", FAILED),
    ),
}


@pytest.mark.parametrize(("newer", "late"), ORDERINGS.values(), ids=ORDERINGS.keys())
def test_a_late_callback_never_replaces_the_newer_report(stack: Stack, newer, late) -> None:
    stack.argo.add_run_of(newer, created=NEW)
    stack.argo.add_run_of(late, created=OLD if late.workflow_name == "perf-old" else NEW)
    assert stack.callback(newer).status_code == 200

    assert stack.callback(late).status_code == 200

    [body] = sticky_bodies(stack)
    assert "NEW REPORT" in body
    assert "OLD REPORT" not in body
    assert "the run failed" not in body


def test_a_newer_run_replaces_an_older_report(stack: Stack) -> None:
    old, new = result("perf-old", report="OLD REPORT"), result("perf-new", report="NEW REPORT")
    stack.argo.add_run_of(old, created=OLD)
    stack.argo.add_run_of(new, created=NEW)
    stack.callback(old)
    stack.callback(new)
    [body] = sticky_bodies(stack)
    assert "NEW REPORT" in body
