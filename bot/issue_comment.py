"""`issue_comment` deliveries: find a command in a new PR comment and run its handler.

Filters come first and cost nothing: only `created` comments (an edit must not start a second
run), only on pull requests, never from a bot (this one included, or it could answer itself),
only with a command line. Then the bot reacts, so the author sees it was heard, and checks the
author's permission before any handler runs.
"""

from __future__ import annotations

import logging

from bot.commands import find_command
from bot.context import CommandContext
from bot.events import CommentEvent
from bot.github_api import RepoGitHub
from bot.services import Services

log = logging.getLogger(__name__)

ACKNOWLEDGE_REACTION = "eyes"
WRITE_PERMISSIONS = frozenset({"admin", "maintain", "write"})
NOT_CONFIGURED = (
    "perfbot is not set up for this repository yet: a maintainer needs to add it to "
    "perfbot's configuration."
)
NOT_ALLOWED = (
    "Sorry @{login}, only people with write access to this repository (or listed in "
    "perfbot's configuration) can start performance runs. A maintainer can start one for you "
    "by commenting the same command."
)


def handle(event: CommentEvent, services: Services) -> str:
    """Returns the outcome of the delivery, for the response, the log and metrics."""
    if event.action != "created":
        return "ignored-action"
    if not event.is_pull_request:
        return "not-a-pull-request"
    if event.from_bot:
        return "from-bot"
    invocation = find_command(event.body)
    if invocation is None:
        return "no-command"
    if event.author.lower() == services.github.own_login().lower():
        return "from-bot"

    command = invocation.command
    github = services.github.repo(event.repo, event.installation_id)
    github.react(event.number, event.comment_id, ACKNOWLEDGE_REACTION)
    repo_config = services.config.repo(event.repo)
    if repo_config is None:
        github.comment(event.number, NOT_CONFIGURED)
        outcome = "repo-not-configured"
    elif command.needs_write and not may_start_runs(
        github, event.author, repo_config.allowed_users
    ):
        github.comment(event.number, NOT_ALLOWED.format(login=event.author))
        outcome = "not-allowed"
    else:
        ctx = CommandContext(
            event=event,
            github=github,
            argo=services.argo,
            config=services.config,
            repo_config=repo_config,
            settings=services.settings,
            metrics=services.metrics,
        )
        outcome = command.handler(ctx, invocation.words)
    services.metrics.commands.labels(command=command.name, outcome=outcome).inc()
    log.info(
        "delivery %s: %s on %s#%s by %s -> %s",
        event.delivery_id,
        command.name,
        event.repo,
        event.number,
        event.author,
        outcome,
    )
    return outcome


def may_start_runs(github: RepoGitHub, login: str, allowed_users: list[str]) -> bool:
    """Listed in the config, or write/maintain/admin on the repository (asked, never guessed
    from `author_association`, which GitHub computes without a viewer)."""
    if login.lower() in {user.lower() for user in allowed_users}:
        return True
    return github.permission(login) in WRITE_PERMISSIONS
