"""A recording fake of `bot.github.api`, for unit tests that need no HTTP at all.

It keeps just enough state to answer like GitHub (permissions, pull requests, refs, comments,
check runs) and records every call as `(method, arguments)`, so tests assert on what the bot
did, in order. Integration tests use the HTTP stand-in and PyGithub instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.github.api import CheckRun, GitHubError, PullRequest


@dataclass
class FakeRepo:
    full_name: str
    roles: dict[str, str] = field(default_factory=dict)
    pulls: dict[int, PullRequest] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    latest_release: str | None = None
    tags: list[str] = field(default_factory=list)
    # comment id -> (pull request, author, body)
    comments: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    labelled_by: dict[tuple[int, str], str] = field(default_factory=dict)  # (pr, label) -> login
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    login: str = "perfbot-test[bot]"
    fail_with: str | None = None  # every call raises GitHubError(fail_with) when set

    def _record(self, method: str, **arguments: Any) -> None:
        self.calls.append((method, arguments))
        if self.fail_with is not None:
            raise GitHubError(self.fail_with)

    def replies(self) -> list[str]:
        return [args["body"] for method, args in self.calls if method == "comment"]

    def permission(self, login: str) -> str:
        self._record("permission", login=login)
        legacy = {"maintain": "write", "triage": "read"}
        role = self.roles.get(login, "read")
        return legacy.get(role, role)

    def pull_request(self, number: int) -> PullRequest:
        self._record("pull_request", number=number)
        return self.pulls[number]

    def resolve_ref(self, ref: str) -> str | None:
        self._record("resolve_ref", ref=ref)
        return self.refs.get(ref)

    def latest_release_tag(self) -> str | None:
        self._record("latest_release_tag")
        return self.latest_release

    def tag_names(self) -> list[str]:
        self._record("tag_names")
        return list(self.tags)

    def label_added_by(self, number: int, label: str) -> str | None:
        self._record("label_added_by", number=number, label=label)
        return self.labelled_by.get((number, label))

    def react(self, number: int, comment_id: int, content: str) -> None:
        self._record("react", number=number, comment_id=comment_id, content=content)

    def comment(self, number: int, body: str) -> None:
        self._record("comment", number=number, body=body)
        self.comments[1000 + len(self.comments)] = (number, self.login, body)

    def find_comment(self, number: int, marker: str, author: str) -> int | None:
        self._record("find_comment", number=number, marker=marker, author=author)
        for comment_id, (pr, login, body) in self.comments.items():
            if pr == number and login == author and marker in body:
                return comment_id
        return None

    def edit_comment(self, number: int, comment_id: int, body: str) -> None:
        self._record("edit_comment", number=number, comment_id=comment_id, body=body)
        pr, login, _ = self.comments[comment_id]
        self.comments[comment_id] = (pr, login, body)

    def comment_body(self, number: int, comment_id: int) -> str:
        self._record("comment_body", number=number, comment_id=comment_id)
        return self.comments[comment_id][2]

    def create_check_run(
        self, *, name: str, head_sha: str, details_url: str | None, external_id: str, summary: str
    ) -> int:
        self._record(
            "create_check_run",
            name=name,
            head_sha=head_sha,
            details_url=details_url,
            external_id=external_id,
            summary=summary,
        )
        check_id = 500 + len(self.check_runs)
        self.check_runs[check_id] = {
            "name": name,
            "head_sha": head_sha,
            "external_id": external_id,
            "status": "in_progress",
        }
        return check_id

    def find_check_run(self, *, head_sha: str, name: str, external_id: str) -> CheckRun | None:
        self._record("find_check_run", head_sha=head_sha, name=name, external_id=external_id)
        for check_id, run in self.check_runs.items():
            if (run["head_sha"], run["name"], run["external_id"]) == (head_sha, name, external_id):
                return CheckRun(check_id, run["status"])
        return None

    def update_check_run(self, check_run_id: int, *, title: str, summary: str) -> None:
        self._record("update_check_run", check_run_id=check_run_id, title=title, summary=summary)
        self.check_runs[check_run_id].update(title=title, summary=summary)

    def complete_check_run(
        self,
        check_run_id: int,
        *,
        conclusion: str,
        title: str,
        summary: str,
        details_url: str | None,
    ) -> None:
        self._record(
            "complete_check_run",
            check_run_id=check_run_id,
            conclusion=conclusion,
            title=title,
            summary=summary,
            details_url=details_url,
        )
        self.check_runs[check_run_id].update(status="completed", conclusion=conclusion)


@dataclass
class FakeGitHub:
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    login: str = "perfbot-test[bot]"
    asked: list[tuple[str, int | None]] = field(default_factory=list)

    def add(self, full_name: str, **state: Any) -> FakeRepo:
        self.repos[full_name] = FakeRepo(full_name, login=self.login, **state)
        return self.repos[full_name]

    def repo(self, full_name: str, installation_id: int | None = None) -> FakeRepo:
        self.asked.append((full_name, installation_id))
        return self.repos[full_name]

    def own_login(self) -> str:
        return self.login
