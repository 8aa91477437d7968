"""Any other `/perf-bot ...` line: say what is accepted instead of staying silent."""

from __future__ import annotations

import re

from bot.commands.base import Command
from bot.commands.perf_bot_help import render_help
from bot.delivery.context import CommandContext
from bot.github.markdown import inert

PATTERN = re.compile(r"^ {0,3}/perf-bot(?:[ \t]+(?P<args>[^\n]*?))?[ \t]*$", re.MULTILINE)
UNKNOWN = "I do not know `/perf-bot {words}`.\n\n{help}"


def handle(ctx: CommandContext, words: list[str]) -> str:
    ctx.reply(UNKNOWN.format(words=inert(" ".join(words), 60), help=render_help(ctx.repo_config)))
    return "unknown-command"


COMMAND = Command(
    name="/perf-bot (unknown)",
    pattern=PATTERN,
    usage="/perf-bot ...",
    help="",
    handler=handle,
    needs_write=False,
    listed=False,
)
