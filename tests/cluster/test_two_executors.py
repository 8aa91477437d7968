"""One template, two executors, the same answer: the demo job run by Argo and by
`perfbot run --local` on the same commits, from the same rendered WorkflowTemplate.

The tasks each ran (by template, with their counts in the first measurement), their phases,
the benchmarks the report names and the report's shape must agree; a difference is a bug in
one executor (our interpreter, most likely). The verdicts themselves come from real timings
on a shared machine, so they are compared only where both are decided on the same results:
Argo's own result files, compared again here by `perfbot compare`, give Argo's verdict.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.cluster import install
from tests.cluster.conftest import DemoRepo
from tests.cluster.node import Node
from workflows.local.runner import LocalRun
from workflows.local.runner import run as run_local

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
# Steps whose count depends on what the first measurement flagged (a timing matter): the
# confirmation deploys and measures again and reports instead of the first report.
TIMING_DEPENDENT = {"flagged", "reserve", "deploy", "benchmark", "compare", "report",
                    "confirm-compare"}  # fmt: skip


@pytest.fixture(scope="module")
def local(demo_repo: DemoRepo, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("local")
    started = time.monotonic()
    outcome = run_local(
        LocalRun(
            repo=demo_repo.path,
            base=demo_repo.base,
            head=demo_repo.head,
            config=install.OVERLAY / "perfbot.yaml",
            job="shop-api",
            out=out,
            quiet=True,
        )
    )
    seconds = time.monotonic() - started
    print("perfbot run --local:", json.dumps({"seconds": seconds, "verdict": outcome.verdict}))
    return {"outcome": outcome, "out": out, "seconds": seconds}


def argo_leaves(flow: dict) -> Counter:
    return Counter(
        n["templateName"] for n in flow["status"]["nodes"].values() if n.get("type") == "Pod"
    )


def local_leaves(outcome) -> Counter:
    """The steps that ran a process (a pod, in Argo): skipped and omitted ones did not."""
    ran = [n for n in outcome.result.state.nodes() if n.leaf]
    return Counter(n.template for n in ran if n.phase.value not in ("Skipped", "Omitted"))


def test_both_executors_succeed(run: dict, local: dict) -> None:
    assert run["workflow"]["status"]["phase"] == "Succeeded"
    assert local["outcome"].result.succeeded


def test_both_ran_the_same_templates(run: dict, local: dict) -> None:
    argo, mine = argo_leaves(run["workflow"]), local_leaves(local["outcome"])
    fixed = (set(argo) | set(mine)) - TIMING_DEPENDENT
    assert {t: argo[t] for t in fixed} == {t: mine[t] for t in fixed}
    if ("confirm-compare" in argo) == ("confirm-compare" in mine):  # both flagged, or neither
        assert set(argo) == set(mine), (argo, mine)


def test_both_skipped_the_same_steps(run: dict, local: dict) -> None:
    """What `depends` left out: the same in both when both flagged the same benchmarks."""
    argo = {
        n["displayName"]
        for n in run["workflow"]["status"]["nodes"].values()
        if n.get("phase") in ("Skipped", "Omitted")
    }
    mine = {
        n.name
        for n in local["outcome"].result.state.nodes()
        if n.phase.value in ("Skipped", "Omitted")
    }
    argo_flagged = "confirm" not in argo
    local_flagged = "confirm" not in mine
    if argo_flagged != local_flagged:
        pytest.skip("one executor's first measurement flagged a benchmark, the other's did not")
    assert argo == mine


def test_both_reports_name_the_same_benchmarks(run: dict, local: dict, cluster: Node) -> None:
    report = json.loads((Path(local["out"]) / "report.json").read_text())
    local_names = {b["name"] for b in report["benchmarks"]}
    body = next(
        c["body"]
        for c in run["repo"].comments.values()
        if c["issue"] == 1 and "perfbot:job=shop-api -->" in c["body"]
    )
    for name in local_names:
        assert name in body
