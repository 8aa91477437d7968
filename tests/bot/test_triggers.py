"""The triggers besides comments, end to end: a label on a PR, pushes to the default branch,
and the fork policy. GitHub's published `pull_request` and `push` payloads, delivered signed
to the bot, which talks HTTP to the stand-in GitHub (as an App) and Argo servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.commands.perf_bot_help import render_help
from bot.runs.submission import COMMENT
from bot.runs.submission import FORK_REFUSED as COMMAND_FORK_REFUSED
from bot.runs.triggered import PUSHED
from bot.triggers.labels import FORK_REFUSED, LABEL_NOT_ALLOWED
from tests.bot.constants import HEAD_SHA, MAIN_SHA
from tests.bot.payloads import (
    AUTHOR,
    DEFAULT_BRANCH,
    LABELLED_HEAD,
    LABELLED_PR,
    PR_NUMBER,
    REPO,
    TAG_DELETED,
    default_branch_push,
    labeled,
    published,
    synchronize,
)
from tests.bot.stack import Stack, result, running_stack
from workflows.config import PerfbotConfig
from workflows.labels import HEAD_SHA as HEAD_LABEL
from workflows.labels import run_labels

LABEL = "perf"  # tests/bot/perfbot.test.yaml's run_label
BEFORE = "1" * 40
AFTER = "2" * 40
FORK = "someone/Hello-World"


@pytest.fixture
def trigger_stack(stack: Stack) -> Stack:
    """The stack, with the published PR's base branch and its labeller's role seeded."""
    stack.repo.branches[DEFAULT_BRANCH] = MAIN_SHA
    stack.repo.roles["outsider"] = "read"
    return stack


@pytest.fixture
def refusing_stack(
    contracts_dir: Path, config_path: Path, config: PerfbotConfig
) -> Iterator[Stack]:
    """The same repository with `fork_prs: refuse`."""
    repo = config.repos[REPO].model_copy(update={"fork_prs": "refuse"})
    refusing = config.model_copy(update={"repos": {REPO: repo}})
    for stack in running_stack(contracts_dir, config_path, refusing):
        stack.repo.branches[DEFAULT_BRANCH] = MAIN_SHA
        stack.repo.add_pull(PR_NUMBER, head_sha=HEAD_SHA, base_ref="main", head_repo=FORK)
        yield stack


def test_adding_the_label_runs_the_default_job_against_the_base_branch(
    trigger_stack: Stack, contracts_dir: Path
) -> None:
    stack = trigger_stack
    response = stack.deliver(labeled(contracts_dir, LABEL), "pull_request")

    assert (response.status_code, response.json["outcome"]) == (200, "submitted")
    [submission] = stack.submitted()
    assert submission["resourceName"] == "perf-api"
    parameters = stack.parameters(submission)
    assert (parameters["pr"], parameters["head-sha"]) == (str(LABELLED_PR), LABELLED_HEAD)
    assert (parameters["base-ref"], parameters["base-sha"]) == (DEFAULT_BRANCH, MAIN_SHA)
    assert parameters["head-ref"] == "changes"  # the published payload's head branch
    assert [path for _, path in stack.github_writes()] == [
        f"/repos/{REPO}/check-runs",
        f"/repos/{REPO}/issues/{LABELLED_PR}/comments",
    ]
    reply = stack.github.calls("POST", f"/repos/{REPO}/issues/{LABELLED_PR}/comments")[0]
    assert f"The label `{LABEL}` started **api**" in reply.json["body"]


@pytest.mark.parametrize(
    ("payload_for", "outcome"),
    [
        (lambda d: labeled(d, "bug"), "other-label"),
        (lambda d: synchronize(d, ["bug"]), "not-labelled"),  # the label was removed
        (lambda d: published(d, "pull_request.opened.json"), "ignored-action"),
        (lambda d: published(d, "pull_request.closed.json"), "ignored-action"),
    ],
)
def test_pull_request_events_without_the_label_start_nothing(
    trigger_stack: Stack, contracts_dir: Path, payload_for, outcome: str
) -> None:
    response = trigger_stack.deliver(payload_for(contracts_dir), "pull_request")

    assert (response.status_code, response.json["outcome"]) == (200, outcome)
    assert trigger_stack.submitted() == []
    assert trigger_stack.github_writes() == []


def test_a_label_added_by_someone_without_write_access_starts_nothing_and_says_why(
    trigger_stack: Stack, contracts_dir: Path
) -> None:
    stack = trigger_stack
    response = stack.deliver(labeled(contracts_dir, LABEL, sender="outsider"), "pull_request")

    assert response.json["outcome"] == "not-allowed"
    assert stack.submitted() == []
    [reply] = stack.github.calls("POST", f"/repos/{REPO}/issues/{LABELLED_PR}/comments")
    assert reply.json["body"] == LABEL_NOT_ALLOWED.format(login="outsider", label=LABEL)


@pytest.mark.parametrize(
    ("labeller", "outcome", "runs"),
    [
        (AUTHOR, "submitted", 1),  # an admin added the label
        ("maintainer", "submitted", 1),
        ("outsider", "not-allowed", 0),  # read access: the label does not count
        (None, "not-allowed", 0),  # nobody's `labeled` event found
    ],
)
def test_a_push_to_a_labelled_pr_runs_only_if_someone_with_write_access_added_the_label(
    trigger_stack: Stack, contracts_dir: Path, labeller: str | None, outcome: str, runs: int
) -> None:
    stack = trigger_stack
    if labeller is not None:
        stack.repo.add_label_event(LABELLED_PR, LABEL, actor=labeller)

    response = stack.deliver(synchronize(contracts_dir, ["bug", LABEL]), "pull_request")

    assert response.json["outcome"] == outcome
    assert len(stack.submitted()) == runs
    assert stack.github.calls("GET", f"/repos/{REPO}/issues/{LABELLED_PR}/events")


def test_the_last_labeller_counts_when_the_label_was_added_more_than_once(
    trigger_stack: Stack, contracts_dir: Path
) -> None:
    stack = trigger_stack
    stack.repo.add_label_event(LABELLED_PR, LABEL, actor=AUTHOR)
    stack.repo.add_label_event(LABELLED_PR, LABEL, actor=AUTHOR, event="unlabeled")
    stack.repo.add_label_event(LABELLED_PR, LABEL, actor="outsider")

    response = stack.deliver(synchronize(contracts_dir, [LABEL]), "pull_request")

    assert response.json["outcome"] == "not-allowed"


def test_a_push_to_a_labelled_pr_supersedes_the_runs_of_older_heads_and_pushes(
    trigger_stack: Stack, contracts_dir: Path
) -> None:
    stack = trigger_stack
    stack.repo.add_label_event(LABELLED_PR, LABEL, actor=AUTHOR)
    same_job = run_labels(REPO, LABELLED_PR, "api", "0" * 40)
    stack.argo.add_workflow("perf-older-push", {**same_job, PUSHED: "100"})
    stack.argo.add_workflow("perf-newer-push", {**same_job, PUSHED: "9999999999"})
    stack.argo.add_workflow("perf-comment-old-head", {**same_job, COMMENT: "5"})
    current = {**same_job, HEAD_LABEL: LABELLED_HEAD, COMMENT: "6"}
    stack.argo.add_workflow("perf-comment-this-head", current)
    stack.argo.add_workflow("perf-by-hand", same_job)

    response = stack.deliver(synchronize(contracts_dir, [LABEL]), "pull_request")

    assert response.json["outcome"] == "submitted"
    phases = {name: w["status"]["phase"] for name, w in stack.argo.workflows.items()}
    assert {name for name, phase in phases.items() if phase == "Running"} == {
        "perf-newer-push",
        "perf-comment-this-head",
        *(w["submitOptions"]["name"] for w in stack.submitted()),
    }


@pytest.mark.parametrize("action", ["labeled", "synchronize"])
def test_a_fork_pr_is_refused_under_fork_prs_refuse_and_the_label_reply_says_why(
    refusing_stack: Stack, contracts_dir: Path, action: str
) -> None:
    stack = refusing_stack
    stack.repo.add_label_event(LABELLED_PR, LABEL, actor=AUTHOR)
    payload = (
        labeled(contracts_dir, LABEL, fork=FORK)
        if action == "labeled"
        else synchronize(contracts_dir, [LABEL], fork=FORK)
    )

    response = stack.deliver(payload, "pull_request")

    assert response.json["outcome"] == "fork-refused"
    assert stack.submitted() == []
    replies = stack.github.calls("POST", f"/repos/{REPO}/issues/{LABELLED_PR}/comments")
    expected = [FORK_REFUSED.format(label=LABEL)] if action == "labeled" else []
    assert [r.json["body"] for r in replies] == expected


def test_a_command_on_a_fork_pr_is_refused_under_fork_prs_refuse(refusing_stack: Stack) -> None:
    response = refusing_stack.comment("/run-perf main")

    assert response.json["outcome"] == "fork-refused"
    assert refusing_stack.submitted() == []
    assert refusing_stack.replies() == [COMMAND_FORK_REFUSED.format(job="api")]


def test_a_command_on_a_fork_pr_runs_under_the_default_maintainers_only(stack: Stack) -> None:
    stack.repo.add_pull(PR_NUMBER, head_sha=HEAD_SHA, base_ref="main", head_repo=FORK)

    response = stack.comment("/run-perf main")

    assert response.json["outcome"] == "submitted"


def test_a_push_from_a_fork_to_a_labelled_pr_waits_for_a_maintainer_to_label_again(
    trigger_stack: Stack, contracts_dir: Path
) -> None:
    stack = trigger_stack
    stack.repo.add_label_event(LABELLED_PR, LABEL, actor=AUTHOR)

    pushed = stack.deliver(synchronize(contracts_dir, [LABEL], fork=FORK), "pull_request")
    relabelled = stack.deliver(labeled(contracts_dir, LABEL, fork=FORK), "pull_request")

    assert pushed.json["outcome"] == "fork-push-needs-label"
    assert relabelled.json["outcome"] == "submitted"
    assert len(stack.submitted()) == 1


def test_a_push_to_the_default_branch_compares_the_pushed_commit_with_the_one_before(
    stack: Stack, contracts_dir: Path
) -> None:
    response = stack.deliver(default_branch_push(contracts_dir, before=BEFORE, after=AFTER), "push")

    assert (response.status_code, response.json["outcome"]) == (200, "submitted")
    [submission] = stack.submitted()
    parameters = stack.parameters(submission)
    assert (parameters["pr"], parameters["head-sha"], parameters["base-sha"]) == (
        "0",
        AFTER,
        BEFORE,
    )
    assert parameters["head-ref"] == "master"  # the pushed branch: the repository's default
    [(method, path)] = stack.github_writes()  # a check run on the commit, no comment
    assert (method, path) == ("POST", f"/repos/{REPO}/check-runs")
    assert stack.github.writes()[0].json["head_sha"] == AFTER


@pytest.mark.parametrize(
    ("payload_for", "outcome"),
    [
        (lambda d: published(d, TAG_DELETED), "not-a-branch"),
        (lambda d: published(d, "push.new-branch.json"), "no-previous-commit"),
        (
            lambda d: {**default_branch_push(d, before=BEFORE, after=AFTER), "ref": "refs/heads/x"},
            "not-the-default-branch",
        ),
        (
            lambda d: {**default_branch_push(d, before=BEFORE, after="0" * 40), "deleted": True},
            "deleted",
        ),
        (
            lambda d: {**default_branch_push(d, before=BEFORE, after=AFTER), "ref": "refs/tags/v1"},
            "not-a-branch",
        ),
    ],
)
def test_tag_pushes_deletions_and_other_branches_start_nothing(
    stack: Stack, contracts_dir: Path, payload_for, outcome: str
) -> None:
    response = stack.deliver(payload_for(contracts_dir), "push")

    assert (response.status_code, response.json["outcome"]) == (200, outcome)
    assert stack.submitted() == []
    assert stack.github_writes() == []


def test_a_push_with_a_malformed_commit_is_a_400_naming_the_field(
    stack: Stack, contracts_dir: Path
) -> None:
    payload = default_branch_push(contracts_dir, before=BEFORE, after="main;rm -rf /")

    response = stack.deliver(payload, "push")

    assert response.status_code == 400
    assert "after" in response.json["error"]
    assert stack.submitted() == []


def test_the_same_push_delivered_twice_runs_once(stack: Stack, contracts_dir: Path) -> None:
    payload = default_branch_push(contracts_dir, before=BEFORE, after=AFTER)

    first = stack.deliver(payload, "push", delivery="push-1")
    again = stack.deliver(payload, "push", delivery="push-1")

    assert (first.json["outcome"], again.json["outcome"]) == ("submitted", "duplicate")
    assert len(stack.github_writes()) == 1


def test_the_result_of_a_push_run_completes_its_check_run_and_posts_no_comment(
    stack: Stack, contracts_dir: Path
) -> None:
    stack.deliver(default_branch_push(contracts_dir, before=BEFORE, after=AFTER), "push")
    [submission] = stack.submitted()
    name = submission["submitOptions"]["name"]

    answer = stack.callback(result(name, "regressed", pr=0, head_sha=AFTER, base_sha=BEFORE))

    assert answer.status_code == 200
    [check] = stack.repo.check_runs.values()
    assert (check["head_sha"], check["conclusion"]) == (AFTER, "failure")
    assert stack.github.calls("POST", f"/repos/{REPO}/issues/0/comments") == []
    assert [method for method, _ in stack.github_writes()] == ["POST", "PATCH"]


@pytest.mark.parametrize(
    ("changes", "present", "absent"),
    [
        ({}, ["label `perf`", "default branch", "forks run only when a maintainer"], []),
        ({"fork_prs": "refuse"}, ["label `perf`", "forks are not benchmarked"], []),
        ({"run_label": None}, ["default branch"], ["label `"]),
        ({"run_label": None, "run_on_push": False}, [], ["Besides commands", "forks"]),
    ],
)
def test_help_lists_the_triggers_the_repository_has(
    config: PerfbotConfig, changes: dict, present: list[str], absent: list[str]
) -> None:
    text = render_help(config.repos[REPO].model_copy(update=changes))

    assert all(phrase in text for phrase in present)
    assert not any(phrase in text for phrase in absent)
