"""`POST /horreum`: Horreum's change/new reaches the PR; forged or foreign calls change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.bot.constants import HEAD_SHA
from tests.horreum.conftest import ACTION_TOKEN, TEST, Bot, bot_stack, result_payload
from tests.standins.horreum_server import HorreumStandIn

FINDING = "Horreum detected a change in **geomean change**"


def uploaded(bot: Bot, report, **run) -> int:
    bot.callback(result_payload(report, None, **run))
    [run_id] = bot.horreum.runs
    return run_id


def github_writes(bot: Bot) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in bot.github.writes()]


def test_a_change_on_an_uploaded_run_is_added_to_the_pr_sticky_comment(bot: Bot, report) -> None:
    run_id = uploaded(bot, report)

    status = bot.horreum.fire(
        bot.action_url(), "change/new", run_id=run_id, description="+19.8 % in GET /search"
    )

    assert status == 200
    sticky = bot.sticky()
    assert "| GET /search | +20 % |" in sticky  # the report stays
    assert f"Stored in Horreum: [run {run_id}]" in sticky
    assert f"{FINDING} for head `{HEAD_SHA[:12]}`: +19.8 % in GET /search" in sticky
    assert f"[run {run_id} in Horreum]({bot.horreum.url}/run/{run_id})" in sticky


def test_the_bot_reads_the_run_back_from_horreum_with_its_own_key(bot: Bot, report) -> None:
    run_id = uploaded(bot, report)
    before = len(bot.horreum.requests)

    bot.horreum.fire(bot.action_url(), "change/new", run_id=run_id, description="x")

    read = bot.horreum.requests[before:]
    assert [r.operation for r in read] == ["getDataset", "getRun"]
    assert all(r.headers["x-horreum-api-key"] for r in read)


def test_the_same_change_twice_is_added_once(bot: Bot, report) -> None:
    run_id = uploaded(bot, report)

    for _ in range(2):
        bot.horreum.fire(bot.action_url(), "change/new", run_id=run_id, description="slower")

    assert bot.sticky().count(FINDING) == 1


@pytest.mark.parametrize("token", ["", "wrong-token", ACTION_TOKEN[:-1], ACTION_TOKEN + "x", "é"])
def test_a_call_with_a_wrong_token_is_refused_and_changes_nothing(
    bot: Bot, report, token: str
) -> None:
    run_id = uploaded(bot, report)
    writes, reads = github_writes(bot), len(bot.horreum.requests)

    status = bot.horreum.fire(bot.action_url(token), "change/new", run_id=run_id, description="x")

    assert status == 401
    assert github_writes(bot) == writes
    assert len(bot.horreum.requests) == reads  # not even read back


def test_a_forged_change_naming_a_dataset_horreum_does_not_know_changes_nothing(
    bot: Bot, report
) -> None:
    run_id = uploaded(bot, report)
    payload = bot.horreum.payload("change/new", run_id=run_id, description="forged")
    payload["change"]["dataset"]["id"] = 99999
    writes = github_writes(bot)

    response = requests.post(bot.action_url(), json=payload, timeout=10)

    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")
    assert "404" in response.json()["reason"]
    assert github_writes(bot) == writes
    assert FINDING not in bot.sticky()


def test_a_change_on_a_run_someone_else_uploaded_is_acknowledged_and_ignored(bot: Bot) -> None:
    foreign = bot.horreum.add_run(
        TEST,
        {"$schema": "urn:other:1", "repository": "Codertocat/Hello-World", "job": "api", "pr": 1},
    )
    writes = github_writes(bot)

    status = bot.horreum.fire(bot.action_url(), "change/new", run_id=foreign, description="x")

    assert status == 200
    assert github_writes(bot) == writes


def test_a_perfbot_run_of_a_repository_the_bot_does_not_serve_is_ignored(bot: Bot) -> None:
    document = {"$schema": "urn:perfbot:run:1", "repository": "evil/repo", "job": "api", "pr": 1}
    run_id = bot.horreum.add_run(TEST, document)

    response = requests.post(
        bot.action_url(), json=bot.horreum.payload("change/new", run_id=run_id), timeout=10
    )

    assert response.json()["outcome"] == "ignored"
    assert bot.github.writes() == []


@pytest.mark.parametrize("event", ["run/new", "dataset_labels/computed"])
def test_run_and_label_events_are_acknowledged_without_writing(bot: Bot, report, event) -> None:
    run_id = uploaded(bot, report)
    writes = github_writes(bot)

    response = requests.post(
        bot.action_url(), json=bot.horreum.payload(event, run_id=run_id), timeout=10
    )

    assert (response.status_code, response.json()["outcome"]) == (200, "ignored")
    assert github_writes(bot) == writes


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"change": {"dataset": {}}}'])
def test_a_malformed_body_is_answered_without_a_traceback(bot: Bot, body: bytes) -> None:
    response = requests.post(
        bot.action_url(), data=body, headers={"Content-Type": "application/json"}, timeout=10
    )

    assert response.status_code in (200, 400)
    assert response.json()["ok"] is (response.status_code == 200)
    assert bot.github.writes() == []


def test_a_change_on_a_main_branch_run_becomes_a_check_run_on_its_commit(bot: Bot, report) -> None:
    run_id = uploaded(bot, report, pr=0)

    bot.horreum.fire(bot.action_url(), "change/new", run_id=run_id, description="slower")

    [check] = [c for c in bot.repo.check_runs.values() if c["name"].endswith("/horreum")]
    assert check["head_sha"] == HEAD_SHA
    assert (check["status"], check["conclusion"]) == ("completed", "neutral")
    assert FINDING in check["output"]["summary"]


def test_without_an_action_token_the_endpoint_is_not_enabled(
    tmp_path: Path, horreum: HorreumStandIn
) -> None:
    for bot in bot_stack(tmp_path, horreum, action_token=None):
        response = requests.post(f"{bot.url}/horreum?token=", json={}, timeout=10)

        assert response.status_code == 404
        assert "PERFBOT_HORREUM_ACTION_TOKEN" in response.json()["error"]
