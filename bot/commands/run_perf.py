"""`/run-perf [<ref>] [key=value ...]`: run the repository's default job against `<ref>`."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.delivery.context import CommandContext
from bot.runs.submission import prefetch, start_run

PATTERN = re.compile(r"^ {0,3}/run-perf(?:[ \t]+(?P<args>[^\n]*?))?[ \t]*$", re.MULTILINE)
USAGE = "/run-perf [<ref>] [key=value ...]"
HELP = (
    "compare this PR's head with `<ref>` (a branch, a tag or `latest`; "
    "default: the PR's base branch) using the repository's default job"
)


def read_ahead(ctx: CommandContext, words: list[str]) -> None:
    prefetch(ctx, ctx.repo_config.jobs[ctx.repo_config.default_job], words)


def handle(ctx: CommandContext, words: list[str]) -> str:
    job = ctx.repo_config.jobs[ctx.repo_config.default_job]
    return start_run(ctx, job, words, usage=USAGE, rebuild=True)


COMMAND = Command(
    name="/run-perf", pattern=PATTERN, usage=USAGE, help=HELP, handler=handle, prefetch=read_ahead
)
