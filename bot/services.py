"""The clients and settings of one app, built once by `create_app` and shared by its views."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from bot.github_api import GitHub
from bot.metrics import Metrics
from bot.settings import BotSettings
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


def services() -> Services:
    """The services of the app handling the current request."""
    return current_app.extensions[EXTENSION]
