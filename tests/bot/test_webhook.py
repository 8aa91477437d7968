"""`POST /webhook` at the HTTP level: what is refused, ignored or acted on, with a fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.shared.settings import MAX_BODY_BYTES
from tests.bot.conftest import PostWebhook
from tests.bot.constants import WEBHOOK_SECRET
from tests.bot.fakes import FakeRepo
from tests.bot.payloads import AUTHOR, COMMENT_ID, delivery_headers, pr_comment, published
from tests.standins.argo_server import ArgoStandIn


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "body is not JSON"),
        (b"\xff\xfe", "body is not JSON"),
        (b"", "body is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "body is not JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
    ],
)
def test_a_signed_body_that_is_not_a_json_object_is_a_400_with_the_reason(
    client, body: bytes, reason: str
) -> None:
    response = client.post(
        "/webhook", data=body, headers=delivery_headers(body, WEBHOOK_SECRET, "issue_comment")
    )
    assert response.status_code == 400
    assert reason in response.json["error"]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.pop("comment"), "comment"),
        (lambda p: p["issue"].update(number="1"), "issue.number"),
        (lambda p: p["issue"].update(number=True), "issue.number"),
        (lambda p: p["comment"].update(body=["x"]), "comment.body"),
        (lambda p: p["repository"].pop("full_name"), "repository.full_name"),
        (lambda p: p["comment"].update(user=None), "comment.user"),
        (lambda p: p["installation"].update(id="1"), "installation.id"),
    ],
)
def test_a_comment_payload_of_the_wrong_shape_is_a_400_naming_the_field(
    post_webhook: PostWebhook, contracts_dir: Path, mutate, field: str
) -> None:
    payload = pr_comment(contracts_dir, "/run-perf")
    mutate(payload)
    response = post_webhook(payload)
    assert response.status_code == 400
    assert field in response.json["error"]


def test_a_body_over_25_mb_is_refused_with_413(client) -> None:
    body = b" " * (MAX_BODY_BYTES + 1)
    response = client.post(
        "/webhook", data=body, headers=delivery_headers(body, WEBHOOK_SECRET, "issue_comment")
    )
    assert response.status_code == 413
    assert response.is_json


@pytest.mark.parametrize(
    "name_and_event",
    [
        ("pull_request.opened.json", "pull_request"),
        ("pull_request.synchronize.json", "pull_request"),
        ("installation.created.json", "installation"),
        ("ping.with-app_id.json", "ping"),
    ],
)
def test_events_the_bot_does_not_act_on_are_acknowledged(
    post_webhook: PostWebhook, contracts_dir: Path, repo: FakeRepo, name_and_event
) -> None:
    name, event = name_and_event
    response = post_webhook(published(contracts_dir, name), event=event)
    assert response.status_code == 200
    assert response.json["outcome"] in ("ignored", "pong", "ignored-action", "not-labelled")
    assert repo.calls == []


@pytest.mark.parametrize(
    ("payload_for", "outcome"),
    [
        (lambda d: published(d, "issue_comment.created.json"), "not-a-pull-request"),
        (lambda d: published(d, "issue_comment.deleted.json"), "ignored-action"),
        (lambda d: pr_comment(d, "/run-perf main", action="edited"), "ignored-action"),
        (lambda d: pr_comment(d, "/run-perf main", on_pull_request=False), "not-a-pull-request"),
        (lambda d: pr_comment(d, "/run-perf main", user_type="Bot"), "from-bot"),
        (lambda d: pr_comment(d, "/run-perf main", login="perfbot-test[bot]"), "from-bot"),
        (lambda d: pr_comment(d, "Thanks! I'll /run-perf later"), "no-command"),
        (lambda d: pr_comment(d, "> /run-perf main"), "no-command"),
        (lambda d: pr_comment(d, "```\n/run-perf main\n```"), "no-command"),
    ],
)
def test_comments_that_must_not_trigger_do_nothing(
    post_webhook: PostWebhook,
    contracts_dir: Path,
    repo: FakeRepo,
    argo: ArgoStandIn,
    payload_for,
    outcome: str,
) -> None:
    response = post_webhook(payload_for(contracts_dir))
    assert response.status_code == 200
    assert response.json["outcome"] == outcome
    assert repo.calls == []
    assert argo.requests == []


def test_a_command_from_the_bots_own_token_user_does_nothing(
    post_webhook: PostWebhook, contracts_dir: Path, fake_github, repo: FakeRepo
) -> None:
    fake_github.login = "release-robot"  # a plain-token bot comments as a `User`
    response = post_webhook(pr_comment(contracts_dir, "/run-perf", login="Release-Robot"))
    assert response.json["outcome"] == "from-bot"
    assert repo.calls == []


def test_a_command_without_a_delivery_id_is_a_400(client, contracts_dir: Path) -> None:
    body = json.dumps(pr_comment(contracts_dir, "/run-perf")).encode()
    headers = delivery_headers(body, WEBHOOK_SECRET, "issue_comment")
    del headers["X-GitHub-Delivery"]
    response = client.post("/webhook", data=body, headers=headers)
    assert response.status_code == 400
    assert "X-GitHub-Delivery" in response.json["error"]


def test_an_unauthorized_author_gets_a_polite_reply_and_nothing_runs(
    post_webhook: PostWebhook, contracts_dir: Path, repo: FakeRepo, argo: ArgoStandIn
) -> None:
    response = post_webhook(pr_comment(contracts_dir, "/run-perf main", login="reader"))
    assert response.json["outcome"] == "not-allowed"
    methods = [m for m, _ in repo.calls]
    # reads the run would need may have started alongside the permission check; no more
    assert set(methods) <= {"permission", "pull_request", "resolve_ref", "react", "comment"}
    assert [m for m in methods if m in ("permission", "react", "comment")] == [
        "permission",
        "react",
        "comment",
    ]
    assert "only people with write access" in repo.replies()[0]
    assert argo.requests == []


def test_a_user_listed_in_the_config_may_start_runs_without_write_access(
    post_webhook: PostWebhook, contracts_dir: Path, repo: FakeRepo, argo: ArgoStandIn
) -> None:
    comment = pr_comment(contracts_dir, "/run-perf main", login="Friendly-Contributor")
    response = post_webhook(comment)
    assert response.json["outcome"] == "submitted"
    assert ("permission", {"login": "Friendly-Contributor"}) not in repo.calls


def test_the_reaction_comes_first_on_the_commented_comment(
    post_webhook: PostWebhook, contracts_dir: Path, repo: FakeRepo
) -> None:
    post_webhook(pr_comment(contracts_dir, "/perf-bot help"))
    assert repo.calls[0] == ("react", {"number": 1, "comment_id": COMMENT_ID, "content": "eyes"})


def test_anyone_may_ask_for_help(
    post_webhook: PostWebhook, contracts_dir: Path, repo: FakeRepo
) -> None:
    response = post_webhook(pr_comment(contracts_dir, "/perf-bot help", login="reader"))
    assert response.json["outcome"] == "help"
    assert "permission" not in [m for m, _ in repo.calls]


def test_a_github_failure_while_handling_a_command_is_a_502(
    post_webhook: PostWebhook, contracts_dir: Path, repo: FakeRepo
) -> None:
    repo.fail_with = "GitHub answered 500 to the permission of Codertocat: boom"
    response = post_webhook(pr_comment(contracts_dir, "/run-perf main", login=AUTHOR))
    assert response.status_code == 502
    assert response.json["outcome"] == "upstream-error"
    assert "Traceback" not in response.get_data(as_text=True)


def test_healthz_answers_ok(client) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"ok": True})


def test_metrics_count_deliveries_commands_and_latency(
    post_webhook: PostWebhook, contracts_dir: Path, client
) -> None:
    post_webhook(published(contracts_dir, "ping.json"), event="ping")
    post_webhook(pr_comment(contracts_dir, "/run-perf main"))
    client.post("/webhook", data=b"{}", headers={"X-GitHub-Event": "gollum"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'perfbot_webhook_deliveries_total{event="ping",outcome="pong"} 1.0' in text
    assert 'perfbot_webhook_deliveries_total{event="other",outcome="bad-signature"} 1.0' in text
    assert 'perfbot_commands_total{command="/run-perf",outcome="submitted"} 1.0' in text
    assert 'perfbot_submissions_total{job="api",outcome="submitted"} 1.0' in text
    assert (
        'perfbot_http_request_duration_seconds_count{endpoint="/webhook",status="200"} 2.0' in text
    )


def test_two_apps_do_not_share_metrics(app, settings, fake_github, argo_client, config) -> None:
    from bot.server.app import create_app

    other = create_app(settings, github=fake_github, argo=argo_client, config=config)
    app.test_client().get("/healthz")
    text = other.test_client().get("/metrics").get_data(as_text=True)
    assert 'endpoint="/healthz"' not in text
