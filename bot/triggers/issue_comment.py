"""`issue_comment` deliveries: find a command in a new PR comment and run its handler.

Filters come first and cost nothing: only `created` comments (an edit must not start a second
run), only on pull requests, never from a bot (this one included, or it could answer itself),
only with a command line. Then the reaction is queued (it is posted after the answer, first of
the delivery's follow-ups), the command's reads are started, and the author's permission is
checked before the handler decides anything.

When GitHub fails or the delivery runs out of time before a run was submitted, the bot says so
on the pull request (a follow-up: if GitHub itself is what fails, that reply fails too and the
log has it) and the error goes on to the webhook, which answers 502 so that the delivery shows
as failed and can be redelivered.
"""

from __future__ import annotations

import logging

from bot.commands import find_command
from bot.delivery.context import CommandContext
from bot.delivery.events import CommentEvent
from bot.delivery.freshness import is_stale
from bot.delivery.reads import Reads
from bot.github.api import GitHubError, RepoGitHub
from bot.github.markdown import text
from bot.shared.deadline import OutOfTime
from bot.shared.followups import Followups
from bot.shared.services import Services

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
GAVE_UP = (
    "I could not handle `{command}`: {reason}. Nothing was started; comment the command "
    "again in a few minutes."
)


def handle(event: CommentEvent, services: Services, followups: Followups) -> str:
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
    if is_stale(event.created, services.settings.command_max_age):
        # a replay, or a delivery GitHub held back: run nothing, say nothing
        # (bot.delivery.freshness)
        return _counted(services, event, invocation.command.name, "stale-command")

    command = invocation.command
    if command.rate_limited and not services.status_throttle.allow(
        (event.repo.lower(), event.number, command.name)
    ):
        return _counted(services, event, command.name, "rate-limited")  # no reaction, no reply
    github = services.github.repo(event.repo, event.installation_id)
    followups.add(
        "react to the command",
        lambda: github.react(event.number, event.comment_id, ACKNOWLEDGE_REACTION),
    )
    repo_config = services.config.repo(event.repo)
    if repo_config is None:
        followups.add(
            "reply on the pull request", lambda: github.comment(event.number, NOT_CONFIGURED)
        )
        return _counted(services, event, command.name, "repo-not-configured")

    ctx = CommandContext(
        event=event,
        github=github,
        argo=services.argo,
        config=services.config,
        repo_config=repo_config,
        settings=services.settings,
        metrics=services.metrics,
        reads=Reads(services.read_pool),
        followups=followups,
    )
    try:
        if command.prefetch is not None:
            command.prefetch(ctx, invocation.words)
        if command.needs_write and not may_start_runs(
            github, event.author, repo_config.allowed_users
        ):
            ctx.reply(NOT_ALLOWED.format(login=event.author))
            outcome = "not-allowed"
        else:
            outcome = command.handler(ctx, invocation.words)
    except (GitHubError, OutOfTime) as exc:
        ctx.reply(GAVE_UP.format(command=command.name, reason=_reason(exc)))
        _counted(services, event, command.name, "upstream-error")
        raise
    finally:
        ctx.reads.cancel_pending()
    return _counted(services, event, command.name, outcome)


def may_start_runs(github: RepoGitHub, login: str, allowed_users: list[str]) -> bool:
    """Listed in the config, or write/maintain/admin on the repository (asked, never guessed
    from `author_association`, which GitHub computes without a viewer)."""
    if login.lower() in {user.lower() for user in allowed_users}:
        return True
    return github.permission(login) in WRITE_PERMISSIONS


def _counted(services: Services, event: CommentEvent, command: str, outcome: str) -> str:
    services.metrics.commands.labels(command=command, outcome=outcome).inc()
    log.info(
        "delivery %s: %s on %s#%s by %s -> %s",
        event.delivery_id,
        command,
        event.repo,
        event.number,
        event.author,
        outcome,
    )
    return outcome


def _reason(exc: Exception) -> str:
    if isinstance(exc, OutOfTime):
        return "GitHub did not answer in time"
    return text(str(exc), 200)  # prose: a GitHub error can quote the comment
