"""Promises only a real API server and controller can keep (issue 25's one-node part).

The bot's Role allows what the bot needs and nothing more, as the API server decides it; a run
stopped by `/perf-bot cancel` is stopped by Argo, releases the semaphore and is reported as
cancelled; Argo's progress of a finished run is complete.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.cluster import install
from tests.cluster.conftest import (
    DEMO_REPO,
    Bot,
    deliver,
    finished_check,
    submit,
    wait_for_phase,
)
from tests.cluster.node import Node

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
BOT = f"system:serviceaccount:{install.NAMESPACE}:perfbot-bot"


@pytest.mark.parametrize(
    ("verb", "resource", "allowed"),
    [
        ("create", "workflows.argoproj.io", True),
        ("list", "workflows.argoproj.io", True),
        ("get", "workflowtemplates.argoproj.io", True),
        ("delete", "workflows.argoproj.io", False),
        ("get", "secrets", False),
        ("create", "pods", False),
        ("create", "workflowtemplates.argoproj.io", False),
    ],
)
def test_the_bots_role_allows_what_it_needs_and_nothing_more(
    cluster: Node, verb: str, resource: str, allowed: bool
) -> None:
    result = cluster.kubectl("auth", "can-i", verb, resource, "-n", install.NAMESPACE,
                             f"--as={BOT}", check=False)  # fmt: skip
    assert result.stdout.strip() == ("yes" if allowed else "no"), (verb, resource, result)


def test_argos_progress_of_the_finished_run_is_complete(run: dict) -> None:
    done, total = run["workflow"]["status"]["progress"].split("/")
    assert int(total) > 0
    assert done == total


@pytest.fixture(scope="module")
def cancelled(cluster: Node, bot: Bot, run: dict, contracts_dir) -> dict:
    """`/run-perf main` again, then `/perf-bot cancel` once its pods run."""
    name = submit(bot, cluster, contracts_dir, "/run-perf main")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        nodes = install.workflow(cluster, name).get("status", {}).get("nodes", {})
        if any(n.get("type") == "Pod" and n.get("phase") == "Running" for n in nodes.values()):
            break
        time.sleep(1)
    answer = deliver(bot, contracts_dir, "/perf-bot cancel")
    assert answer.status_code == 200, answer.text
    flow = wait_for_phase(cluster, name, 300)
    return {"name": name, "workflow": flow, "check": finished_check(bot, DEMO_REPO, name)}


def test_a_cancelled_run_is_stopped_by_argo(cancelled: dict) -> None:
    status = cancelled["workflow"]["status"]
    assert status["phase"] in ("Failed", "Error")
    assert "Stopped" in (status.get("message") or "") or any(
        "Stopped" in (n.get("message") or "") for n in status["nodes"].values()
    ), json.dumps(status)[:2000]


def test_a_cancelled_run_is_reported_as_cancelled(cancelled: dict) -> None:
    check = cancelled["check"]
    assert check is not None, "no check run for the cancelled run"
    assert check["status"] == "completed"
    assert check["conclusion"] == "cancelled", check


def test_a_cancelled_run_holds_no_semaphore(cancelled: dict, cluster: Node) -> None:
    items = json.loads(
        cluster.kubectl("-n", install.NAMESPACE, "get", "workflows", "-o", "json").stdout
    )["items"]
    holding = [w["metadata"]["name"] for w in items
               if w.get("status", {}).get("synchronization", {}).get("semaphore", {})
               .get("holding")]  # fmt: skip
    assert holding == []
