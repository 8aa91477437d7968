"""Which lines of a comment can be commands: not quoted, not inside code.

People quote the bot's help, paste logs in fenced blocks, and reply to a command with `>` in
front of it; none of that must start a run. Text that cannot hold a command is blanked rather
than removed, so line positions stay what the author wrote.
"""

from __future__ import annotations

import re

# A fence opens with ``` or ~~~ (3 or more), indented by at most 3 spaces; CommonMark closes it
# with a fence of the same character, at least as long.
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_QUOTE = re.compile(r"^ {0,3}>")


def command_text(body: str) -> str:
    """`body` with fenced code and `>` quotes blanked; newlines normalised.

    Indented code (4 spaces) needs no blanking: command patterns allow at most 3 spaces.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    fence: str | None = None
    quoting = False  # a text line right below a quote continues it (CommonMark's laziness)
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening["fence"][0] == fence[0] and len(opening["fence"]) >= len(fence):
                fence = None
            kept.append("")
        elif opening:
            fence = opening["fence"]
            kept.append("")
        elif _QUOTE.match(line) or (quoting and line.strip()):
            quoting = True
            kept.append("")
        else:
            quoting = False
            kept.append(line)
    return "\n".join(kept)
