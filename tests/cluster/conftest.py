"""Fixtures of the cluster tests: one real cluster per session, perfbot installed on it.

Tests marked `cluster` need root and the harness's builds; `make e2e` runs them (bringing the
cluster up and down around the session), `make test` leaves them out. The other tests in this
folder check the harness's own files and run everywhere.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.bot.payloads import delivery_headers, encode, pr_comment
from tests.bot.stack import APP_ID, app_key
from tests.cluster import argo, images, install, node, pki
from tests.cluster.__main__ import bring_up
from tests.standins.github_server import GitHubStandIn
from workflows.local.demo import make_repository

CALLBACK_SECRET = "cluster-callback-secret"
WEBHOOK_SECRET = "cluster-webhook-secret"
GIT_PORT = 8443
BOT_PORT = 18081
DEMO_REPO = "perfbot-demo/shop"
IMAGES_REPO = "perfbot-demo/shop-images"  # the same project; its default job builds images
COMMENT_IDS = itertools.count(int(time.time()))
RUN_TIMEOUT = 1500  # seconds: the demo's 10 rounds and confirmation, on a loaded machine


@pytest.fixture(scope="session")
def cluster() -> Iterator[node.Node]:
    if os.geteuid() != 0:
        pytest.fail("the cluster tests need root (network namespaces, mounts, cgroups)")
    target = node.Node()
    node.down(target)  # whatever an interrupted session left behind
    bring_up(target)
    try:
        private, _ = app_key()
        install.install(
            target,
            callback_secret=CALLBACK_SECRET,
            webhook_secret=WEBHOOK_SECRET,
            app_id=str(APP_ID),
            app_private_key=private,
        )
        yield target
    finally:
        if os.environ.get("PERFBOT_CLUSTER_KEEP") != "1":
            for line in node.down(target):
                node.say(line)


@dataclass
class DemoRepo:
    path: Path  # the working repository
    base: str  # the baseline commit (main)
    head: str  # the commit with the slowdown (the PR's head)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="session")
def demo_repo(cluster: node.Node, tmp_path_factory: pytest.TempPathFactory) -> DemoRepo:
    """The demo's repository (baseline, then the slowdown), served over HTTPS on the node."""
    work = tmp_path_factory.mktemp("demo")
    repo = make_repository(work / "shop", "slow-search")
    served = cluster.root / "git"
    served.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "clone", "--quiet", "--bare", str(repo), str(served / "shop.git")], check=True
    )
    crt, key = git_server_certificate(cluster)
    cluster.start(
        "git",
        [
            sys.executable,
            str(Path(__file__).parent / "gitserver.py"),
            node.NODE_IP,
            str(GIT_PORT),
            str(served),
            str(crt),
            str(key),
        ],
    )
    cluster.wait_for("the git server", lambda: node.port_open(node.NODE_IP, GIT_PORT), 30, "git")
    return DemoRepo(repo, git(repo, "rev-parse", "HEAD~1"), git(repo, "rev-parse", "HEAD"))


def git_server_certificate(cluster: node.Node) -> tuple[Path, Path]:
    extensions = f"subjectAltName=IP:{node.NODE_IP}\nextendedKeyUsage=serverAuth\n"
    return pki.sign(
        cluster.root / "git-tls", images.git_ca(), "tls", "/CN=perfbot-node-git", extensions, 2
    )


@dataclass
class Bot:
    url: str
    github: GitHubStandIn
    process: subprocess.Popen


@pytest.fixture(scope="session")
def bot(
    cluster: node.Node,
    demo_repo: DemoRepo,
    tmp_path_factory: pytest.TempPathFactory,
    project_root: Path,
) -> Iterator[Bot]:
    """The bot under gunicorn on the host, the GitHub stand-in behind it, the real Argo Server
    (on the node) behind that; workflow pods call it back at the host's end of the veth."""
    work = tmp_path_factory.mktemp("bot")
    private, public = app_key()
    (work / "app.pem").write_text(private)
    (work / "metrics").mkdir()
    token = install.service_account_token(cluster, "perfbot-bot-token")
    with GitHubStandIn(app_id=APP_ID, app_public_key=public) as github:
        repo = github.repo(DEMO_REPO, installation_id=1)
        repo.branches["main"] = demo_repo.base
        repo.roles["Codertocat"] = "admin"
        repo.add_pull(1, head_sha=demo_repo.head, base_ref="main")
        images_repo = github.repo(IMAGES_REPO, installation_id=1)
        images_repo.branches["main"] = demo_repo.base
        images_repo.roles["Codertocat"] = "admin"
        images_repo.add_pull(1, head_sha=demo_repo.head, base_ref="main")
        env = {
            **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
            "HOST": node.PEER_IP,
            "PORT": str(BOT_PORT),
            "WEB_CONCURRENCY": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics"),
            "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "PERFBOT_CALLBACK_SECRET": CALLBACK_SECRET,
            "PERFBOT_PUBLIC_URL": f"http://{node.PEER_IP}:{BOT_PORT}",
            "PERFBOT_CONFIG": str(install.OVERLAY / "perfbot.yaml"),
            "PERFBOT_HISTORY_URL": str(work / "history.sqlite"),
            "GITHUB_API_URL": github.api_url,
            "GITHUB_APP_ID": str(APP_ID),
            "GITHUB_APP_PRIVATE_KEY_PATH": str(work / "app.pem"),
            "ARGO_SERVER": f"http://{node.NODE_IP}:{argo.ARGO_PORT}",
            "ARGO_TOKEN": token,
            "ARGO_NAMESPACE": install.NAMESPACE,
            "ARGO_UI_URL": f"http://127.0.0.1:{argo.host_argo_port()}",
        }
        log = (work / "gunicorn.log").open("w")
        process = subprocess.Popen(
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
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://{node.PEER_IP}:{BOT_PORT}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the bot did not start:\n{(work / 'gunicorn.log').read_text()}")
                time.sleep(0.3)
            yield Bot(url, github, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            shutil.copy(work / "gunicorn.log", cluster.root / "logs" / "bot.log") if (
                cluster.root / "logs"
            ).is_dir() else None


def deliver(bot: Bot, contracts_dir, body: str, repo: str = DEMO_REPO) -> requests.Response:
    payload = pr_comment(contracts_dir, body)
    payload["comment"]["id"] = next(COMMENT_IDS)  # each command its own comment (no replay)
    owner, name = repo.split("/")
    payload["repository"].update(full_name=repo, name=name)
    payload["repository"]["owner"]["login"] = owner
    raw = encode(payload)
    return requests.post(
        f"{bot.url}/webhook",
        data=raw,
        headers=delivery_headers(raw, WEBHOOK_SECRET, "issue_comment"),
        timeout=60,
    )


def workflows(cluster: node.Node) -> list[dict]:
    result = cluster.kubectl("-n", install.NAMESPACE, "get", "workflows", "-o", "json")
    return json.loads(result.stdout)["items"]


def workflow_names(cluster: node.Node) -> set[str]:
    return {flow["metadata"]["name"] for flow in workflows(cluster)}


def new_workflow(cluster: node.Node, before: set[str]) -> str:
    """The one workflow submitted since `before` was taken."""
    submitted = workflow_names(cluster) - before
    assert len(submitted) == 1, f"expected one new workflow, found {sorted(submitted)}"
    return submitted.pop()


def submit(bot: Bot, cluster: node.Node, contracts_dir, body: str, repo: str = DEMO_REPO) -> str:
    """Deliver a command that must start one workflow; its name."""
    before = workflow_names(cluster)
    answer = deliver(bot, contracts_dir, body, repo)
    assert answer.status_code == 200, answer.text
    assert answer.json().get("outcome") == "submitted", answer.text
    return new_workflow(cluster, before)


def finished_check(bot: Bot, repo: str, name: str, timeout: float = 120) -> dict | None:
    """The check run of workflow `name` once completed (the callback may trail the workflow)."""
    checks = bot.github.repos[repo].check_runs
    deadline = time.monotonic() + timeout
    check = None
    while time.monotonic() < deadline:
        mine = [c for c in checks.values() if c.get("external_id") == name]
        check = mine[-1] if mine else None
        if check and check.get("status") == "completed":
            break
        time.sleep(1)
    return check


def followed(bot: Bot, cluster: node.Node, name: str, repo: str, timeout: float) -> dict:
    """Workflow `name` once finished, and its completed check run (or None)."""
    flow = wait_for_phase(cluster, name, timeout)
    return {"name": name, "workflow": flow, "check": finished_check(bot, repo, name)}


def wait_for_phase(cluster: node.Node, name: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        flow = install.workflow(cluster, name)
        if flow.get("status", {}).get("phase") in ("Succeeded", "Failed", "Error"):
            return flow
        time.sleep(3)
    pytest.fail(
        f"workflow {name} did not finish in {timeout:.0f} s: "
        f"{json.dumps(install.workflow(cluster, name).get('status', {}))[:3000]}"
    )


@pytest.fixture(scope="session")
def run(cluster: node.Node, bot: Bot, demo_repo: DemoRepo, contracts_dir) -> dict:
    """`/run-perf main` on the demo's PR, followed to its end; with timings."""
    started = time.monotonic()
    name = submit(bot, cluster, contracts_dir, "/run-perf main")
    flow = wait_for_phase(cluster, name, RUN_TIMEOUT)
    finished = time.monotonic()
    repo = bot.github.repos[DEMO_REPO]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        checks = list(repo.check_runs.values())
        if checks and all(c.get("status") == "completed" for c in checks):
            break
        time.sleep(1)
    commented = time.monotonic()
    return {
        "name": name,
        "workflow": flow,
        "repo": repo,
        "seconds": {
            "delivery_to_finished": finished - started,
            "delivery_to_comment": commented - started,
        },
    }


# Runs started together once the demo's own run is done: their builds overlap and their measure
# steps take the node in turn (the semaphore), as a team's runs would; none of them asserts a
# verdict, so sharing the machine costs them nothing but time, and saves the suite minutes.
BACKGROUND = {
    "image": (IMAGES_REPO, "/run-perf main"),
    "shop-api-build-fails": (DEMO_REPO, "/perf-bot run shop-api-build-fails main"),
    "shop-api-never-ready": (DEMO_REPO, "/perf-bot run shop-api-never-ready main"),
    "shop-api-benchmark-fails": (DEMO_REPO, "/perf-bot run shop-api-benchmark-fails main"),
}


@pytest.fixture(scope="session")
def background(cluster: node.Node, bot: Bot, run: dict, contracts_dir) -> dict[str, str]:
    """Workflow name of each of the `BACKGROUND` runs, all submitted at once."""
    return {
        key: submit(bot, cluster, contracts_dir, body, repo)
        for key, (repo, body) in BACKGROUND.items()
    }
