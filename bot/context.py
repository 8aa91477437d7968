"""Everything a command handler needs, handed over in one object."""

from __future__ import annotations

from dataclasses import dataclass

from bot.events import CommentEvent
from bot.github_api import RepoGitHub
from bot.metrics import Metrics
from bot.settings import BotSettings
from workflows.argo import ArgoClient
from workflows.config import PerfbotConfig, RepoConfig


@dataclass(frozen=True)
class CommandContext:
    event: CommentEvent
    github: RepoGitHub
    argo: ArgoClient
    config: PerfbotConfig
    repo_config: RepoConfig
    settings: BotSettings
    metrics: Metrics

    def reply(self, text: str) -> None:
        self.github.comment(self.event.number, text)
