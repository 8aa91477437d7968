"""The Argo Server down, answering 500, or hanging: the delivery is answered in time, the PR
is told, and nothing is submitted twice."""

from __future__ import annotations

from collections.abc import Callable

from tests.bot.stack import Stack
from tests.faults.conftest import IN_TIME, Answer

SUBMIT = "/submit"


def posts(stack: Stack) -> list[int]:
    return [r.status for r in stack.argo.requests if r.method == "POST"]


def test_an_argo_server_that_is_down_is_reported_on_the_pull_request(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.argo.stop()  # nothing listens on its port any more: connection refused

    answer = deliver("/run-perf main")

    assert (answer.response.status_code, answer.outcome) == (200, "argo-error")
    assert answer.seconds < IN_TIME
    [reply] = stack.replies()
    assert "the Argo Server did not answer" in reply
    assert "connection refused" in reply


def test_a_500_on_the_submission_is_not_repeated_and_is_reported(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.argo.fail_next(500, "etcdserver: request timed out", method="POST")

    answer = deliver("/run-perf main")

    assert answer.outcome == "argo-error"
    assert posts(stack) == [500]  # a POST is never sent twice: it might have worked
    assert stack.argo.workflows == {}
    [reply] = stack.replies()
    assert "did not accept the run (the Argo Server answered 500: etcdserver" in reply
    assert "Nothing is running" in reply


def test_a_hanging_submission_is_cut_and_the_reply_does_not_claim_nothing_runs(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    """The server may still act on a request it never answered: the reply says so."""
    stack.argo.hang_next(3.0, method="POST")

    answer = deliver("/run-perf main")

    assert answer.outcome == "argo-error"
    assert answer.seconds < 2.5  # the 1 s timeout, not the 3 s hang
    [reply] = stack.replies()
    assert "the Argo Server did not answer" in reply
    assert "If it started the run nonetheless, its report will appear here" in reply


def test_a_passing_argo_outage_on_the_supersede_listing_is_retried_after_the_answer(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.argo.fail_next(503, method="GET", times=2)

    answer = deliver("/run-perf main")

    assert answer.outcome == "submitted"
    # the superseding listing, retried; then the estimate's two listings (history, queue)
    assert [r.status for r in stack.argo.requests if r.method == "GET"] == [503, 503, 200, 200, 200]
    assert stack.replies()[0].startswith("Started **api**")


def test_a_hanging_listing_does_not_hold_up_the_answer(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    """Superseding is a follow-up: GitHub has its answer before Argo lists anything."""
    stack.argo.hang_next(2.0, method="GET")

    answer = deliver("/run-perf main")

    assert answer.outcome == "submitted"
    assert answer.seconds < 1.0
    assert stack.replies()[0].startswith("Started **api**")  # after a retry of the listing


def test_when_superseding_fails_the_run_is_still_acknowledged(
    stack: Stack, deliver: Callable[..., Answer], caplog
) -> None:
    stack.argo.fail_next(503, method="GET", times=10)

    assert deliver("/run-perf main").outcome == "submitted"

    assert stack.replies()[0].startswith("Started **api**")
    assert len(stack.repo.check_runs) == 1
    assert "could not stop the runs" in caplog.text
