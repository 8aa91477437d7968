"""The words after a run command: an optional ref, then `key=value` options.

`/run-perf main rounds=20` -> ref `main`, options `{"rounds": "20"}`. Words are split on
whitespace only; nothing is unquoted or expanded, so what the comment says is what is checked.
Whether a key and its value are allowed is the job's business (`JobConfig.parse_options`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.github.markdown import inert
from bot.runs.refs import check_ref

_OPTION = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]{0,40})=(?P<value>.*)$")


@dataclass(frozen=True)
class RunArguments:
    ref: str | None = None  # None: the pull request's base branch
    options: dict[str, str] = field(default_factory=dict)


def parse_run_arguments(words: list[str]) -> RunArguments:
    """Raises ValueError (RefError for the ref) with a reason meant for the commenter."""
    ref: str | None = None
    options: dict[str, str] = {}
    for position, word in enumerate(words):
        option = _OPTION.match(word)
        if option:
            key = option["key"]
            if key in options:
                raise ValueError(f"option `{key}` is given twice")
            options[key] = option["value"]
        elif "=" in word:
            raise ValueError(f"`{inert(word, 60)}` is not a `key=value` option")
        elif position == 0:
            ref = check_ref(word)
        else:
            raise ValueError(
                f"`{inert(word, 60)}` is not understood: give at most one ref, first, "
                "then `key=value` options"
            )
    return RunArguments(ref, options)
