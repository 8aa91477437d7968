"""Fixtures of the real-Horreum tests: one Horreum per session, the bot under gunicorn beside it.

Tests marked `horreum` need Horreum's source beside the project (`../shared/horreum/server`),
a JDK and Maven; `make horreum-e2e` runs them, `make test` leaves them out. Without the
source, the session prints one line saying they were not run and why, and passes, unless
`PERFBOT_REQUIRE_HORREUM=1` (CI), where that is a failure.

The session records its figures (harness times, upload times, the time from an upload to the
check run) and prints them at the end, one line each: `horreum figure: ...`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.bot.test_gunicorn import app_against_stand_ins, gunicorn, wait_until_healthy
from tests.horreum.conftest import ACTION_TOKEN, SECRET, TEST, horreum_config
from tests.horreum_real import build, stack
from tests.standins.github_server import GitHubStandIn

REQUIRE_ENV = "PERFBOT_REQUIRE_HORREUM"
FIGURES: dict[str, str] = {}
NOT_RUN: list[str] = []


def not_run_reason() -> str | None:
    """Why the real-Horreum tests cannot run here; None when they can."""
    if build.source_archive() is None:
        return f"no horreum-*.tar.xz in {build.source_dir()} (Horreum's source, ../shared)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [item for item in items if item.get_closest_marker("horreum")]
    reason = not_run_reason() if ours else None
    if reason is None or os.environ.get(REQUIRE_ENV) == "1":
        return
    NOT_RUN.append(reason)
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=f"real-Horreum tests not run: {reason}"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if NOT_RUN:
        terminalreporter.write_line(f"real-Horreum tests not run: {NOT_RUN[0]}")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"horreum figure: {name}: {value}")


def figure(name: str, value: str) -> None:
    FIGURES[name] = value


@pytest.fixture(scope="session")
def horreum_real() -> Iterator[stack.Running]:
    reason = not_run_reason()
    if reason is not None:  # only with PERFBOT_REQUIRE_HORREUM=1: the others were skipped
        pytest.fail(f"{REQUIRE_ENV}=1 but the real-Horreum tests cannot run: {reason}")
    started = time.monotonic()
    warm = (build.home() / "deps").is_dir() and any(build.home().glob("app-*/quarkus-app"))
    try:
        built = build.build_all()
    except build.BuildFailed as exc:
        pytest.fail(str(exc))
    built_at = time.monotonic()
    try:
        running = stack.up(built)
    except stack.StackError as exc:
        pytest.fail(str(exc))
    kind = "warm" if warm else "cold (Horreum built)"
    figure(
        f"harness {kind}",
        f"build/check {built_at - started:.0f} s + start {time.monotonic() - built_at:.0f} s "
        f"(Horreum started at try {running.tries})",
    )
    try:
        yield running
    finally:
        stack.down()


class Admin:
    """Horreum's REST API as its administrator (HTTP Basic) or as user perfbot (API key)."""

    def __init__(self, running: stack.Running) -> None:
        self.url = running.url
        self.admin = requests.Session()
        self.admin.auth = running.admin
        self.user = requests.Session()
        self.user.headers["X-Horreum-API-Key"] = running.api_key

    def call(self, method: str, path: str, *, as_admin: bool = False, **kwargs: Any) -> Any:
        session = self.admin if as_admin else self.user
        response = session.request(method, self.url + path, timeout=60, **kwargs)
        assert response.status_code < 400, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text


@pytest.fixture(scope="session")
def horreum_api(horreum_real: stack.Running) -> Admin:
    return Admin(horreum_real)


@dataclass
class Recorder:
    """A loopback HTTP server that keeps what Horreum's `http` actions post to it."""

    url: str = ""
    received: list[tuple[str, Any]] = field(default_factory=list)  # (path with query, body)

    def of(self, path: str) -> list[Any]:
        return [body for where, body in self.received if where.startswith(path)]


@pytest.fixture(scope="session")
def recorder() -> Iterator[Recorder]:
    kept = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                kept.received.append((self.path, json.loads(body)))
            except ValueError:
                kept.received.append((self.path, body.decode(errors="replace")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kept.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield kept
    finally:
        server.shutdown()


@dataclass
class Bot:
    url: str
    github: GitHubStandIn
    argo: Any
    log: Path

    def action_url(self) -> str:
        return f"{self.url}/horreum?token={ACTION_TOKEN}"


@pytest.fixture(scope="session")
def real_bot(
    horreum_real: stack.Running, tmp_path_factory: pytest.TempPathFactory, project_root: Path
) -> Iterator[Bot]:
    """The bot under gunicorn with the GitHub and Argo stand-ins, storing runs in the real
    Horreum with user perfbot's key (mounted as a Secret would be)."""
    work = tmp_path_factory.mktemp("bot")
    secrets = work / "horreum-secrets"
    (secrets / SECRET).mkdir(parents=True)
    (secrets / SECRET / "api-key").write_text(horreum_real.api_key)
    config = horreum_config(work, horreum_real.url)
    with app_against_stand_ins(work, config) as (env, github, argo):
        env.update({
            "PERFBOT_HORREUM_SECRETS_DIR": str(secrets),
            "PERFBOT_HORREUM_ACTION_TOKEN": ACTION_TOKEN,
            "PERFBOT_HORREUM_RETRY_DELAYS": "0.5,1",
            "PERFBOT_HORREUM_TIMEOUT": "30",
        })  # fmt: skip
        log_path = work / "gunicorn.log"
        with log_path.open("w") as log:
            process = gunicorn(project_root, env, log)
            url = f"http://127.0.0.1:{env['PORT']}"
            try:
                wait_until_healthy(url, process)
                yield Bot(url, github, argo, log_path)
            finally:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass
class HorreumTest:
    id: int
    name: str
    schema_id: int


@pytest.fixture(scope="session")
def perf_test(horreum_api: Admin, horreum_real: stack.Running) -> HorreumTest:
    """Test `perf-hello` of team perf-team, as an operator sets it up (docs/horreum.md): the
    fingerprint labels that keep PR and branch runs apart, and perfbot's schema, imported with
    `perfbot upload --import-schema`."""
    test = horreum_api.call("POST", "/api/test", json={
        "name": TEST, "owner": stack.TEAM, "access": "PUBLIC",
        "fingerprintLabels": ["perfbot.repository", "perfbot.job", "perfbot.kind"],
        "fingerprintFilter": None, "notificationsEnabled": True,
    })  # fmt: skip
    answer = perfbot("upload", "--import-schema", "--url", horreum_real.url,
                     "--owner", stack.TEAM, key=horreum_real.api_key)  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    schema_id = int(answer.stdout.strip().rsplit(" ", 1)[1])
    return HorreumTest(id=int(test["id"]), name=TEST, schema_id=schema_id)


def perfbot(*args: str, key: str) -> subprocess.CompletedProcess[str]:
    """The `perfbot` command of this environment, with the API key in HORREUM_API_KEY."""
    import sys

    script = Path(sys.executable).with_name("perfbot")
    env = {**os.environ, "HORREUM_API_KEY": key}
    return subprocess.run([str(script), *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)  # fmt: skip


def wait_until(what: str, probe: Any, timeout: float = 120.0, every: float = 0.5) -> Any:
    """Poll `probe()` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s")
        time.sleep(every)


def label_values(api: Admin, run_id: int) -> dict[str, Any]:
    """The labels Horreum computed for the run's dataset; empty until it has."""
    found = api.call("GET", f"/api/run/{run_id}/labelValues")
    rows = found if isinstance(found, list) else []
    return rows[0].get("values") or {} if rows else {}


def computed(api: Admin, run_id: int, timeout: float = 120.0) -> dict[str, Any]:
    return wait_until(
        f"label values of run {run_id}",
        lambda: (v := label_values(api, run_id)) and "perfbot.repository" in v and v,
        timeout,
    )
