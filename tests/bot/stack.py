"""The bot wired to stand-in GitHub and Argo servers over real HTTP, through its real clients.

`Stack` is what integration tests drive: post a signed PR comment or a signed callback to the
Flask app, then read what the stand-ins received (GitHub calls by method, path and body; Argo
bodies validated against swagger.json by the stand-in itself). The bot acknowledges a delivery
after answering it, so `comment` waits for those follow-ups before it returns (`settle`).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.server.app import create_app, shutdown
from bot.shared.services import EXTENSION
from bot.shared.settings import BotSettings
from tests.bot.constants import (
    ARGO_TOKEN,
    ARGO_UI,
    CALLBACK_SECRET,
    HEAD_SHA,
    MAIN_SHA,
    PUBLIC_URL,
    TAG_SHA,
    TEMPLATES,
    WEBHOOK_SECRET,
)
from tests.bot.payloads import (
    AUTHOR,
    COMMENT_ID,
    INSTALLATION_ID,
    PR_NUMBER,
    REPO,
    delivery_headers,
    encode,
    pr_comment,
)
from tests.standins.argo_server import ArgoStandIn
from tests.standins.github_server import GitHubStandIn, StandInRepo
from workflows.callback import SIGNATURE_HEADER, CallbackPayload, RunRef, sign
from workflows.config import PerfbotConfig

APP_ID = 4242
RELEASE_SHA = "b" * 40


@cache
def app_key() -> tuple[str, str]:
    """(private PEM, public PEM) of the test App; generated once per process."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def seed(repo: StandInRepo) -> None:
    repo.branches.update({"main": MAIN_SHA, "release/1.2": RELEASE_SHA})
    repo.tags.update({"v1.0.0": "1" * 40, "v1.2.0": TAG_SHA, "nightly": "2" * 40})
    repo.roles.update({AUTHOR: "admin", "maintainer": "maintain", "reader": "read"})
    repo.add_pull(PR_NUMBER, head_sha=HEAD_SHA, base_ref="main")
    for login in (AUTHOR, "maintainer", "reader"):
        repo.add_comment(
            PR_NUMBER, "(the command)", login=login, comment_id=COMMENT_ID + len(repo.comments)
        )


def settle(app: Flask, timeout: float = 15.0) -> None:
    """Wait until the app's queued follow-ups (reactions, replies, stops) are done."""
    assert app.extensions[EXTENSION].followups.wait_idle(timeout), "follow-ups still running"


NOW = object()  # `Stack.comment`'s default: written just now


@dataclass
class Stack:
    github: GitHubStandIn
    argo: ArgoStandIn
    client: FlaskClient
    contracts_dir: Path
    app: Flask

    @property
    def repo(self) -> StandInRepo:
        return self.github.repos[REPO]

    def comment(
        self,
        body: str,
        *,
        login: str = AUTHOR,
        delivery: str | None = None,
        wait: bool = True,
        comment_id: int | None = None,
        created_at: datetime | object | None = NOW,
    ) -> TestResponse:
        """A PR comment by `login` (whose seeded comment id it uses unless `comment_id` is
        given), written `created_at` (default: now; None: the field left out), as GitHub
        delivers it; `wait=False` returns as soon as the bot answered, before its follow-ups."""
        payload = pr_comment(self.contracts_dir, body, login=login)
        payload["comment"]["id"] = comment_id or next(
            cid for cid, c in self.repo.comments.items() if c["login"] == login
        )
        if created_at is None:
            del payload["comment"]["created_at"]
        elif isinstance(created_at, datetime):
            payload["comment"]["created_at"] = created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        raw = encode(payload)
        headers = delivery_headers(
            raw, WEBHOOK_SECRET, "issue_comment", delivery or str(uuid.uuid4())
        )
        response = self.client.post("/webhook", data=raw, headers=headers)
        if wait:
            settle(self.app)
        return response

    def new_comment_id(self, login: str = AUTHOR) -> int:
        """A further comment by `login` on the pull request: a new command, not a replay."""
        return self.repo.add_comment(
            PR_NUMBER, "(another command)", login=login, comment_id=max(self.repo.comments) + 1
        )

    def deliver(
        self, payload: dict[str, Any], event: str, *, delivery: str | None = None
    ) -> TestResponse:
        """Any signed delivery (`pull_request`, `push`), waiting for its follow-ups."""
        raw = encode(payload)
        headers = delivery_headers(raw, WEBHOOK_SECRET, event, delivery or str(uuid.uuid4()))
        response = self.client.post("/webhook", data=raw, headers=headers)
        settle(self.app)
        return response

    def callback(
        self,
        payload: CallbackPayload,
        *,
        secret: str = CALLBACK_SECRET,
        known: bool = True,
        wait: bool = True,
    ) -> TestResponse:
        """`known`: Argo has the run the callback names, as the bot submitted it. `wait`: the
        follow-ups after the answer (history, Horreum) are done before this returns."""
        if known:
            self.argo.add_run_of(payload)
        body = payload.to_json()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
        response = self.client.post("/callback", data=body, headers=headers)
        if wait:
            settle(self.app)
        return response

    def submitted(self) -> list[dict[str, Any]]:
        return [r.body for r in self.argo.requests if r.method == "POST" and r.status == 200]

    def parameters(self, submission: dict[str, Any]) -> dict[str, str]:
        items = submission["submitOptions"]["parameters"]
        return dict(item.split("=", 1) for item in items)

    def replies(self) -> list[str]:
        path = f"/repos/{REPO}/issues/{PR_NUMBER}/comments"
        return [r.json["body"] for r in self.github.calls("POST", path)]

    def github_writes(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.github.writes()]


def run_ref(**changes: Any) -> RunRef:
    ref = RunRef(
        repo=REPO, pr=PR_NUMBER, job="api", head_sha=HEAD_SHA, base_sha=MAIN_SHA, base_ref="main"
    )
    return replace(ref, **changes)


def result(
    workflow: str, verdict: str = "unchanged", report: str = "| bench | change |", **changes: Any
) -> CallbackPayload:
    return CallbackPayload(
        kind="result",
        run=run_ref(**changes),
        workflow_name=workflow,
        namespace="perfbot",
        verdict=verdict,
        report_markdown=report,
        report={"verdict": verdict},
    )


def exit_callback(
    workflow: str, status: str, failures: list[dict[str, Any]] | None = None
) -> CallbackPayload:
    return CallbackPayload(
        kind="exit",
        run=run_ref(),
        workflow_name=workflow,
        namespace="perfbot",
        status=status,
        failures=failures or [],
    )


def settings_for(
    github: GitHubStandIn, argo: ArgoStandIn, config_path: Path, *, app: bool = True, **changes
) -> BotSettings:
    private, _ = app_key()
    settings = BotSettings(
        webhook_secret=WEBHOOK_SECRET,
        callback_secret=CALLBACK_SECRET,
        public_url=PUBLIC_URL,
        config_path=str(config_path),
        github_api_url=github.api_url,
        github_app_id=str(APP_ID) if app else None,
        github_private_key=private if app else None,
        github_token=None if app else github.token,
        argo_server=argo.url,
        argo_token=ARGO_TOKEN,
        argo_namespace=argo.namespace,
        argo_ui_url=ARGO_UI,
        github_retries=1,
        argo_retries=1,
        retry_backoff=0.01,
    )
    return replace(settings, **changes)


def running_stack(
    contracts_dir: Path, config_path: Path, config: PerfbotConfig, *, app: bool = True, **changes
) -> Iterator[Stack]:
    """`changes` are settings to change (timeouts, retries, budget for fault tests)."""
    _, public = app_key()
    with GitHubStandIn(app_id=APP_ID, app_public_key=public) as github:
        seed(github.repo(REPO, installation_id=INSTALLATION_ID))
        argo = ArgoStandIn(token=ARGO_TOKEN, templates=TEMPLATES).start()
        flask_app = None
        try:
            settings = settings_for(github, argo, config_path, app=app, **changes)
            flask_app = create_app(settings, config=config)
            yield Stack(github, argo, flask_app.test_client(), contracts_dir, flask_app)
        finally:
            if flask_app is not None:
                shutdown(flask_app, timeout=0)
            threading.Thread(target=argo.stop, daemon=True).start()
