"""The dashboard in a real browser: the bot under gunicorn, runs stored through its callback,
pages loaded by headless Chromium, the charts' points counted where the browser laid them out,
and a screenshot of each page kept as an artifact (PERFBOT_TEST_ARTIFACTS, else
test-artifacts/ at the project's root).

Chromium is Debian's (`tests/browser/install-chromium.sh`, which `.ci/run` runs); without it
the test skips with that reason, except where PERFBOT_REQUIRE_BROWSER is set (`.ci/run`).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.constants import CALLBACK_SECRET
from tests.bot.test_gunicorn import app_against_stand_ins, gunicorn, wait_until_healthy
from tests.history.builders import comparison, payload
from tests.standins.argo_server import ArgoStandIn
from workflows.callback import CallbackPayload, send
from workflows.labels import run_labels

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_BROWSER = "no chromium on PATH: run tests/browser/install-chromium.sh (as root)"
MAIN_RUNS = 12
SEARCH = "GET /search"
RENDERED = re.compile(r'data-rendered-points="(\d+)"')


def chromium(*args: str) -> str:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    done = subprocess.run(
        [CHROMIUM, *flags, "--virtual-time-budget=3000", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def artifacts(project_root: Path) -> Path:
    where = Path(os.environ.get("PERFBOT_TEST_ARTIFACTS") or project_root / "test-artifacts")
    target = where / "dashboard"
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture
def dashboard(
    tmp_path: Path, project_root: Path, store_target: str
) -> Iterator[tuple[str, ArgoStandIn]]:
    if CHROMIUM is None:
        if os.environ.get("PERFBOT_REQUIRE_BROWSER"):
            pytest.fail(NO_BROWSER)
        pytest.skip(NO_BROWSER)
    config = project_root / "tests" / "bot" / "perfbot.test.yaml"
    with app_against_stand_ins(tmp_path, config) as (env, _github, argo):
        env = {**env, "PERFBOT_HISTORY_URL": store_target, "PERFBOT_DASHBOARD": "public"}
        process = gunicorn(project_root, env)
        url = f"http://127.0.0.1:{env['PORT']}"
        try:
            wait_until_healthy(url, process)
            yield url, argo
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def fill(url: str, argo: ArgoStandIn) -> None:
    """Main-branch pushes, then a pull request that slows GET /search, through /callback.
    Each run is one Argo knows (the bot accepts a callback only from a run it submitted)."""

    def deliver(sent: CallbackPayload) -> None:
        ref = sent.run
        argo.add_workflow(sent.workflow_name, run_labels(ref.repo, ref.pr, ref.job, ref.head_sha))
        send(f"{url}/callback", sent, CALLBACK_SECRET)

    for number in range(MAIN_RUNS):
        report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 10.0 + 0.2 * (number % 3)}, seed=number)
        deliver(payload(report, pr=0, workflow=f"push-{number}", head_sha=f"{number:040x}"))
    report, _, _ = comparison({SEARCH: 10.0}, {SEARCH: 13.0})
    deliver(payload(report, pr=1, workflow="pr-1"))


def test_a_pull_request_and_the_main_branch_show_on_the_dashboard_in_a_browser(
    dashboard: tuple[str, ArgoStandIn], project_root: Path, store_target: str
) -> None:
    url, argo = dashboard
    fill(url, argo)
    shots = artifacts(project_root)
    backend = "postgresql" if "://" in store_target else "sqlite"

    index = chromium("--dump-dom", f"{url}/")
    [run_link] = re.findall(r'href="/runs/(\d+)">#\d+</a>', index)  # the job's latest: the PR
    run_page = chromium("--dump-dom", f"{url}/runs/{run_link}")
    trend_url = f"{url}/benchmark?repo=Codertocat/Hello-World&job=api&name=GET%20/search"
    trend_page = chromium("--dump-dom", trend_url)
    for name, page in (("run", f"{url}/runs/{run_link}"), ("benchmark", trend_url)):
        shot = shots / f"{name}-{backend}.png"
        chromium(f"--screenshot={shot}", "--window-size=1100,1400", page)
        assert shot.stat().st_size > 10_000

    assert "PR #1" in index
    assert RENDERED.search(run_page)[1] == str(MAIN_RUNS + 1)  # the series and the PR's head
    assert RENDERED.search(trend_page)[1] == str(MAIN_RUNS)
