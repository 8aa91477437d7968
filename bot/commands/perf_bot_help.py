"""`/perf-bot help` (or a bare `/perf-bot`): the commands, and this repository's jobs."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.delivery.context import CommandContext
from workflows.config import RepoConfig

PATTERN = re.compile(r"^ {0,3}/perf-bot(?:[ \t]+help)?[ \t]*$", re.MULTILINE)
USAGE = "/perf-bot help"
HELP = "show this help"
INTRO = (
    "**perfbot** compares the performance of this PR with a base. "
    "Write a command at the start of a line (not quoted, not in a code block):"
)
JOBS_INTRO = "Jobs of this repository (default: `{default}`):"
TRIGGERS_INTRO = "Besides commands, in this repository:"
LABEL_TRIGGER = (
    "- while a pull request carries the label `{label}`, every push to it (and adding the "
    "label) runs `{job}` against its base branch, stopping the run in progress; only a label "
    "added by someone who may start runs counts"
)
PUSH_TRIGGER = (
    "- every push to the default branch runs `{job}` against the commit before it; the result "
    "is a check run on the pushed commit"
)
FORKS_REFUSED = "- pull requests from forks are not benchmarked (`fork_prs: refuse`)"
FORKS_BY_MAINTAINERS = (
    "- pull requests from forks run only when a maintainer starts them (a command, or the "
    "label for the head as it is)"
)
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
    lines += ["", *trigger_lines(repo_config), ACCESS_NOTE]
    return "\n".join(lines)


def trigger_lines(repo_config: RepoConfig) -> list[str]:
    """The triggers the repository has besides comments, then a blank line; none: nothing."""
    job = repo_config.default_job
    lines = []
    if repo_config.run_label:
        lines.append(LABEL_TRIGGER.format(label=repo_config.run_label, job=job))
    if repo_config.run_on_push:
        lines.append(PUSH_TRIGGER.format(job=job))
    if repo_config.fork_prs == "refuse":
        lines.append(FORKS_REFUSED)
    elif lines:
        lines.append(FORKS_BY_MAINTAINERS)
    return [TRIGGERS_INTRO, *lines, ""] if lines else []


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
