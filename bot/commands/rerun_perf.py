"""`/rerun-perf [<ref>] [key=value ...]`: as `/run-perf`, reusing the images built before."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.delivery.context import CommandContext
from bot.runs.submission import prefetch, start_run

PATTERN = re.compile(r"^ {0,3}/rerun-perf(?:[ \t]+(?P<args>[^\n]*?))?[ \t]*$", re.MULTILINE)
USAGE = "/rerun-perf [<ref>] [key=value ...]"
HELP = (
    "the same without building: reuse the images built earlier for both commits "
    "(the run fails with a clear message when they are missing)"
)
NOTHING_TO_REUSE = (
    "**{job}** builds with a command, so there are no images to reuse; use `/run-perf` instead."
)


def read_ahead(ctx: CommandContext, words: list[str]) -> None:
    job = ctx.repo_config.jobs[ctx.repo_config.default_job]
    if job.can_reuse_builds:
        prefetch(ctx, job, words)


def handle(ctx: CommandContext, words: list[str]) -> str:
    job = ctx.repo_config.jobs[ctx.repo_config.default_job]
    if not job.can_reuse_builds:
        ctx.reply(NOTHING_TO_REUSE.format(job=job.name))
        return "nothing-to-reuse"
    return start_run(ctx, job, words, usage=USAGE, rebuild=False)


COMMAND = Command(
    name="/rerun-perf", pattern=PATTERN, usage=USAGE, help=HELP, handler=handle, prefetch=read_ahead
)
