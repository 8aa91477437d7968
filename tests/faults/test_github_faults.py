"""GitHub answering 500, rate-limiting (403 with its headers), refusing, or hanging: bounded
retries, an answer in time, a reply on the PR when the bot gives up, and a log line when GitHub
cannot even take that reply."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.bot.payloads import AUTHOR, REPO
from tests.bot.stack import Stack
from tests.faults.conftest import IN_TIME, Answer

PERMISSION = f"/repos/{REPO}/collaborators/{AUTHOR}/permission"
RATE_LIMITED = "API rate limit exceeded for installation ID 1."


def rate_limit(retry_after: int) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "5000",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(time.time()) + retry_after),
        "Retry-After": str(retry_after),
    }


def permission_reads(stack: Stack) -> int:
    return len(stack.github.calls("GET", PERMISSION))


def test_a_github_500_on_a_read_is_retried_then_given_up_with_a_reply(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.github.fail_next(500, count=3, path="/permission")

    answer = deliver("/run-perf main")

    assert (answer.response.status_code, answer.outcome) == (502, "upstream-error")
    assert answer.seconds < IN_TIME
    assert permission_reads(stack) == 3  # the first try and two retries
    assert stack.submitted() == []
    [reply] = stack.replies()
    assert reply.startswith("I could not handle `/run-perf`: GitHub answered 500")
    assert "Nothing was started" in reply


def test_a_short_rate_limit_is_waited_out_within_the_budget(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.github.fail_next(403, path="/permission", message=RATE_LIMITED, headers=rate_limit(1))

    answer = deliver("/run-perf main")

    assert answer.outcome == "submitted"
    assert permission_reads(stack) == 2
    assert 0.9 < answer.seconds < IN_TIME  # it waited the second GitHub asked for


def test_a_rate_limit_longer_than_the_budget_is_given_up_at_once(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.github.fail_next(403, path="/permission", message=RATE_LIMITED, headers=rate_limit(600))

    answer = deliver("/run-perf main")

    assert answer.outcome == "upstream-error"
    assert answer.seconds < 1.0  # no sleeping in vain
    assert permission_reads(stack) == 1
    assert stack.submitted() == []
    assert "GitHub answered 403" in stack.replies()[0]
    assert "rate limit" in stack.replies()[0]


def test_a_403_that_is_not_a_rate_limit_is_not_retried(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    refused = "Resource not accessible by integration"
    stack.github.fail_next(403, path="/permission", message=refused)

    answer = deliver("/run-perf main")

    assert answer.outcome == "upstream-error"
    assert permission_reads(stack) == 1
    assert refused in stack.replies()[0]


def test_a_rate_limited_post_is_sent_again_because_github_did_nothing(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    """Unlike a 5xx, a rate limit means the comment was not written: resending is safe."""
    stack.github.fail_next(
        403, path="/issues/1/comments", message=RATE_LIMITED, headers=rate_limit(1)
    )

    deliver("/run-perf main")

    assert len(stack.github.calls("POST", f"/repos/{REPO}/issues/1/comments")) == 2
    assert stack.replies()[-1].startswith("Started **api**")


def test_a_hanging_github_costs_at_most_the_budget(
    stack: Stack, deliver: Callable[..., Answer]
) -> None:
    stack.github.hang_next(5.0, count=5, path="/permission")

    answer = deliver("/run-perf main")

    assert answer.outcome == "upstream-error"
    assert answer.seconds < 3.5  # the delivery's budget (3 s here), not 5 x 5 s
    assert stack.submitted() == []
    assert "could not handle `/run-perf`" in stack.replies()[0]


def test_when_github_cannot_take_the_reply_either_the_log_says_why(
    stack: Stack, deliver: Callable[..., Answer], caplog
) -> None:
    stack.github.fail_next(502, count=50, path="/repos/")  # every call about the repository

    answer = deliver("/run-perf main")

    assert answer.outcome == "upstream-error"
    assert [c for c in stack.repo.comments.values() if c["type"] == "Bot"] == []
    assert stack.submitted() == []
    assert "failed: GitHub answered 502 to the permission of" in caplog.text  # the delivery
    assert "could not reply on the pull request: GitHub answered 502" in caplog.text


@pytest.mark.parametrize(
    "inject",
    [
        lambda s: s.github.fail_next(500, count=50),
        lambda s: s.github.fail_next(403, count=50, message=RATE_LIMITED, headers=rate_limit(2)),
        lambda s: s.github.hang_next(2.0, count=50),
        lambda s: s.argo.fail_next(500, times=50),
        lambda s: s.argo.hang_next(2.0, times=50),
        lambda s: (s.github.hang_next(0.9, count=50), s.argo.hang_next(0.9, times=50)),
    ],
    ids=[
        "github-500",
        "github-rate-limited",
        "github-hanging",
        "argo-500",
        "argo-hanging",
        "both-slow",
    ],
)
def test_whatever_fails_the_webhook_answers_in_time_and_never_with_a_500(
    stack: Stack, deliver: Callable[..., Answer], inject
) -> None:
    inject(stack)

    answer = deliver("/run-perf main")

    assert answer.response.status_code in (200, 502)
    assert answer.seconds < IN_TIME
    assert "Traceback" not in answer.response.get_data(as_text=True)
    assert len(stack.argo.workflows) <= 1
