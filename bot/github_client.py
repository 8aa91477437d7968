"""`bot.github_api` implemented with PyGithub, the only module that imports it.

Two ways to authenticate: a GitHub App (JWT from `GITHUB_APP_ID` + private key, then one
installation token per installation, refreshed by PyGithub) or a plain `GITHUB_TOKEN`. Every
client is lazy (no request until a value is needed), writes are not throttled (PyGithub waits
1 s between writes by default, which a webhook cannot afford) and retries are few and short:
idempotent calls are retried on 5xx (`bot.retry`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import requests
from github import Auth, Github, GithubException, GithubIntegration
from github.Repository import Repository

from bot.github_api import CheckRun, GitHubError, PullRequest
from bot.retry import bounded_retry
from bot.settings import BotSettings

PER_PAGE = 100
MAX_TAG_PAGES = 10  # `latest` without releases looks at the first 1000 tags at most
USER_AGENT = "perfbot"
GITHUB_RETRY_STATUSES = (500, 502, 503, 504)


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """PyGithub and transport failures become one GitHubError that names the call."""
    try:
        yield
    except GithubException as exc:
        message = exc.data.get("message") if isinstance(exc.data, dict) else exc.data
        raise GitHubError(f"GitHub answered {exc.status} to {what}: {message}") from exc
    except (requests.RequestException, OSError) as exc:
        raise GitHubError(f"cannot reach GitHub for {what}: {type(exc).__name__}") from exc


def _status(exc: GitHubError) -> int | None:
    cause = exc.__cause__
    return cause.status if isinstance(cause, GithubException) else None


class PyGithubRepo:
    """`RepoGitHub` for one repository."""

    def __init__(self, repo: Repository, full_name: str) -> None:
        self._repo = repo
        self.full_name = full_name

    def permission(self, login: str) -> str:
        try:
            with _translated(f"the permission of {login}"):
                return self._repo.get_collaborator_permission(login)
        except GitHubError as exc:
            if _status(exc) == 404:  # no such user
                return "none"
            raise

    def pull_request(self, number: int) -> PullRequest:
        with _translated(f"pull request #{number}"):
            pull = self._repo.get_pull(number)
            return PullRequest(number=number, head_sha=pull.head.sha, base_ref=pull.base.ref)

    def resolve_ref(self, ref: str) -> str | None:
        try:
            with _translated(f"the ref {ref}"):
                return self._repo.get_commit(ref).raw_data["sha"]
        except GitHubError as exc:
            if _status(exc) in (404, 422):  # GitHub says 422 "No commit found for SHA"
                return None
            raise

    def latest_release_tag(self) -> str | None:
        try:
            with _translated("the latest release"):
                return self._repo.get_latest_release().tag_name
        except GitHubError as exc:
            if _status(exc) == 404:
                return None
            raise

    def tag_names(self) -> list[str]:
        with _translated("the tags"):
            tags = self._repo.get_tags()
            names: list[str] = []
            for page in range(MAX_TAG_PAGES):
                batch = tags.get_page(page)
                names.extend(tag.name for tag in batch)
                if len(batch) < PER_PAGE:
                    break
            return names

    def react(self, number: int, comment_id: int, content: str) -> None:
        with _translated(f"a reaction on comment {comment_id}"):
            self._repo.get_issue(number).get_comment(comment_id).create_reaction(content)

    def comment(self, number: int, body: str) -> None:
        with _translated(f"a comment on #{number}"):
            self._repo.get_issue(number).create_comment(body)

    def find_comment(self, number: int, marker: str, author: str) -> int | None:
        with _translated(f"the comments of #{number}"):
            for item in self._repo.get_issue(number).get_comments():
                if item.user.login == author and marker in (item.body or ""):
                    return item.id
        return None

    def edit_comment(self, number: int, comment_id: int, body: str) -> None:
        with _translated(f"editing comment {comment_id}"):
            self._repo.get_issue(number).get_comment(comment_id).edit(body)

    def create_check_run(
        self, *, name: str, head_sha: str, details_url: str | None, external_id: str, summary: str
    ) -> int:
        extra: dict[str, Any] = {"details_url": details_url} if details_url else {}
        with _translated(f"creating check run {name}"):
            run = self._repo.create_check_run(
                name=name,
                head_sha=head_sha,
                external_id=external_id,
                status="in_progress",
                started_at=datetime.now(UTC),
                output={"title": "Running", "summary": summary},
                **extra,
            )
            return run.id

    def find_check_run(self, *, head_sha: str, name: str, external_id: str) -> CheckRun | None:
        with _translated(f"the check runs of {head_sha[:12]}"):
            for run in self._repo.get_commit(head_sha).get_check_runs(check_name=name):
                if run.external_id == external_id:
                    return CheckRun(id=run.id, status=run.status)
        return None

    def complete_check_run(
        self,
        check_run_id: int,
        *,
        conclusion: str,
        title: str,
        summary: str,
        details_url: str | None,
    ) -> None:
        extra: dict[str, Any] = {"details_url": details_url} if details_url else {}
        with _translated(f"completing check run {check_run_id}"):
            self._repo.get_check_run(check_run_id).edit(
                status="completed",
                conclusion=conclusion,
                completed_at=datetime.now(UTC),
                output={"title": title, "summary": summary[:65000]},
                **extra,
            )


class PyGithubClient:
    """`GitHub` over PyGithub; one lazily built client per App installation, kept for reuse."""

    def __init__(self, settings: BotSettings) -> None:
        self._settings = settings
        self._common: dict[str, Any] = {
            "base_url": settings.github_api_url,
            "timeout": settings.github_timeout,
            "retry": bounded_retry(settings.github_retries, settings, GITHUB_RETRY_STATUSES),
            "per_page": PER_PAGE,
            "user_agent": USER_AGENT,
            "seconds_between_requests": None,
            "seconds_between_writes": None,
            "lazy": True,
        }
        self._lock = threading.Lock()
        self._by_installation: dict[int, Github] = {}
        self._installation_of: dict[str, int] = {}
        self._login: str | None = settings.bot_login
        self._integration: GithubIntegration | None = None
        self._token_client: Github | None = None
        if settings.uses_app_auth:
            auth = Auth.AppAuth(int(settings.github_app_id or 0), settings.github_private_key or "")
            self._integration = GithubIntegration(auth=auth, **self._common)
        else:
            self._token_client = Github(
                auth=Auth.Token(settings.github_token or ""), **self._common
            )

    def repo(self, full_name: str, installation_id: int | None = None) -> PyGithubRepo:
        client = self._client_for(full_name, installation_id)
        return PyGithubRepo(client.get_repo(full_name), full_name)

    def own_login(self) -> str:
        if self._login is None:
            login = self._ask_login()
            with self._lock:
                self._login = login
        return self._login

    def _ask_login(self) -> str:
        with _translated("who this bot is"):
            if self._integration is not None:
                return f"{self._integration.get_app().slug}[bot]"
            assert self._token_client is not None
            return self._token_client.get_user().login

    def _client_for(self, full_name: str, installation_id: int | None) -> Github:
        if self._integration is None:
            assert self._token_client is not None
            return self._token_client
        if installation_id is None:
            installation_id = self._cached(
                self._installation_of, full_name, lambda: self._lookup_installation(full_name)
            )
        integration = self._integration
        return self._cached(
            self._by_installation,
            installation_id,
            lambda: integration.get_github_for_installation(installation_id),
        )

    def _lookup_installation(self, full_name: str) -> int:
        owner, _, name = full_name.partition("/")
        assert self._integration is not None
        with _translated(f"the App installation on {full_name}"):
            return self._integration.get_repo_installation(owner, name).id

    def _cached(self, cache: dict[Any, Any], key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in cache:
                return cache[key]
        value = make()  # outside the lock: it may make a request
        with self._lock:
            return cache.setdefault(key, value)
