"""Failure is always reported (issue 25): a build that fails, a service that never becomes
ready, a benchmark that exits non-zero; each run ends with the exit handler's report on the PR,
naming the step, with the link to the run in Argo's UI.

The three runs are submitted together with the image job's (`conftest.BACKGROUND`): their
builds overlap, and those that reach `measure` take the benchmark node in turn (the semaphore).
"""

from __future__ import annotations

import json

import pytest

from tests.cluster import argo, install
from tests.cluster.conftest import (
    DEMO_REPO,
    Bot,
    followed,
)
from tests.cluster.node import Node

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
# job -> (the step the report must name, what the report must carry from that step)
FAILURES = {
    "shop-api-build-fails": ("build", "this build is broken"),
    "shop-api-never-ready": ("deploy", "deadline"),
    "shop-api-benchmark-fails": ("benchmark", "the benchmark crashed"),
}


@pytest.fixture(scope="module")
def failed(cluster: Node, bot: Bot, background: dict[str, str]) -> dict[str, dict]:
    results = {}
    for job in FAILURES:
        results[job] = followed(bot, cluster, background[job], DEMO_REPO, 900)
        print(
            f"{job}: {json.dumps(results[job]['check'] and results[job]['check']['output'])[:1500]}"
        )
    return results


@pytest.mark.parametrize("job", sorted(FAILURES))
def test_the_run_fails_in_argo(failed: dict, job: str) -> None:
    assert failed[job]["workflow"]["status"]["phase"] in ("Failed", "Error")


@pytest.mark.parametrize("job", sorted(FAILURES))
def test_the_pr_is_told_the_run_failed_at_its_step(failed: dict, job: str) -> None:
    check = failed[job]["check"]
    assert check is not None, f"no completed check run for {job}"
    assert check["conclusion"] == "failure"
    step, _ = FAILURES[job]
    assert f"at step {step}" in check["output"]["title"], check["output"]["title"]


@pytest.mark.parametrize("job", sorted(FAILURES))
def test_the_report_says_why_and_links_to_the_run_in_argo(failed: dict, job: str) -> None:
    summary = failed[job]["check"]["output"]["summary"]
    _, why = FAILURES[job]
    assert why in summary
    assert f"127.0.0.1:{argo.host_argo_port()}/workflows/" in summary


@pytest.mark.parametrize("job", ["shop-api-never-ready", "shop-api-benchmark-fails"])
def test_the_measured_pods_were_given_guaranteed_qos(failed: dict, cluster: Node, job: str) -> None:
    """The jobs ask for resources; the harness's controller gives Argo's own containers requests
    equal to limits (docs/operations.md); then Kubernetes calls the whole pod Guaranteed. A
    failed run keeps its pods (pod GC on success only), so the class is read from them."""
    selector = f"workflows.argoproj.io/workflow={failed[job]['name']},perfbot/measure-run"
    pods = install.pods(cluster, selector)
    assert pods, f"no measure pods left for {job}"
    # `reserve` only holds the room (requests, no limits) and runs `true`: nothing measured.
    classes = {
        p["metadata"]["name"]: p["status"].get("qosClass")
        for p in pods
        if "-reserve-" not in p["metadata"]["name"]
    }
    print(f"{job}: {classes}")
    assert set(classes.values()) == {"Guaranteed"}, classes
