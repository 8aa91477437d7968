"""The narrow slice of GitHub the bot uses, as a Protocol.

Handlers talk to this interface, never to PyGithub, so that unit tests use a recording fake
and the only module that knows PyGithub is `bot.outbound.github_client`. Each method is one REST
call (two for `find_comment`/`find_check_run` when they page), which keeps the cost of a
delivery countable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class GitHubError(Exception):
    """GitHub refused or failed a call after the bounded retries; the message says which."""


@dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str
    base_ref: str
    from_fork: bool = False  # the head lives in another repository (or a deleted one)
    head_ref: str = ""  # the head's branch, as the report shows what was compared
    # the head repository's last push, epoch s (`bot.delivery.freshness`)
    pushed_at: int | None = None


@dataclass(frozen=True)
class CheckRun:
    id: int
    status: str  # queued, in_progress, completed


class RepoGitHub(Protocol):
    """One repository, reached with the credentials that may act on it."""

    full_name: str

    def permission(self, login: str) -> str:
        """`admin`, `write`, `read` or `none` (GitHub's `permission`; maintain reads `write`)."""
        ...

    def pull_request(self, number: int) -> PullRequest: ...

    def resolve_ref(self, ref: str) -> str | None:
        """The commit SHA of a branch, tag or SHA; None when the repository has no such ref."""
        ...

    def latest_release_tag(self) -> str | None: ...

    def label_added_by(self, number: int, label: str) -> str | None:
        """Who added `label` to the PR most recently (its issue events); None if nobody did."""
        ...

    def tag_names(self) -> list[str]: ...

    def react(self, number: int, comment_id: int, content: str) -> None: ...

    def comment(self, number: int, body: str) -> None: ...

    def find_comment(self, number: int, marker: str, author: str) -> int | None:
        """Id of the first comment by `author` on the PR whose body contains `marker`."""
        ...

    def edit_comment(self, number: int, comment_id: int, body: str) -> None: ...

    def comment_body(self, number: int, comment_id: int) -> str: ...

    def create_check_run(
        self, *, name: str, head_sha: str, details_url: str | None, external_id: str, summary: str
    ) -> int: ...

    def find_check_run(self, *, head_sha: str, name: str, external_id: str) -> CheckRun | None: ...

    def update_check_run(self, check_run_id: int, *, title: str, summary: str) -> None:
        """New output for a check run still in progress (where the run has come)."""
        ...

    def complete_check_run(
        self,
        check_run_id: int,
        *,
        conclusion: str,
        title: str,
        summary: str,
        details_url: str | None,
    ) -> None: ...


class GitHub(Protocol):
    def repo(self, full_name: str, installation_id: int | None = None) -> RepoGitHub:
        """`installation_id` from a webhook saves a lookup; callbacks pass None."""
        ...

    def own_login(self) -> str:
        """The login the bot comments as: `<app slug>[bot]`, or the token's user."""
        ...
