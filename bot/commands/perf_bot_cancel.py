"""`/perf-bot cancel`: stop every perfbot run still going for this pull request."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.delivery.context import CommandContext
from bot.runs.submission import stop_runs
from workflows.argo import ArgoError
from workflows.labels import PR, REPO, label_value, repo_label

PATTERN = re.compile(r"^ {0,3}/perf-bot[ \t]+cancel[ \t]*$", re.MULTILINE)
USAGE = "/perf-bot cancel"
HELP = "stop this PR's running perfbot workflows"
CANCELLED = "Stopped {count} run{s} of this PR: {names}."
NOTHING_RUNNING = "Nothing to cancel: no perfbot run is going for this PR."
ARGO_FAILED = "I could not cancel: the Argo Server did not answer as expected ({reason})."
CANCEL_MESSAGE = "cancelled from the pull request by {login}"


def handle(ctx: CommandContext, words: list[str]) -> str:
    event = ctx.event
    this_pr = {REPO: repo_label(event.repo), PR: label_value(str(event.number))}
    try:
        stopped = stop_runs(ctx.argo, this_pr, message=CANCEL_MESSAGE.format(login=event.author))
    except ArgoError as exc:
        ctx.reply(ARGO_FAILED.format(reason=exc))
        return "argo-error"
    if not stopped:
        ctx.reply(NOTHING_RUNNING)
        return "nothing-running"
    names = ", ".join(f"`{name}`" for name in stopped)
    ctx.reply(CANCELLED.format(count=len(stopped), s="s" if len(stopped) > 1 else "", names=names))
    return "cancelled"


COMMAND = Command(name="/perf-bot cancel", pattern=PATTERN, usage=USAGE, help=HELP, handler=handle)
