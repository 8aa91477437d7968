"""`/perf-bot run <job> [<ref>] [key=value ...]`: run a named job instead of the default."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.delivery.context import CommandContext
from bot.github.markdown import inert
from bot.runs.submission import prefetch, start_run

PATTERN = re.compile(r"^ {0,3}/perf-bot[ \t]+run(?:[ \t]+(?P<args>[^\n]*?))?[ \t]*$", re.MULTILINE)
USAGE = "/perf-bot run <job> [<ref>] [key=value ...]"
HELP = "run the named job from the configuration instead of the default one"
MISSING_JOB = "Which job? Usage: `{usage}`. Jobs of this repository: {jobs}."
UNKNOWN_JOB = "There is no job `{job}` for this repository. Jobs: {jobs}."


def read_ahead(ctx: CommandContext, words: list[str]) -> None:
    job = ctx.repo_config.job(words[0]) if words else None
    if job is not None:
        prefetch(ctx, job, words[1:])


def handle(ctx: CommandContext, words: list[str]) -> str:
    jobs = ", ".join(f"`{name}`" for name in sorted(ctx.repo_config.jobs))
    if not words:
        ctx.reply(MISSING_JOB.format(usage=USAGE, jobs=jobs))
        return "missing-job"
    job = ctx.repo_config.job(words[0])
    if job is None:
        ctx.reply(UNKNOWN_JOB.format(job=inert(words[0], 60), jobs=jobs))
        return "unknown-job"
    return start_run(ctx, job, words[1:], usage=USAGE, rebuild=True)


COMMAND = Command(
    name="/perf-bot run",
    pattern=PATTERN,
    usage=USAGE,
    help=HELP,
    handler=handle,
    prefetch=read_ahead,
)
