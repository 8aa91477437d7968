"""Hostile input against the bot wired to the stand-in GitHub and Argo servers.

One bot per module (hypothesis runs many examples against it), so tests look at what changed
during their own request (`Watch`) rather than at the stand-ins' whole history.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from werkzeug.test import TestResponse

from tests.bot.constants import CALLBACK_SECRET, WEBHOOK_SECRET
from tests.bot.payloads import delivery_headers, encode
from tests.bot.stack import Stack, running_stack, settle
from workflows.callback import SIGNATURE_HEADER, CallbackError, CallbackPayload, sign
from workflows.config import PerfbotConfig, load_config

CONFIG = Path(__file__).resolve().parents[1] / "bot" / "perfbot.test.yaml"

# Modest example counts: the whole suite shares two cores.
settings.register_profile(
    "perfbot-security",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEW = settings.get_profile("perfbot-security")


@pytest.fixture(scope="module")
def config() -> PerfbotConfig:
    return load_config(CONFIG)


@pytest.fixture(scope="module")
def stack(contracts_dir: Path, config: PerfbotConfig) -> Iterator[Stack]:
    yield from running_stack(contracts_dir, CONFIG, config)


@dataclass
class Watch:
    """What the stand-ins saw from one point on."""

    stack: Stack
    github_seen: int = 0
    argo_seen: int = 0

    def __post_init__(self) -> None:
        self.github_seen = len(self.stack.github.requests)
        self.argo_seen = len(self.stack.argo.requests)

    def github(self) -> list[Any]:
        settle(self.stack.app)
        return self.stack.github.requests[self.github_seen :]

    def argo(self) -> list[Any]:
        settle(self.stack.app)
        return self.stack.argo.requests[self.argo_seen :]

    def submissions(self) -> list[Any]:
        return [r for r in self.argo() if r.method == "POST"]

    def replies(self) -> list[str]:
        return [
            r.json["body"]
            for r in self.github()
            if r.method == "POST" and r.path.endswith("/comments")
        ]


def post_webhook(
    stack: Stack,
    body: bytes | Any,
    *,
    event: str = "issue_comment",
    secret: str = WEBHOOK_SECRET,
    headers: dict[str, str] | None = None,
) -> TestResponse:
    raw = body if isinstance(body, bytes) else encode(body)
    sent = {**delivery_headers(raw, secret, event), **(headers or {})}
    return stack.client.post("/webhook", data=raw, headers=sent)


def post_callback(stack: Stack, body: bytes, *, secret: str = CALLBACK_SECRET) -> TestResponse:
    """A signed body; when it is a valid payload, Argo has the run it names."""
    with contextlib.suppress(CallbackError):
        stack.argo.add_run_of(CallbackPayload.from_json(body))
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
    return stack.client.post("/callback", data=body, headers=headers)


def assert_refused_cleanly(response: TestResponse, *statuses: int) -> None:
    """A 4xx (or one of `statuses`) with a JSON reason; never a 500, never a traceback."""
    allowed = statuses or tuple(range(400, 500))
    assert response.status_code in allowed, response.get_data(as_text=True)[:300]
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert 'File "' not in text
    assert response.is_json
