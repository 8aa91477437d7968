"""The bot against failing neighbours: the stand-ins of tests/bot with faults injected.

Timeouts and the delivery's budget are small here (1 s per call, 3 s per delivery) so that a
hanging neighbour costs a test seconds, not the production defaults' 4 s and 8 s; the
behaviour under test (retry while it fits, then give up and say so) is the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.test import TestResponse

from bot.shared.services import EXTENSION
from tests.bot.stack import Stack, running_stack, settle
from workflows.config import PerfbotConfig, load_config

CONFIG = Path(__file__).resolve().parents[1] / "bot" / "perfbot.test.yaml"
FAULT_SETTINGS = {
    "github_timeout": 1,
    "argo_timeout": 1.0,
    "delivery_budget": 3.0,
    "github_retries": 2,
    "argo_retries": 2,
    "retry_backoff": 0.05,
    "retry_backoff_max": 0.2,
}
# What "in time" means for GitHub, which gives up on a delivery after 10 s; generous on purpose,
# this is a bound on behaviour (the bot never waits for ever), not a speed target.
IN_TIME = 9.0


@dataclass(frozen=True)
class Answer:
    response: TestResponse
    seconds: float  # until the webhook answered (follow-ups not included)

    @property
    def outcome(self) -> str:
        return self.response.json["outcome"]


@pytest.fixture(scope="session")
def config() -> PerfbotConfig:
    return load_config(CONFIG)


@pytest.fixture
def stack(contracts_dir: Path, config: PerfbotConfig) -> Iterator[Stack]:
    yield from running_stack(contracts_dir, CONFIG, config, **FAULT_SETTINGS)


@pytest.fixture
def deliver(stack: Stack) -> Callable[..., Answer]:
    """Post a command, time the answer, then wait for the follow-ups."""

    def post(body: str, **kwargs: object) -> Answer:
        started = time.monotonic()
        response = stack.comment(body, wait=False, **kwargs)
        seconds = time.monotonic() - started
        settle(stack.app, timeout=30)
        return Answer(response, seconds)

    return post


def followup_counts(stack: Stack) -> str:
    """The Prometheus text of the follow-ups counter, for assertions on dropped work."""
    text = stack.app.extensions[EXTENSION].metrics.exposition()[0].decode()
    return "\n".join(line for line in text.splitlines() if line.startswith("perfbot_followups"))
