"""What a command is: a pattern that finds it in a comment, its help, and its handler."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.delivery.context import CommandContext

# A handler replies on the PR itself and returns a short outcome for logs and metrics.
Handler = Callable[["CommandContext", list[str]], str]
# Starts the reads the handler will need (`ctx.reads.start`) while the permission is checked;
# it must not change anything: the author may turn out not to be allowed.
Prefetch = Callable[["CommandContext", list[str]], None]


@dataclass(frozen=True)
class Command:
    name: str  # as metrics and logs show it: "/run-perf", "/perf-bot run"
    pattern: re.Pattern[str]  # anchored, re.MULTILINE; group `args` holds the words after it
    usage: str
    help: str
    handler: Handler
    needs_write: bool = True  # only people who may start runs may use it
    listed: bool = True  # shown by `/perf-bot help`
    prefetch: Prefetch | None = None
    rate_limited: bool = False  # open to everyone and costly: one per PR per interval
