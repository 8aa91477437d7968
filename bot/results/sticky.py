"""One comment per pull request and job that the bot keeps editing, never duplicates.

The comment carries a hidden marker naming the job; the bot finds it again among its own
comments (someone else quoting the marker must not make the bot try to edit their comment).
A rerun replaces the previous report, so the PR shows the latest result in one place.

A report written for a run also carries a second marker, the run's stamp: its workflow, when
Argo created it, and which callback wrote it. Callbacks arrive late, twice, or out of order (a
sender that timed out and retried, an old signed body sent again), so before editing, the
comment's stamp is compared with the callback's run (`decide`): an older run never replaces a
newer run's report, a run's failure never replaces its own result, and the same callback twice
edits once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.github.api import RepoGitHub
from bot.results.run_binding import BoundRun

MARKER = "<!-- perfbot:job={job} -->"
STAMP = "<!-- perfbot:run={workflow} created={created} kind={kind} -->"
_STAMP = re.compile(r"<!-- perfbot:run=(\S+) created=(\S*) kind=(\w+) -->")

WRITE, DUPLICATE, OLDER, RESULT_KEPT = "write", "duplicate", "older", "result-kept"


def marker(job: str) -> str:
    return MARKER.format(job=job)


@dataclass(frozen=True)
class Upsert:
    """What `upsert` did: "created", "edited", or why it left the comment alone."""

    done: str

    @property
    def written(self) -> bool:
        return self.done in ("created", "edited")


def stamp_of(body: str) -> BoundRun | None:
    """The stamp at the top of a report comment (the first one: a report below it cannot
    fake it, `bot.github.markdown.defanged` turns a report's `<!--` into text)."""
    found = _STAMP.search(body)
    return BoundRun(found[1], found[2], found[3]) if found else None


def decide(shown: BoundRun | None, arriving: BoundRun) -> str:
    """Whether `arriving`'s report may replace the one `shown` (WRITE), or why not."""
    if shown is None:
        return WRITE
    if shown.workflow == arriving.workflow:
        if shown.kind == arriving.kind:
            return DUPLICATE
        return RESULT_KEPT if shown.kind == "result" else WRITE
    if shown.created > arriving.created:  # a tie (same second): the later callback wins
        return OLDER
    return WRITE


def upsert(
    github: RepoGitHub,
    number: int,
    job: str,
    body: str,
    *,
    author: str,
    run: BoundRun | None = None,
    create: bool = True,
) -> Upsert:
    """Create (unless not `create`) or edit the job's sticky comment (stamped with `run` when
    given, and then only if `decide` allows)."""
    head = marker(job) if run is None else f"{marker(job)}\n{STAMP.format(**vars(run))}"
    text = f"{head}\n{body}"
    existing = github.find_comment(number, marker(job), author)
    if existing is None:
        if not create:
            return Upsert("absent")
        github.comment(number, text)
        return Upsert("created")
    if run is not None:
        verdict = decide(stamp_of(github.comment_body(number, existing)), run)
        if verdict != WRITE:
            return Upsert(verdict)
    github.edit_comment(number, existing, text)
    return Upsert("edited")
