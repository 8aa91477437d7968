"""Main-branch runs in commit order, from their base -> head links (`history.ordering`)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from workflows.history.ordering import in_commit_order


@dataclass(frozen=True)
class Run:
    base_sha: str
    head_sha: str


def heads(runs: list[Run]) -> str:
    return "".join(r.head_sha for r in runs)


# (runs in the order they were recorded as "base>head", the heads in the order expected)
CASES = [
    ("a>b b>c c>d", "bcd"),  # already in order
    ("b>c a>b c>d", "bcd"),  # the first push's workflow finished last
    ("c>d b>c a>b", "bcd"),  # recorded backwards
    ("a>b x>y b>c", "byc"),  # an unlinked run keeps its recorded place
    ("b>c a>b b>c", "bcc"),  # the same commit measured twice: both after its parent
    ("a>b b>a", "ba"),  # a cycle: recorded order, no hang
    ("", ""),
]


@pytest.mark.parametrize(("recorded", "expected"), CASES)
def test_runs_follow_the_run_whose_head_is_their_base(recorded: str, expected: str) -> None:
    runs = [Run(*pair.split(">")) for pair in recorded.split()]
    assert heads(in_commit_order(runs)) == expected
