"""Everything a command handler needs, handed over in one object.

Handlers decide on the request path and acknowledge after it: `reads` starts and shares the
GitHub reads of the delivery, `followups` collects what is done once GitHub has its answer,
and `reply` is one of those follow-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from bot.delivery.events import CommentEvent
from bot.delivery.reads import Reads
from bot.github.api import RepoGitHub
from bot.shared.followups import Followups
from bot.shared.metrics import Metrics
from bot.shared.settings import BotSettings
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
    reads: Reads
    followups: Followups

    def reply(self, text: str) -> None:
        """Comment on the pull request, after the delivery is answered."""
        self.followups.add("reply on the pull request", partial(self.post_reply, text))

    def post_reply(self, text: str) -> None:
        """Comment now (from a follow-up step that composes its text from what it did)."""
        self.github.comment(self.event.number, text)
