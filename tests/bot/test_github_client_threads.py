"""The PyGithub client under the bot's threads: concurrent calls never get crossed.

A PyGithub `Requester` parks a pending request's method and URL on a connection object its
threads share, so one client used by several threads at once can send a POST to a GET's URL
(seen under `bench/bot_load.py` as a 405 from the permission endpoint). The bot gives every
thread its own client and shares the installation's token; a repository handle is passed
between threads (request thread, read pool, follow-ups), so it must resolve the calling
thread's client on every call rather than hold the one of the thread that built it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.outbound.github_client import PyGithubClient
from bot.shared.settings import BotSettings
from tests.bot.payloads import AUTHOR, INSTALLATION_ID, PR_NUMBER, REPO
from tests.bot.stack import APP_ID, app_key, seed
from tests.standins.github_server import GitHubStandIn

CALLS = 400
SHARED_CALLS = 600
PULLS = 8  # distinct pull requests, users and branches, so a crossed answer shows
POOL_FULL = "Connection pool is full"


@pytest.fixture
def github() -> Iterator[tuple[GitHubStandIn, PyGithubClient]]:
    _, public = app_key()
    with GitHubStandIn(app_id=APP_ID, app_public_key=public) as standin:
        seed(standin.repo(REPO, installation_id=INSTALLATION_ID))
        private, _ = app_key()
        settings = BotSettings(
            webhook_secret="unused",
            callback_secret="unused",
            public_url="http://perfbot.test",
            github_api_url=standin.api_url,
            github_app_id=str(APP_ID),
            github_private_key=private,
            github_retries=0,  # a crossed call must fail, not be retried into success
        )
        yield standin, PyGithubClient(settings)


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Switch threads as often as possible, so that a race has every chance to show."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_concurrent_reads_and_writes_from_many_threads_stay_what_they_were(
    github, busy_switching
) -> None:
    standin, client = github

    def call(number: int) -> object:
        repo = client.repo(REPO, INSTALLATION_ID)
        if number % 2:
            return repo.permission(AUTHOR)
        repo.comment(PR_NUMBER, f"comment {number}")
        return "commented"

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(call, range(CALLS)))

    assert results == ["commented", "admin"] * (CALLS // 2)
    assert len(standin.calls("POST", f"/repos/{REPO}/issues/{PR_NUMBER}/comments")) == CALLS // 2
    assert len(standin.calls("POST", f"/app/installations/{INSTALLATION_ID}/access_tokens")) == 1


@pytest.fixture
def distinct_answers(github) -> list[tuple[str, tuple[object, ...], object]]:
    """(method name, arguments, the answer only that request gets): PRs, users and branches
    whose answers all differ, so an answer given to the wrong request cannot pass."""
    standin, _ = github
    repo = standin.repos[REPO]
    cases = []
    for n in range(1, PULLS + 1):
        head = f"{n:x}" * 40
        repo.add_pull(100 + n, head_sha=head[:40], base_ref=f"base-{n}")
        repo.branches[f"branch-{n}"] = f"{n + 8:x}" * 40
        repo.roles[f"user-{n}"] = "write" if n % 2 else "read"
        cases.append(("pull_request", (100 + n,), (head[:40], f"base-{n}")))
        cases.append(("resolve_ref", (f"branch-{n}",), f"{n + 8:x}" * 40))
        cases.append(("permission", (f"user-{n}",), "write" if n % 2 else "read"))
    cases.append(("permission", ("nobody-here",), "read"))
    return cases


def _answer(result: object) -> object:
    head = getattr(result, "head_sha", None)
    return (head, result.base_ref) if head is not None else result  # type: ignore[attr-defined]


def test_one_repository_handle_shared_by_many_threads_gets_every_answer_right(
    github, distinct_answers, busy_switching, caplog
) -> None:
    _, client = github
    shared = client.repo(REPO, INSTALLATION_ID)  # built once, as a delivery's request thread does
    caplog.set_level(logging.WARNING, logger="urllib3.connectionpool")

    def call(index: int) -> tuple[object, object]:
        method, args, expected = distinct_answers[index % len(distinct_answers)]
        try:
            got = _answer(getattr(shared, method)(*args))
        except Exception as exc:  # a crossed call fails in many ways; each is a wrong answer
            got = f"{type(exc).__name__}: {exc}"
        return got, expected

    with ThreadPoolExecutor(16) as pool:
        pairs = list(pool.map(call, range(SHARED_CALLS)))

    wrong = [(got, expected) for got, expected in pairs if got != expected]
    assert wrong == []
    assert not [r for r in caplog.records if POOL_FULL in r.getMessage()]
