"""A captured delivery, sent again, starts nothing new.

The webhook signature covers the body, not `X-GitHub-Delivery`, so anyone who captured a
maintainer's `/run-perf` can re-send it under fresh delivery ids. Before, each one started a
run, and after a fork pushed a new head, the replay ran that unreviewed head. Now a comment's
run is named after the comment (one run per comment, however it is delivered), a command is
run only while it is fresh, and a fork's pull request is run only if the fork was not pushed
to after the command was written (`head.repo.pushed_at`, GitHub's own clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.runs.submission import FORK_PUSHED_SINCE
from tests.bot.constants import HEAD_SHA
from tests.bot.payloads import AUTHOR, DEFAULT_BRANCH, PR_NUMBER, labeled
from tests.bot.stack import Stack, running_stack
from tests.security.conftest import CONFIG
from workflows.config import PerfbotConfig

FORK = "someone/Hello-World"
NEWER_HEAD = "f" * 40
MAX_AGE = 900  # seconds; the default PERFBOT_COMMAND_MAX_AGE


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def stack(contracts_dir: Path, config: PerfbotConfig) -> Iterator[Stack]:
    """A fresh bot per test: replays are about what Argo already holds."""
    for fresh in running_stack(contracts_dir, CONFIG, config):
        fresh.repo.branches[DEFAULT_BRANCH] = fresh.repo.branches["main"]
        yield fresh


def fork_pull(stack: Stack, *, pushed_at: datetime, head: str = HEAD_SHA) -> None:
    stack.repo.add_pull(
        PR_NUMBER, head_sha=head, base_ref="main", head_repo=FORK, pushed_at=iso(pushed_at)
    )


@pytest.mark.parametrize("command", ["/run-perf", "/rerun-perf", "/perf-bot run cli"])
def test_one_comment_under_three_delivery_ids_starts_one_run(stack: Stack, command: str) -> None:
    outcomes = [stack.comment(command).json["outcome"] for _ in range(3)]

    assert outcomes == ["submitted", "duplicate", "duplicate"]
    assert len(stack.submitted()) == 1
    assert len(stack.replies()) == 1  # one "Started" reply, no reply to the replays


def test_two_comments_start_two_runs(stack: Stack) -> None:
    """The negative case: a new comment is a new command, not a replay."""
    first = stack.comment("/run-perf")
    second = stack.comment("/run-perf", comment_id=stack.new_comment_id())

    assert [first.json["outcome"], second.json["outcome"]] == ["submitted", "submitted"]
    names = [s["submitOptions"]["name"] for s in stack.submitted()]
    assert len(set(names)) == 2


def test_a_replay_after_the_fork_pushed_runs_nothing(stack: Stack) -> None:
    written = datetime.now(UTC) - timedelta(seconds=30)
    fork_pull(stack, pushed_at=written - timedelta(hours=1))
    assert stack.comment("/run-perf", created_at=written).json["outcome"] == "submitted"
    [first] = stack.submitted()
    assert stack.parameters(first)["head-sha"] == HEAD_SHA

    fork_pull(stack, pushed_at=datetime.now(UTC), head=NEWER_HEAD)  # the fork pushes
    replay = stack.comment("/run-perf", created_at=written)
    assert replay.json["outcome"] == "duplicate"

    stack.argo.forget(first["submitOptions"]["name"])  # even once its TTL has deleted the run
    again = stack.comment("/run-perf", created_at=written)
    assert again.json["outcome"] == "fork-pushed-since"
    assert len(stack.submitted()) == 1
    assert all(NEWER_HEAD not in str(s) for s in stack.submitted())


PUSHES = [
    # (fork pushed this long after the comment was written, outcome)
    (timedelta(seconds=-3600), "submitted"),
    (timedelta(seconds=-1), "submitted"),
    (timedelta(seconds=0), "fork-pushed-since"),  # the same second: it may not have been seen
    (timedelta(seconds=1), "fork-pushed-since"),
    (timedelta(seconds=600), "fork-pushed-since"),
]


@pytest.mark.parametrize(("pushed", "outcome"), PUSHES, ids=[str(p) for p, _ in PUSHES])
def test_a_fork_is_run_only_at_the_head_the_maintainer_saw(
    stack: Stack, pushed: timedelta, outcome: str
) -> None:
    written = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=60)
    fork_pull(stack, pushed_at=written + pushed)

    response = stack.comment("/run-perf", created_at=written)

    assert response.json["outcome"] == outcome
    if outcome == "submitted":
        assert len(stack.submitted()) == 1
        return
    assert stack.submitted() == []
    [reply] = stack.replies()
    assert reply == FORK_PUSHED_SINCE.format(job="api", login=AUTHOR)


def test_a_pull_request_from_the_same_repository_ignores_pushed_at(stack: Stack) -> None:
    """Pushing to the repository itself takes write access: no fork rule applies."""
    written = datetime.now(UTC) - timedelta(seconds=60)
    stack.repo.add_pull(PR_NUMBER, head_sha=HEAD_SHA, base_ref="main", pushed_at=iso(written))
    assert stack.comment("/run-perf", created_at=written).json["outcome"] == "submitted"


AGES = [
    (timedelta(seconds=0), "submitted"),
    (timedelta(seconds=MAX_AGE - 5), "submitted"),
    (timedelta(seconds=-30), "submitted"),  # GitHub's clock a little ahead of the bot's
    (timedelta(seconds=MAX_AGE + 5), "stale-command"),
    (timedelta(days=400), "stale-command"),
]


@pytest.mark.parametrize(("age", "outcome"), AGES, ids=[str(a) for a, _ in AGES])
def test_only_a_fresh_command_is_run(stack: Stack, age: timedelta, outcome: str) -> None:
    response = stack.comment("/run-perf", created_at=datetime.now(UTC) - age)

    assert (response.status_code, response.json["outcome"]) == (200, outcome)
    if outcome == "stale-command":
        assert stack.submitted() == []
        assert stack.github_writes() == []  # no reply: a replayer must not make the bot talk


def test_a_stale_cancel_stops_nothing(stack: Stack) -> None:
    """A replayed `/perf-bot cancel` would stop the runs started since."""
    assert stack.comment("/run-perf").json["outcome"] == "submitted"
    old = datetime.now(UTC) - timedelta(hours=2)
    response = stack.comment("/perf-bot cancel", comment_id=stack.new_comment_id(), created_at=old)
    assert response.json["outcome"] == "stale-command"
    assert [r for r in stack.argo.requests if r.method == "PUT"] == []


def test_a_comment_without_a_creation_time_is_a_400(stack: Stack) -> None:
    response = stack.comment("/run-perf", created_at=None)
    assert response.status_code == 400
    assert "comment.created_at" in response.json["error"]
    assert stack.submitted() == []


def test_a_replayed_label_delivery_starts_one_run(stack: Stack, contracts_dir: Path) -> None:
    payload = labeled(contracts_dir, "perf")
    outcomes = [stack.deliver(payload, "pull_request").json["outcome"] for _ in range(3)]
    assert outcomes == ["submitted", "duplicate", "duplicate"]
    assert len(stack.submitted()) == 1


def test_a_new_labelling_of_the_same_head_is_a_new_run(stack: Stack, contracts_dir: Path) -> None:
    """The negative case: labelling again (a later `updated_at`) is a new decision."""
    first = labeled(contracts_dir, "perf")
    second = labeled(contracts_dir, "perf")
    second["pull_request"]["updated_at"] = iso(datetime.now(UTC))
    outcomes = [stack.deliver(p, "pull_request").json["outcome"] for p in (first, second)]
    assert outcomes == ["submitted", "submitted"]
