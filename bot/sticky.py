"""One comment per pull request and job that the bot keeps editing, never duplicates.

The comment carries a hidden marker naming the job; the bot finds it again among its own
comments (someone else quoting the marker must not make the bot try to edit their comment).
A rerun replaces the previous report, so the PR shows the latest result in one place.
"""

from __future__ import annotations

from bot.github_api import RepoGitHub

MARKER = "<!-- perfbot:job={job} -->"


def marker(job: str) -> str:
    return MARKER.format(job=job)


def upsert(github: RepoGitHub, number: int, job: str, body: str, *, author: str) -> str:
    """Create or edit the job's sticky comment; returns "created" or "edited"."""
    text = f"{marker(job)}\n{body}"
    existing = github.find_comment(number, marker(job), author)
    if existing is None:
        github.comment(number, text)
        return "created"
    github.edit_comment(number, existing, text)
    return "edited"
