"""Which comments hold which command: table-driven, with the cases that must not trigger."""

from __future__ import annotations

import pytest

from bot.commands import find_command

FOUND = [
    # (comment body, command, words)
    ("/run-perf", "/run-perf", []),
    ("/run-perf main", "/run-perf", ["main"]),
    ("/run-perf v1.2.0 rounds=20", "/run-perf", ["v1.2.0", "rounds=20"]),
    ("/run-perf   latest  ", "/run-perf", ["latest"]),
    ("Looks good.\r\n/run-perf main\r\nthanks", "/run-perf", ["main"]),
    ("   /run-perf main", "/run-perf", ["main"]),  # up to 3 spaces is still a paragraph
    ("/rerun-perf", "/rerun-perf", []),
    ("/rerun-perf main", "/rerun-perf", ["main"]),
    ("/perf-bot run cli", "/perf-bot run", ["cli"]),
    ("/perf-bot run api v1.2.0 rounds=5", "/perf-bot run", ["api", "v1.2.0", "rounds=5"]),
    ("/perf-bot run", "/perf-bot run", []),
    ("/perf-bot help", "/perf-bot help", []),
    ("/perf-bot", "/perf-bot help", []),
    ("/perf-bot cancel", "/perf-bot cancel", []),
    ("/perf-bot frobnicate", "/perf-bot (unknown)", ["frobnicate"]),
    ("/perf-bot cancel now", "/perf-bot (unknown)", ["cancel", "now"]),
    ("/perf-bot help me", "/perf-bot (unknown)", ["help", "me"]),
    ("/perf-bot help\n/run-perf", "/perf-bot help", []),  # the first command wins
    ("> /run-perf main\n\n/rerun-perf", "/rerun-perf", []),  # the quote is skipped, not the rest
    ("```\n/run-perf\n```\n/perf-bot cancel", "/perf-bot cancel", []),
]

NOT_FOUND = [
    ("", "empty"),
    ("LGTM", "no command"),
    ("please /run-perf main", "in the middle of a line"),
    ("`/run-perf main`", "inline code"),
    ("> /run-perf main", "quoted"),
    ("  > /run-perf main", "quoted with indent"),
    ("> > /run-perf", "nested quote"),
    ("> I'd like numbers\n/run-perf main", "a lazy continuation of a quote"),
    ("```\n/run-perf main\n```", "fenced code block"),
    ("~~~\n/run-perf\n~~~", "tilde fence"),
    ("```sh\n/run-perf\n", "unclosed fence runs to the end"),
    ("````\n```\n/run-perf\n````", "longer fence holds a shorter one"),
    ("    /run-perf main", "indented code block"),
    ("\t/run-perf main", "tab-indented code"),
    ("/run-perfx", "a longer word"),
    ("/run-perf-now", "a longer word with a dash"),
    ("/Run-Perf main", "different case"),
    ("/lgtm", "another bot's command"),
    ("/perf-botx", "a longer word than /perf-bot"),
    ("run-perf main", "no slash"),
]


@pytest.mark.parametrize(("body", "command", "words"), FOUND)
def test_a_command_line_is_found_with_its_words(body: str, command: str, words: list[str]) -> None:
    invocation = find_command(body)
    assert invocation is not None
    assert (invocation.command.name, invocation.words) == (command, words)


@pytest.mark.parametrize(("body", "why"), NOT_FOUND)
def test_text_that_is_not_a_command_line_is_not_a_command(body: str, why: str) -> None:
    assert find_command(body) is None, why
