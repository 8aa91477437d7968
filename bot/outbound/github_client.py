"""`bot.github.api` implemented with PyGithub, the only module that imports it.

Two ways to authenticate: a GitHub App (JWT from `GITHUB_APP_ID` + private key, then one
installation token per installation, minted here and renewed before it expires) or a plain
`GITHUB_TOKEN`. Every client is lazy (no request until a value is needed), writes are not
throttled (PyGithub waits 1 s between writes by default, which a webhook cannot afford) and
retries are few, short and bounded by the deadline of the work they serve (`bot.outbound.retry`,
`bot.shared.deadline`): idempotent calls are retried on 5xx, any call on a rate limit whose wait
fits. PyGithub takes one whole-second timeout per client, so a call starts only while one whole
attempt still fits in the deadline.

One PyGithub client per thread: a PyGithub `Requester` is not safe to share between threads
making requests at the same time (it parks the pending request's method and URL on a connection
object all its threads use, so two concurrent calls can swap them: a POST sent to a GET's URL).
The bot's threads (request handlers, concurrent reads, follow-ups) each get their own client,
with the installation's token shared; the App's own client (the JWT one, which mints tokens) is
used under a lock. The rule is structural: a `PyGithubRepo` handle holds no PyGithub object,
only the way to find the calling thread's, so one handle may be used by the request thread,
the read pool and the follow-ups at the same time (a delivery does exactly that).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import requests
from github import Auth, Github, GithubException, GithubIntegration
from github.Repository import Repository

from bot.github.api import CheckRun, GitHubError, PullRequest
from bot.outbound.retry import RATE_LIMIT_STATUSES, bounded_retry
from bot.shared import deadline
from bot.shared.settings import BotSettings

PER_PAGE = 100
MAX_TAG_PAGES = 10  # `latest` without releases looks at the first 1000 tags at most
MAX_EVENT_PAGES = 10  # who added a label: the newest 1000 events of a pull request at most
USER_AGENT = "perfbot"
GITHUB_RETRY_STATUSES = (*sorted(RATE_LIMIT_STATUSES), 500, 502, 503, 504)
THREAD_POOL_SIZE = 2  # connections of one thread's client: it makes one request at a time
TOKEN_RENEWAL = timedelta(minutes=5)  # installation tokens last an hour; renew this early


@contextmanager
def _translated(what: str, timeout: float) -> Iterator[None]:
    """PyGithub and transport failures become one GitHubError that names the call; a call
    whose attempt might outlast the deadline is not started."""
    if not deadline.fits(timeout):
        raise GitHubError(f"no time left to ask GitHub for {what}")
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
    """`RepoGitHub` for one repository, safe to share between threads: `thread_repo` gives the
    PyGithub `Repository` of the calling thread's own client, looked up on every call."""

    def __init__(
        self, thread_repo: Callable[[], Repository], full_name: str, timeout: float
    ) -> None:
        self._thread_repo = thread_repo
        self.full_name = full_name
        self._timeout = timeout

    @property
    def _repo(self) -> Repository:
        return self._thread_repo()

    def _translated(self, what: str) -> AbstractContextManager[None]:
        return _translated(what, self._timeout)

    def permission(self, login: str) -> str:
        try:
            with self._translated(f"the permission of {login}"):
                return self._repo.get_collaborator_permission(login)
        except GitHubError as exc:
            if _status(exc) == 404:  # no such user
                return "none"
            raise

    def pull_request(self, number: int) -> PullRequest:
        with self._translated(f"pull request #{number}"):
            raw = self._repo.get_pull(number).raw_data
            head_repo = (raw["head"].get("repo") or {}).get("full_name")
            base_repo = (raw["base"].get("repo") or {}).get("full_name") or self.full_name
            return PullRequest(
                number=number,
                head_sha=raw["head"]["sha"],
                base_ref=raw["base"]["ref"],
                from_fork=head_repo is None or head_repo.lower() != base_repo.lower(),
                head_ref=str(raw["head"].get("ref") or ""),
                pushed_at=_pushed_at(raw["head"].get("repo")),
            )

    def label_added_by(self, number: int, label: str) -> str | None:
        """The actor of the newest `labeled` event of `label`. GitHub lists events oldest
        first, so the pages are read from the last one back (the count comes from the `last`
        link: one small request); None when the newest MAX_EVENT_PAGES pages hold none, rather
        than crediting an older labelling."""
        with self._translated(f"the events of #{number}"):
            events = self._repo.get_issue(number).get_events()
            pages = -(-events.totalCount // PER_PAGE)
            for page in range(pages - 1, max(pages - 1 - MAX_EVENT_PAGES, -1), -1):
                for event in reversed(events.get_page(page)):  # attributes: no refetch
                    if event.event == "labeled" and event.label and event.label.name == label:
                        return event.actor.login if event.actor else None
            return None

    def resolve_ref(self, ref: str) -> str | None:
        try:
            with self._translated(f"the ref {ref}"):
                return self._repo.get_commit(ref).raw_data["sha"]
        except GitHubError as exc:
            if _status(exc) in (404, 422):  # GitHub says 422 "No commit found for SHA"
                return None
            raise

    def latest_release_tag(self) -> str | None:
        try:
            with self._translated("the latest release"):
                return self._repo.get_latest_release().tag_name
        except GitHubError as exc:
            if _status(exc) == 404:
                return None
            raise

    def tag_names(self) -> list[str]:
        with self._translated("the tags"):
            tags = self._repo.get_tags()
            names: list[str] = []
            for page in range(MAX_TAG_PAGES):
                batch = tags.get_page(page)
                names.extend(tag.name for tag in batch)
                if len(batch) < PER_PAGE:
                    break
            return names

    def react(self, number: int, comment_id: int, content: str) -> None:
        with self._translated(f"a reaction on comment {comment_id}"):
            self._repo.get_issue(number).get_comment(comment_id).create_reaction(content)

    def comment(self, number: int, body: str) -> None:
        with self._translated(f"a comment on #{number}"):
            self._repo.get_issue(number).create_comment(body)

    def find_comment(self, number: int, marker: str, author: str) -> int | None:
        with self._translated(f"the comments of #{number}"):
            for item in self._repo.get_issue(number).get_comments():
                if item.user.login == author and marker in (item.body or ""):
                    return item.id
        return None

    def edit_comment(self, number: int, comment_id: int, body: str) -> None:
        with self._translated(f"editing comment {comment_id}"):
            self._repo.get_issue(number).get_comment(comment_id).edit(body)

    def comment_body(self, number: int, comment_id: int) -> str:
        with self._translated(f"reading comment {comment_id}"):
            return self._repo.get_issue(number).get_comment(comment_id).body or ""

    def create_check_run(
        self, *, name: str, head_sha: str, details_url: str | None, external_id: str, summary: str
    ) -> int:
        extra: dict[str, Any] = {"details_url": details_url} if details_url else {}
        with self._translated(f"creating check run {name}"):
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
        with self._translated(f"the check runs of {head_sha[:12]}"):
            for run in self._repo.get_commit(head_sha).get_check_runs(check_name=name):
                if run.external_id == external_id:
                    return CheckRun(id=run.id, status=run.status)
        return None

    def update_check_run(self, check_run_id: int, *, title: str, summary: str) -> None:
        with self._translated(f"updating check run {check_run_id}"):
            self._repo.get_check_run(check_run_id).edit(
                output={"title": title, "summary": summary[:65000]}
            )

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
        with self._translated(f"completing check run {check_run_id}"):
            self._repo.get_check_run(check_run_id).edit(
                status="completed",
                conclusion=conclusion,
                completed_at=datetime.now(UTC),
                output={"title": title, "summary": summary[:65000]},
                **extra,
            )


class PyGithubClient:
    """`GitHub` over PyGithub: one client per thread and installation, tokens shared."""

    def __init__(self, settings: BotSettings) -> None:
        self._settings = settings
        self._common: dict[str, Any] = {
            "base_url": settings.github_api_url,
            "timeout": settings.github_timeout,
            "retry": bounded_retry(
                settings.github_retries,
                settings,
                GITHUB_RETRY_STATUSES,
                reserve=settings.github_timeout,
            ),
            "pool_size": THREAD_POOL_SIZE,
            "per_page": PER_PAGE,
            "user_agent": USER_AGENT,
            "seconds_between_requests": None,
            "seconds_between_writes": None,
            "lazy": True,
        }
        # The App's client and the writes of the caches below. Every GitHub call reads the
        # caches, so reads take no lock: a dict lookup is atomic, and a call on the request
        # path must not wait behind another thread minting a token or asking GitHub who the
        # bot is (seen in a profile of `bench/bot_load.py`).
        self._lock = threading.Lock()
        self._login_lock = threading.Lock()
        self._tokens: dict[int, tuple[str, datetime]] = {}  # installation -> token, expiry
        self._installation_of: dict[str, int] = {}
        self._login: str | None = settings.bot_login
        self._local = threading.local()  # this thread's clients: {key: (token, Github)}
        self._integration: GithubIntegration | None = None
        if settings.uses_app_auth:
            auth = Auth.AppAuth(int(settings.github_app_id or 0), settings.github_private_key or "")
            self._integration = GithubIntegration(auth=auth, **self._common)

    def repo(self, full_name: str, installation_id: int | None = None) -> PyGithubRepo:
        installation = 0
        if self._integration is not None:
            installation = self._installation(full_name, installation_id)
        return PyGithubRepo(
            partial(self._thread_repo, installation, full_name),
            full_name,
            self._settings.github_timeout,
        )

    def _thread_repo(self, installation: int, full_name: str) -> Repository:
        """The calling thread's `Repository` (lazy: building it sends no request)."""
        if self._integration is None:
            client = self._thread_client(0, self._settings.github_token or "")
        else:
            client = self._thread_client(installation, self._installation_token(installation))
        repos: dict[tuple[int, str], Repository] = self._local.__dict__.setdefault("repos", {})
        key = (id(client), full_name)
        if key not in repos:
            repos[key] = client.get_repo(full_name)
        return repos[key]

    def own_login(self) -> str:
        """Asked once per process: the threads of a first burst wait for one answer instead
        of each asking in turn under the App's lock."""
        if self._login is None:
            with self._login_lock:
                if self._login is None:
                    self._login = self._ask_login()
        return self._login

    def _ask_login(self) -> str:
        timeout = self._settings.github_timeout
        if self._integration is None:
            client = self._thread_client(0, self._settings.github_token or "")
            with _translated("who this bot is", timeout):
                return client.get_user().login
        with self._lock, _translated("who this bot is", timeout):
            return f"{self._integration.get_app().slug}[bot]"

    def _installation(self, full_name: str, installation_id: int | None) -> int:
        if installation_id is not None:
            return installation_id
        assert self._integration is not None
        known = self._installation_of.get(full_name)
        if known is not None:
            return known
        with self._lock:
            if full_name not in self._installation_of:
                owner, _, name = full_name.partition("/")
                what = f"the App installation on {full_name}"
                with _translated(what, self._settings.github_timeout):
                    found = self._integration.get_repo_installation(owner, name).id
                self._installation_of[full_name] = found
            return self._installation_of[full_name]

    def _installation_token(self, installation: int) -> str:
        """The installation's token, minted once for every thread, renewed before it expires."""
        assert self._integration is not None
        cached = self._tokens.get(installation)
        if cached is not None and cached[1] - datetime.now(UTC) >= TOKEN_RENEWAL:
            return cached[0]
        with self._lock:
            cached = self._tokens.get(installation)
            if cached is None or cached[1] - datetime.now(UTC) < TOKEN_RENEWAL:
                what = f"a token for installation {installation}"
                with _translated(what, self._settings.github_timeout):
                    minted = self._integration.get_access_token(installation)
                    expires = minted.expires_at or datetime.now(UTC) + TOKEN_RENEWAL
                cached = self._tokens[installation] = (minted.token, _aware(expires))
            return cached[0]

    def _thread_client(self, key: int, token: str) -> Github:
        clients: dict[int, tuple[str, Github]] = self._local.__dict__.setdefault("clients", {})
        current = clients.get(key)
        if current is None or current[0] != token:  # first use here, or a renewed token
            if current is not None:
                current[1].close()
                self._local.__dict__.get("repos", {}).clear()  # bound to the closed client
            current = clients[key] = (token, Github(auth=Auth.Token(token), **self._common))
        return current[1]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _pushed_at(repo: Any) -> int | None:
    """The head repository's `pushed_at` as epoch seconds; None when absent or unreadable."""
    value = repo.get("pushed_at") if isinstance(repo, dict) else None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(_aware(moment).timestamp())
