"""Fixtures of the bot's tests: settings, the test configuration, fakes and stand-ins."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.github.api import PullRequest
from bot.server.app import create_app, shutdown
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
from tests.bot.fakes import FakeGitHub, FakeRepo
from tests.bot.payloads import AUTHOR, REPO, delivery_headers, encode
from tests.bot.stack import Stack, running_stack, settle
from tests.standins.argo_server import ArgoStandIn
from workflows.argo import ArgoClient
from workflows.config import PerfbotConfig, load_config

PostWebhook = Callable[..., TestResponse]


@pytest.fixture(scope="session")
def config_path() -> Path:
    return Path(__file__).with_name("perfbot.test.yaml")


@pytest.fixture(scope="session")
def config(config_path: Path) -> PerfbotConfig:
    return load_config(config_path)


@pytest.fixture
def settings(config_path: Path) -> BotSettings:
    """Token auth (so no App key is needed); check runs are exercised with the App."""
    return BotSettings(
        webhook_secret=WEBHOOK_SECRET,
        callback_secret=CALLBACK_SECRET,
        public_url=PUBLIC_URL,
        config_path=str(config_path),
        github_token="unused-by-the-fake",
        github_app_id="1",  # the fake GitHub behaves like an App: check runs on
        github_private_key="unused-by-the-fake",
    )


@pytest.fixture
def argo() -> Iterator[ArgoStandIn]:
    server = ArgoStandIn(token=ARGO_TOKEN, templates=TEMPLATES).start()
    yield server
    # Its shutdown waits for the server loop's 0.5 s poll; nothing needs to wait for that.
    threading.Thread(target=server.stop, daemon=True).start()


@pytest.fixture
def argo_client(argo: ArgoStandIn) -> ArgoClient:
    return ArgoClient(argo.url, argo.namespace, ARGO_TOKEN, ui_url=ARGO_UI, timeout=5)


@pytest.fixture
def fake_github() -> FakeGitHub:
    github = FakeGitHub()
    github.add(
        REPO,
        roles={AUTHOR: "admin", "reader": "read"},
        pulls={1: PullRequest(1, HEAD_SHA, "main")},
        refs={"main": MAIN_SHA, "v1.2.0": TAG_SHA, HEAD_SHA: HEAD_SHA},
    )
    return github


@pytest.fixture
def repo(fake_github: FakeGitHub) -> FakeRepo:
    return fake_github.repos[REPO]


@pytest.fixture
def app(
    settings: BotSettings, fake_github: FakeGitHub, argo_client: ArgoClient, config: PerfbotConfig
) -> Iterator[Flask]:
    flask_app = create_app(settings, github=fake_github, argo=argo_client, config=config)
    yield flask_app
    shutdown(flask_app, timeout=0)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def post_webhook(app: Flask, client: FlaskClient) -> PostWebhook:
    """Sign and post a payload as GitHub would; `delivery` fixes the X-GitHub-Delivery id.
    Returns once the delivery's follow-ups (reaction, replies) are done too."""

    def post(
        payload: Any,
        event: str = "issue_comment",
        delivery: str | None = None,
        secret: str = WEBHOOK_SECRET,
    ) -> TestResponse:
        body = payload if isinstance(payload, bytes) else encode(payload)
        headers = delivery_headers(body, secret, event, delivery)
        response = client.post("/webhook", data=body, headers=headers)
        settle(app)
        return response

    return post


@pytest.fixture
def stack(contracts_dir: Path, config_path: Path, config: PerfbotConfig) -> Iterator[Stack]:
    """The bot as a GitHub App, talking HTTP to stand-in GitHub and Argo servers."""
    yield from running_stack(contracts_dir, config_path, config)


@pytest.fixture
def token_stack(contracts_dir: Path, config_path: Path, config: PerfbotConfig) -> Iterator[Stack]:
    """The same with a plain GITHUB_TOKEN instead of App credentials."""
    yield from running_stack(contracts_dir, config_path, config, app=False)
