"""`/perf-bot status` is open to everyone, so it is rate-limited per pull request.

Each status reads Argo, posts a reply and updates the PR's open check runs: anyone could make
the bot do that without limit. Now one status per PR per `PERFBOT_STATUS_INTERVAL` seconds is
answered; the rest are acknowledged (200 `rate-limited`) and do nothing. Other PRs, other
repositories and other commands are not affected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.shared import throttle
from tests.bot.constants import WEBHOOK_SECRET
from tests.bot.payloads import PR_NUMBER, delivery_headers, encode, pr_comment
from tests.bot.stack import Stack


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The limiter's clock, moved by the test."""
    now = [1000.0]
    monkeypatch.setattr(throttle, "monotonic", lambda: now[0])
    return now


def _status(stack: Stack, login: str = "reader") -> str:
    response = stack.comment(
        "/perf-bot status", login=login, comment_id=stack.new_comment_id(login)
    )
    return response.json["outcome"]


def _outcome(stack: Stack, body: str) -> str:
    return stack.comment(body, comment_id=stack.new_comment_id()).json["outcome"]


# (seconds after the first status, outcome of the second)
SPACING = [(0, "rate-limited"), (59, "rate-limited"), (60, "status"), (3600, "status")]


@pytest.mark.parametrize(("after", "outcome"), SPACING)
def test_one_status_per_pull_request_per_interval(
    stack: Stack, clock: list[float], after: float, outcome: str
) -> None:
    assert _status(stack) == "status"
    clock[0] += after
    assert _status(stack) == outcome
    assert len(stack.replies()) == (2 if outcome == "status" else 1)


def test_the_limit_counts_the_pull_request_not_the_person(stack: Stack, clock: list[float]) -> None:
    assert _status(stack, "reader") == "status"
    assert _status(stack, "maintainer") == "rate-limited"


def test_another_pull_request_has_its_own_allowance(
    stack: Stack, clock: list[float], contracts_dir: Path
) -> None:
    assert _status(stack) == "status"
    payload = pr_comment(contracts_dir, "/perf-bot status", login="reader")
    payload["issue"]["number"] = PR_NUMBER + 1
    payload["comment"]["id"] = stack.new_comment_id("reader")
    raw = encode(payload)
    headers = delivery_headers(raw, WEBHOOK_SECRET, "issue_comment")
    assert stack.client.post("/webhook", data=raw, headers=headers).json["outcome"] == "status"


def test_other_commands_are_not_limited(stack: Stack, clock: list[float]) -> None:
    assert _status(stack) == "status"
    assert (
        stack.comment("/perf-bot help", comment_id=stack.new_comment_id()).json["outcome"] == "help"
    )
    assert (
        stack.comment("/run-perf", comment_id=stack.new_comment_id()).json["outcome"] == "submitted"
    )


def test_the_throttle_forgets_old_keys_so_it_cannot_grow_without_bound() -> None:
    limiter = throttle.Throttle(60, capacity=3)
    for pr in range(10):
        assert limiter.allow(("o/r", pr))
    assert len(limiter) <= 3
