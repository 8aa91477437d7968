"""The clients, settings and thread pools of one app, built once by `create_app` and shared
by its views."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import current_app

from bot.github.api import GitHub
from bot.shared.followups import FollowupPool
from bot.shared.metrics import Metrics
from bot.shared.settings import BotSettings
from bot.shared.throttle import Throttle
from workflows.argo import ArgoClient
from workflows.config import PerfbotConfig

EXTENSION = "perfbot"


@dataclass(frozen=True)
class Services:
    settings: BotSettings
    config: PerfbotConfig
    github: GitHub
    argo: ArgoClient
    metrics: Metrics
    read_pool: ThreadPoolExecutor  # the concurrent reads of deliveries (`bot.delivery.reads`)
    followups: FollowupPool  # what deliveries do after their answer (`bot.shared.followups`)
    status_throttle: Throttle  # one `/perf-bot status` per PR per interval (`bot.shared.throttle`)

    def close(self, timeout: float) -> bool:
        """Finish the queued follow-ups (up to `timeout` s) and stop the pools."""
        drained = self.followups.close(timeout)
        self.read_pool.shutdown(wait=False, cancel_futures=True)
        return drained


def services() -> Services:
    """The services of the app handling the current request."""
    return current_app.extensions[EXTENSION]
