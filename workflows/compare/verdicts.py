"""The verdict words, in one place: reports, the JSON contract, the bot and the pipeline's
`verdict` output all use these exact strings.

A verdict must never look better than the evidence. `unchanged` means the run could have seen a
change of the threshold's size and saw none; when it could not (too noisy, too few rounds, a
first look that the confirmation did not repeat, base and head on different machines), the
benchmark is `inconclusive` and its `Open` reason says why. The suite is `inconclusive` when any
benchmark's question is open and nothing regressed: an open question is not a pass.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    REGRESSED = "regressed"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    INCONCLUSIVE = "inconclusive"  # the run could not answer; `Open` says why
    ADDED = "added"  # only in head
    REMOVED = "removed"  # only in base

    @property
    def is_change(self) -> bool:
        return self in (Verdict.REGRESSED, Verdict.IMPROVED)


class Open(StrEnum):
    """Why an `inconclusive` benchmark could not be judged: each is named in every report, so
    nobody reads "too noisy" or "unconfirmed" as "unchanged"."""

    TOO_NOISY = "too noisy"  # the run could only have seen a change above the threshold
    TOO_FEW_ROUNDS = "too few rounds"  # fewer paired rounds than a test needs
    TOO_FEW_SAMPLES = "too few samples"  # fewer samples a side than a test needs
    UNCONFIRMED = "unconfirmed"  # flagged once, not repeated by the confirmation run
    NOT_COMPARABLE = "not comparable"  # base and head ran on different machines
    NO_TEST = "no test"  # the inputs allow no test (no spread published, values <= 0 ...)
    MIXED = "tail against centre"  # slow tail grew while the centre moved the better way


class Finding(StrEnum):
    """What decided a regressed or improved verdict: the centre of the distribution (the
    usual case), or a slow tail that grew while the centre did not move the other way."""

    CENTRE = "centre"
    SLOW_TAIL = "slow tail grew"


def overall(verdicts: list[Verdict]) -> Verdict:
    """`regressed` if anything regressed; else `inconclusive` if any question is open (an
    improvement beside an open question is not a clean result); else `improved` if anything
    improved; else `unchanged`. Benchmarks that appeared or disappeared do not move it."""
    for verdict in (Verdict.REGRESSED, Verdict.INCONCLUSIVE, Verdict.IMPROVED):
        if verdict in verdicts:
            return verdict
    return Verdict.UNCHANGED
