"""What a bisection reports: one line per step, then the outcome, in words and as JSON.

The outcome never claims more than the steps showed: `found` and `several` name commits that
were the newer side of a regressed step; `inconclusive` and `budget` name the range the change
is still somewhere in, and what to do about it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workflows.bisect.search import Bisection
from workflows.untrusted import one_line

SCHEMA_VERSION = 1
SUBJECT_LIMIT = 72


def _commit(sha: str, subjects: Mapping[str, str]) -> str:
    subject = subjects.get(sha)
    return f"{sha[:10]} ({one_line(subject, SUBJECT_LIMIT)})" if subject else sha[:10]


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def headline(found: Bisection, subjects: Mapping[str, str], budget: int) -> str:
    """The outcome in one sentence."""
    culprits = ", ".join(_commit(sha, subjects) for sha in found.culprits)
    if found.outcome == "found":
        return f"found: {culprits} is the first commit with the change"
    if found.outcome == "several":
        return f"several commits: the change comes from {culprits}"
    if found.outcome == "none":
        return (
            "none: the regression did not come back between base and head (the run that "
            "flagged it may have met noise; run again before bisecting)"
        )
    where = f"between {_commit(found.good or '', subjects)} (without it) and " + _commit(
        found.bad or "", subjects
    )
    so_far = f"; found so far: {culprits}" if culprits else ""
    if found.outcome == "inconclusive":
        return (
            f"inconclusive: the last step could not be judged; the change is {where}{so_far} "
            "(more rounds may decide it: --rounds)"
        )
    return (
        f"not pinned within the job's {budget} steps: the change is {where}{so_far} "
        "(raise bisect.max_steps, or bisect that range)"
    )


def text(
    found: Bisection,
    *,
    subjects: Mapping[str, str],
    durations: Sequence[float],
    budget: int,
) -> str:
    lines = []
    for index, step in enumerate(found.steps, start=1):
        took = f", {_duration(durations[index - 1])}" if index <= len(durations) else ""
        detail = ", ".join(
            f"{one_line(name, 60)} {verdict}" for name, verdict in step.verdicts.items()
        )
        lines.append(
            f"step {index}: {step.older[:10]}..{step.newer[:10]} {step.verdict} ({detail}{took})"
        )
    lines.append(headline(found, subjects, budget))
    lines.append(f"{len(found.steps)} steps, {_duration(sum(durations))}")
    return "\n".join(lines) + "\n"


def as_json(
    found: Bisection,
    *,
    commits: Sequence[str],
    benchmarks: Sequence[str],
    durations: Sequence[float],
    budget: int,
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "outcome": found.outcome,
        "culprits": list(found.culprits),
        "good": found.good,
        "bad": found.bad,
        "commits": list(commits),
        "benchmarks": list(benchmarks),
        "budget": budget,
        "steps": [
            {
                "older": step.older,
                "newer": step.newer,
                "verdict": step.verdict,
                "verdicts": dict(step.verdicts),
                "seconds": durations[index] if index < len(durations) else None,
            }
            for index, step in enumerate(found.steps)
        ],
    }
