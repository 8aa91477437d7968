"""`/perf-bot help` (or a bare `/perf-bot`): the commands, and this repository's jobs."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.context import CommandContext
from workflows.config import RepoConfig

PATTERN = re.compile(r"^ {0,3}/perf-bot(?:[ \t]+help)?[ \t]*$", re.MULTILINE)
USAGE = "/perf-bot help"
HELP = "show this help"
INTRO = (
    "**perfbot** compares the performance of this PR with a base. "
    "Write a command at the start of a line (not quoted, not in a code block):"
)
JOBS_INTRO = "Jobs of this repository (default: `{default}`):"
ACCESS_NOTE = (
    "Runs can be started by people with write access to the repository, "
    "or listed in perfbot's configuration."
)


def render_help(repo_config: RepoConfig) -> str:
    from bot.commands import COMMANDS  # the registry imports this module

    rows = [f"| `{c.usage}` | {c.help} |" for c in COMMANDS if c.listed]
    lines = [INTRO, "", "| command | what it does |", "| --- | --- |", *rows, ""]
    lines.append(JOBS_INTRO.format(default=repo_config.default_job))
    for name, job in sorted(repo_config.jobs.items()):
        about = f": {job.description}" if job.description else ""
        options = "; ".join(
            f"`{key}=` ({spec.accepted}{', ' + spec.help if spec.help else ''})"
            for key, spec in sorted(job.options.items())
        )
        lines.append(f"- `{name}`{about}" + (f" Options: {options}." if options else ""))
    lines += ["", ACCESS_NOTE]
    return "\n".join(lines)


def handle(ctx: CommandContext, words: list[str]) -> str:
    ctx.reply(render_help(ctx.repo_config))
    return "help"


COMMAND = Command(
    name="/perf-bot help",
    pattern=PATTERN,
    usage=USAGE,
    help=HELP,
    handler=handle,
    needs_write=False,
)
