"""The five verdict words, in one place: reports, the JSON contract, the bot and the pipeline's
`verdict` output all use these exact strings."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    REGRESSED = "regressed"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    ADDED = "added"  # only in head
    REMOVED = "removed"  # only in base

    @property
    def is_change(self) -> bool:
        return self in (Verdict.REGRESSED, Verdict.IMPROVED)


def overall(verdicts: list[Verdict]) -> Verdict:
    """`regressed` if anything regressed, else `improved` if anything improved, else
    `unchanged`; benchmarks that appeared or disappeared do not move the overall verdict."""
    if Verdict.REGRESSED in verdicts:
        return Verdict.REGRESSED
    if Verdict.IMPROVED in verdicts:
        return Verdict.IMPROVED
    return Verdict.UNCHANGED
