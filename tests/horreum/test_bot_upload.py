"""A result callback reaches Horreum as one run document, and the PR report says where it is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.bot.constants import ARGO_UI, HEAD_SHA, MAIN_SHA
from tests.bot.payloads import PR_NUMBER, REPO
from tests.horreum.conftest import (
    SECRET,
    TEAM,
    TEST,
    WORKFLOW,
    Bot,
    bot_stack,
    result_payload,
)
from tests.standins.horreum_server import HorreumStandIn
from workflows.horreum.document import SCHEMA_URI

NOT_STORED = "results not stored in Horreum: "


def test_a_result_is_uploaded_to_the_configured_test_with_the_run_document(
    bot: Bot, report, run_samples
) -> None:
    response = bot.callback(result_payload(report, run_samples))

    assert response.status_code == 200
    [run] = bot.horreum.runs.values()
    [upload] = [r for r in bot.horreum.requests if r.operation == "addRunFromData"]
    assert {k: v[0] for k, v in upload.query.items() if k != "start" and k != "stop"} == {
        "test": TEST, "owner": TEAM, "access": "PROTECTED", "schema": SCHEMA_URI,
    }  # fmt: skip
    document = run["data"]
    assert document["$schema"] == SCHEMA_URI
    assert (document["repository"], document["pr"], document["job"]) == (REPO, PR_NUMBER, "api")
    assert document["base"] == {"ref": "main", "sha": MAIN_SHA}
    assert document["head"]["sha"] == HEAD_SHA
    assert document["workflow"]["name"] == WORKFLOW
    assert document["workflow"]["url"] == f"{ARGO_UI}/workflows/perfbot/{WORKFLOW}"
    assert document["metadata"]["parameters"] == {"rounds": "6"}
    assert run["start"] <= run["stop"]


def test_the_document_carries_every_raw_sample_with_its_round(
    bot: Bot, report, run_samples
) -> None:
    bot.callback(result_payload(report, run_samples))

    [run] = bot.horreum.runs.values()
    search = next(b for b in run["data"]["benchmarks"] if b["name"] == "GET /search")
    assert search["verdict"] == "regressed"
    assert len(search["head"]["samples"]) == 30
    assert sorted(set(search["head"]["sample_rounds"])) == [1, 2, 3, 4, 5, 6]
    assert (search["unit"], search["direction"]) == ("s", "lower")
    assert search["change"] == pytest.approx(0.2, abs=0.01)
    assert search["interval"]["low"] <= search["change"] <= search["interval"]["high"]
    assert search["p_adjusted"] is not None


def test_the_sticky_comment_links_the_stored_run(bot: Bot, report, run_samples) -> None:
    bot.callback(result_payload(report, run_samples))

    [run_id] = bot.horreum.runs
    sticky = bot.sticky()
    assert "| GET /search | +20 % |" in sticky
    assert f"Stored in Horreum: [run {run_id}]({bot.horreum.url}/run/{run_id})" in sticky


def test_a_run_without_a_pull_request_says_it_in_its_check_run(bot: Bot, report) -> None:
    bot.callback(result_payload(report, None, pr=0))

    [run_id] = bot.horreum.runs
    [check] = bot.repo.check_runs.values()
    assert check["conclusion"] == "failure"  # the regression, as without Horreum
    assert f"Stored in Horreum: [run {run_id}]" in check["output"]["summary"]


@pytest.mark.parametrize(
    ("status", "times", "reason"),
    [
        (
            500,
            10,
            "Horreum answered 500 to POST /api/run/data: injected failure (after 4 attempts)",
        ),
        (400, 1, "Horreum answered 400 to POST /api/run/data: injected failure"),
        (403, 1, "Horreum answered 403"),
    ],
)
def test_a_failing_upload_leaves_the_report_intact_and_says_why(
    bot: Bot, report, run_samples, status: int, times: int, reason: str
) -> None:
    bot.horreum.fail_next(status, times=times)

    response = bot.callback(result_payload(report, run_samples))

    assert response.status_code == 200
    sticky = bot.sticky()
    assert "| GET /search | +20 % |" in sticky
    assert NOT_STORED + reason in sticky
    assert bot.horreum.runs == {}


def test_a_failed_upload_is_retried_until_horreum_takes_it(bot: Bot, report) -> None:
    bot.horreum.fail_next(503, times=2)

    bot.callback(result_payload(report, None))

    assert len([r for r in bot.horreum.requests if r.operation == "addRunFromData"]) == 3
    assert "Stored in Horreum: [run 101]" in bot.sticky()


def test_horreum_down_leaves_the_report_intact_and_says_so(
    tmp_path: Path, horreum: HorreumStandIn, report
) -> None:
    closed = HorreumStandIn().start()
    down_url = closed.url
    closed.stop()
    for bot in bot_stack(tmp_path, horreum, horreum_url=down_url):
        response = bot.callback(result_payload(report, None))

        assert response.status_code == 200
        sticky = bot.sticky()
        assert "| GET /search | +20 % |" in sticky
        assert f"{NOT_STORED}cannot reach Horreum at {down_url}" in sticky


def test_without_the_api_key_secret_mounted_the_report_says_so(
    tmp_path: Path, horreum: HorreumStandIn, report
) -> None:
    for bot in bot_stack(tmp_path, horreum, keys={}):
        bot.callback(result_payload(report, None))

        assert f"{NOT_STORED}no API key: the Secret `{SECRET}`" in bot.sticky()
        assert horreum.requests == []


def test_the_api_key_is_read_from_the_mounted_secret(
    tmp_path: Path, horreum: HorreumStandIn, report
) -> None:
    from tests.horreum.conftest import API_KEY

    mounted = tmp_path / "secrets"
    (mounted / SECRET).mkdir(parents=True)
    (mounted / SECRET / "api-key").write_text(API_KEY + "\n")
    for bot in bot_stack(tmp_path, horreum, keys={}, secrets_dir=mounted):
        bot.callback(result_payload(report, None))

        assert [r.headers["x-horreum-api-key"] for r in horreum.requests] == [API_KEY]


def test_an_exit_callback_uploads_nothing(bot: Bot, report) -> None:
    payload = result_payload(report, None)
    exit_payload = type(payload)(
        kind="exit", run=payload.run, workflow_name=WORKFLOW, namespace="perfbot", status="Failed"
    )

    bot.callback(exit_payload)

    assert bot.horreum.requests == []


def test_a_rotated_key_is_used_without_a_restart(
    tmp_path: Path, horreum: HorreumStandIn, report
) -> None:
    from tests.horreum.conftest import API_KEY

    key_file = tmp_path / "secrets" / SECRET / "api-key"
    key_file.parent.mkdir(parents=True)
    key_file.write_text("the-old-key")
    for bot in bot_stack(tmp_path, horreum, keys={}, secrets_dir=tmp_path / "secrets"):
        bot.callback(result_payload(report, None))
        key_file.write_text(API_KEY)
        bot.callback(replace(result_payload(report, None), workflow_name="perf-a-later-run"))

        sent = [r.headers["x-horreum-api-key"] for r in horreum.requests]
        assert sent == ["the-old-key", API_KEY]
        assert "Stored in Horreum" in bot.sticky()


def test_retries_stop_when_the_follow_up_budget_would_be_spent(
    tmp_path: Path, horreum: HorreumStandIn, report
) -> None:
    """A retry due in 60 s does not fit in the follow-up's budget: the bot says so at once
    instead of sleeping past it and failing the comment's edit."""
    horreum.fail_next(503, times=5)
    for bot in bot_stack(tmp_path, horreum, retry_delays=(60.0,)):
        bot.callback(result_payload(report, None))

        assert f"{NOT_STORED}Horreum answered 503" in bot.sticky()
        assert "(after 1 attempt)" in bot.sticky()
