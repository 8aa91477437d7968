"""The bot as production runs it: gunicorn with the committed config, in a subprocess."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
import requests

from bot.shared.settings import MAX_BODY_BYTES
from tests.bot.constants import ARGO_TOKEN, CALLBACK_SECRET, PUBLIC_URL, TEMPLATES, WEBHOOK_SECRET
from tests.bot.payloads import (
    DEFAULT_BRANCH,
    INSTALLATION_ID,
    LABELLED_PR,
    REPO,
    TAG_DELETED,
    default_branch_push,
    delivery_headers,
    encode,
    labeled,
    pr_comment,
    published,
)
from tests.bot.stack import APP_ID, app_key, seed
from tests.standins.argo_server import ArgoStandIn
from tests.standins.github_server import GitHubStandIn

pytestmark = pytest.mark.slow
START_TIMEOUT = 30.0
OVER_THE_CAP = 5 * 1024 * 1024  # unsigned bytes after the signed first 25 MiB


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(
    project_root: Path, env: dict[str, str], log: IO[str] | None = None
) -> subprocess.Popen[str]:
    """The bot under gunicorn; its output to `log` when given (a long-lived server whose pipe
    nobody reads would block once the pipe is full), else to a pipe read when it fails."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:bot.server.gunicorn_conf",
            "bot.server.wsgi:app",
        ],
        cwd=project_root,
        env=env,
        stdout=log if log is not None else subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def base_env(tmp_path: Path, config_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {
        **keep,
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PERFBOT_CALLBACK_SECRET": CALLBACK_SECRET,
        "PERFBOT_PUBLIC_URL": PUBLIC_URL,
        "PERFBOT_CONFIG": str(config_path),
    }


@contextlib.contextmanager
def app_against_stand_ins(
    tmp_path: Path, config_path: Path
) -> Iterator[tuple[dict[str, str], GitHubStandIn, ArgoStandIn]]:
    """Stand-in GitHub (as an App) and Argo servers, and the environment gunicorn needs for them."""
    private, public = app_key()
    key_file = tmp_path / "app.pem"
    key_file.write_text(private)
    (tmp_path / "metrics").mkdir()
    with (
        GitHubStandIn(app_id=APP_ID, app_public_key=public) as github,
        ArgoStandIn(token=ARGO_TOKEN, templates=TEMPLATES) as argo,
    ):
        seed(github.repo(REPO, installation_id=INSTALLATION_ID))
        env = {
            **base_env(tmp_path, config_path),
            "GITHUB_API_URL": github.api_url,
            "GITHUB_APP_ID": str(APP_ID),
            "GITHUB_APP_PRIVATE_KEY_PATH": str(key_file),
            "ARGO_SERVER": argo.url,
            "ARGO_TOKEN": ARGO_TOKEN,
            "ARGO_NAMESPACE": argo.namespace,
        }
        yield env, github, argo


@pytest.fixture
def served(
    tmp_path: Path, project_root: Path, config_path: Path
) -> Iterator[tuple[str, GitHubStandIn, ArgoStandIn]]:
    with app_against_stand_ins(tmp_path, config_path) as (env, github, argo):
        process = gunicorn(project_root, env)
        url = f"http://127.0.0.1:{env['PORT']}"
        try:
            wait_until_healthy(url, process)
            yield url, github, argo
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_healthy(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else "(in its log file)"
            pytest.fail(f"gunicorn exited with {process.returncode}:\n{output}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy booting
            pass
        time.sleep(0.1)
    pytest.fail("gunicorn did not become healthy in time")


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the condition did not become true in time")
        time.sleep(0.02)


def post(url: str, payload: dict, event: str) -> requests.Response:
    body = encode(payload)
    return requests.post(
        f"{url}/webhook",
        data=body,
        headers=delivery_headers(body, WEBHOOK_SECRET, event),
        timeout=10,
    )


def test_under_gunicorn_a_signed_ping_and_a_command_are_served(served, contracts_dir: Path) -> None:
    url, github, argo = served

    ping = post(url, published(contracts_dir, "ping.json"), "ping")
    command = post(url, pr_comment(contracts_dir, "/run-perf main"), "issue_comment")

    assert (ping.status_code, ping.json()["outcome"]) == (200, "pong")
    assert (command.status_code, command.json()["outcome"]) == (200, "submitted")
    assert len(argo.workflows) == 1  # held by Argo before the answer
    wait_for(lambda: len(github.writes()) >= 3)  # acknowledged after it
    assert [r.path for r in github.writes()] == [
        f"/repos/{REPO}/issues/comments/492700400/reactions",
        f"/repos/{REPO}/check-runs",
        f"/repos/{REPO}/issues/1/comments",
    ]
    metrics = requests.get(f"{url}/metrics", timeout=5).text
    assert 'perfbot_webhook_deliveries_total{event="ping",outcome="pong"} 1.0' in metrics
    assert 'perfbot_submissions_total{job="api",outcome="submitted"} 1.0' in metrics


def test_gunicorn_refuses_to_start_without_the_webhook_secret(
    tmp_path: Path, project_root: Path, config_path: Path
) -> None:
    env = base_env(tmp_path, config_path)
    del env["GITHUB_WEBHOOK_SECRET"]
    process = gunicorn(project_root, env)
    output, _ = process.communicate(timeout=START_TIMEOUT)
    assert process.returncode != 0
    assert "perfbot: cannot start: GITHUB_WEBHOOK_SECRET is not set" in output
    assert "Traceback" not in output


def _prefix_signed_ping(contracts_dir: Path) -> tuple[bytes, dict[str, str]]:
    """A ping whose first MAX_BODY_BYTES are valid JSON and signed, followed by unsigned bytes:
    a server that cut the body at the cap would check the signature on the prefix and answer."""
    signed = encode(published(contracts_dir, "ping.json"))
    signed += b" " * (MAX_BODY_BYTES - len(signed))
    headers = delivery_headers(signed, WEBHOOK_SECRET, "ping")
    return signed + b" " * OVER_THE_CAP, headers


def _chunks(body: bytes, size: int = 1 << 20) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize("endpoint", ["/webhook", "/callback"])
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_under_gunicorn_a_body_over_the_cap_is_refused_with_413_however_it_is_framed(
    served, contracts_dir: Path, framing: str, endpoint: str
) -> None:
    url, _, _ = served
    body, headers = _prefix_signed_ping(contracts_dir)
    data: bytes | Iterator[bytes] = body if framing == "content-length" else _chunks(body)

    response = requests.post(f"{url}{endpoint}", data=data, headers=headers, timeout=30)

    assert response.status_code == 413
    assert "longer than" in response.json()["error"]
    metrics = requests.get(f"{url}/metrics", timeout=5).text
    assert 'outcome="pong"' not in metrics


def test_under_gunicorn_the_label_and_a_default_branch_push_start_runs(
    served, contracts_dir: Path
) -> None:
    url, github, argo = served
    github.repos[REPO].branches[DEFAULT_BRANCH] = "a" * 40

    label = post(url, labeled(contracts_dir, "perf"), "pull_request")
    push = post(url, default_branch_push(contracts_dir, before="1" * 40, after="2" * 40), "push")
    tag = post(url, published(contracts_dir, TAG_DELETED), "push")

    assert (label.status_code, label.json()["outcome"]) == (200, "submitted")
    assert (push.status_code, push.json()["outcome"]) == (200, "submitted")
    assert (tag.status_code, tag.json()["outcome"]) == (200, "not-a-branch")
    assert len(argo.workflows) == 2
    wait_for(lambda: len(github.writes()) >= 3)  # two check runs, the label's reply
    assert sorted(r.path for r in github.writes()) == [
        f"/repos/{REPO}/check-runs",
        f"/repos/{REPO}/check-runs",
        f"/repos/{REPO}/issues/{LABELLED_PR}/comments",
    ]
