"""A gunicorn worker that is told to stop first posts the acknowledgements it still holds."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.payloads import REPO, pr_comment
from tests.bot.test_gunicorn import app_against_stand_ins, gunicorn, post, wait_until_healthy
from tests.standins.github_server import GitHubStandIn

pytestmark = pytest.mark.slow
CONFIG = Path(__file__).resolve().parents[1] / "bot" / "perfbot.test.yaml"


@pytest.fixture
def served(
    tmp_path: Path, project_root: Path
) -> Iterator[tuple[str, GitHubStandIn, subprocess.Popen[str]]]:
    with app_against_stand_ins(tmp_path, CONFIG) as (env, github, _argo):
        process = gunicorn(project_root, {**env, "WEB_CONCURRENCY": "1"})
        try:
            wait_until_healthy(f"http://127.0.0.1:{env['PORT']}", process)
            yield f"http://127.0.0.1:{env['PORT']}", github, process
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()


def test_a_stopping_worker_finishes_its_queued_acknowledgements(
    served, contracts_dir: Path
) -> None:
    url, github, process = served
    github.latency = 0.3  # the acknowledgements take about a second after the answer

    answer = post(url, pr_comment(contracts_dir, "/run-perf main"), "issue_comment")
    process.send_signal(signal.SIGTERM)
    stopped_at = time.monotonic()
    process.wait(timeout=15)

    assert answer.json()["outcome"] == "submitted"
    assert [r.path for r in github.writes()] == [
        f"/repos/{REPO}/issues/comments/492700400/reactions",
        f"/repos/{REPO}/check-runs",
        f"/repos/{REPO}/issues/1/comments",
    ]
    assert time.monotonic() - stopped_at < 10  # within gunicorn's graceful timeout
