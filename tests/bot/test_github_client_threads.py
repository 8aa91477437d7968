"""The PyGithub client under the bot's threads: concurrent calls never get crossed.

A PyGithub `Requester` parks a pending request's method and URL on a connection object its
threads share, so one client used by several threads at once can send a POST to a GET's URL
(seen under `bench/bot_load.py` as a 405 from the permission endpoint). The bot gives every
thread its own client and shares the installation's token.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.github_client import PyGithubClient
from bot.settings import BotSettings
from tests.bot.payloads import AUTHOR, INSTALLATION_ID, PR_NUMBER, REPO
from tests.bot.stack import APP_ID, app_key, seed
from tests.standins.github_server import GitHubStandIn

CALLS = 400


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
