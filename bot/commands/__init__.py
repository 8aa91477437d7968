"""The command registry: every command the bot understands, in order of precedence.

A comment is searched for each command's anchored pattern; the command whose match starts
first wins, and on the same line the earlier entry here wins (so the catch-all for unknown
`/perf-bot` words comes last). One comment starts at most one command: the workflow's name is
derived from the delivery, and one delivery must mean at most one run.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import (
    perf_bot_cancel,
    perf_bot_help,
    perf_bot_run,
    perf_bot_status,
    perf_bot_unknown,
    rerun_perf,
    run_perf,
)
from bot.commands.base import Command
from bot.commands.parser import command_text

COMMANDS: tuple[Command, ...] = (
    run_perf.COMMAND,
    rerun_perf.COMMAND,
    perf_bot_run.COMMAND,
    perf_bot_cancel.COMMAND,
    perf_bot_status.COMMAND,
    perf_bot_help.COMMAND,
    perf_bot_unknown.COMMAND,
)


@dataclass(frozen=True)
class Invocation:
    command: Command
    words: list[str]  # what followed the command on its line, split on whitespace


def find_command(body: str, commands: tuple[Command, ...] = COMMANDS) -> Invocation | None:
    """The first command in `body`, ignoring quotes and code; None when there is none."""
    text = command_text(body)
    best = None
    for command in commands:
        match = command.pattern.search(text)
        if match and (best is None or match.start() < best[1].start()):
            best = (command, match)
    if best is None:
        return None
    command, match = best
    args = match.groupdict().get("args") or ""
    return Invocation(command, args.split())
