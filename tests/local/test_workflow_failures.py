"""`{{workflow.failures}}` lists every failed or errored node, as Argo's does.

Argo (v4.0.5, `operator.go`) walks all of `status.nodes` and lists each node in phase Failed or
Error: the pods, and also the DAGs above them up to the workflow's own node (whose displayName
is the workflow's name), a retried step's Retry node and each failed attempt under it
(`<task>(0)`, `<task>(1)` ...), even when a later attempt succeeded. The order is a Go map's, so
only the set is compared. The bot reads this list; the local run must hand it the same one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.local.conftest import PYTHON, RunTemplate, dag, exit_recorder, workflow
from workflows.argo_values import read_failures
from workflows.local.executor import Executor

WORKFLOW = "<workflow>"  # stands for the run's name, the displayName of its own node
BROKEN = {"name": "broken", "container": {"image": "x", "command": ["false"]}}
# A source that cannot be fetched: the node ends in Error, as Argo's init container leaves it.
UNFETCHABLE = {
    "name": "errs",
    "inputs": {
        "artifacts": [
            {"name": "source", "path": "/perfbot/src", "git": {"repo": "x", "revision": "f" * 40}}
        ]
    },
    "container": {"image": "x", "command": ["true"]},
}
RETRY = {"limit": 1, "retryPolicy": "Always", "backoff": {"duration": "1s"}}


def flaky(tmp_path: Path) -> dict[str, Any]:
    """Fails its first attempt, succeeds the second."""
    marker = tmp_path / "tried"
    code = (
        f"import pathlib, sys; p = pathlib.Path({str(marker)!r}); "
        "sys.exit(0) if p.exists() else (p.touch(), sys.exit(1))"
    )
    return {
        "name": "flaky",
        "container": {"image": "x", "command": [PYTHON, "-c", code]},
        "retryStrategy": RETRY,
    }


def _case(name: str, tmp_path: Path) -> tuple[list[dict[str, Any]], str, set[tuple[str, str, str]]]:
    """Templates (entrypoint `main`), the run's status, and (displayName, template, phase)."""
    cases = {
        "a failed step": (
            [dag("main", {"name": "b", "template": "broken"}), BROKEN],
            "Failed",
            {(WORKFLOW, "main", "Failed"), ("b", "broken", "Failed")},
        ),
        "a failed step in a nested DAG": (
            [
                dag("main", {"name": "m", "template": "inner"}),
                dag("inner", {"name": "b", "template": "broken"}),
                BROKEN,
            ],
            "Failed",
            {(WORKFLOW, "main", "Failed"), ("m", "inner", "Failed"), ("b", "broken", "Failed")},
        ),
        "a retried step that keeps failing": (
            [
                dag("main", {"name": "b", "template": "broken"}),
                {**BROKEN, "retryStrategy": RETRY},
            ],
            "Failed",
            {
                (WORKFLOW, "main", "Failed"),
                ("b", "broken", "Failed"),
                ("b(0)", "broken", "Failed"),
                ("b(1)", "broken", "Failed"),
            },
        ),
        "a retried step that succeeds at last": (
            [dag("main", {"name": "f", "template": "flaky"}), flaky(tmp_path)],
            "Succeeded",
            {("f(0)", "flaky", "Failed")},
        ),
        "an errored step": (
            [dag("main", {"name": "e", "template": "errs"}), UNFETCHABLE],
            "Error",
            {(WORKFLOW, "main", "Error"), ("e", "errs", "Error")},
        ),
    }
    return cases[name]


@pytest.mark.parametrize(
    "case",
    [
        "a failed step",
        "a failed step in a nested DAG",
        "a retried step that keeps failing",
        "a retried step that succeeds at last",
        "an errored step",
    ],
)
def test_workflow_failures_lists_every_failed_node(
    run_template: RunTemplate, tmp_path: Path, case: str
) -> None:
    templates, status, expected = _case(case, tmp_path)
    report = tmp_path / "exit.json"
    names: list[str] = []

    def remember(executor: Executor) -> None:
        names.append(executor.name)

    result, _ = run_template(
        workflow(*templates, exit_recorder(report), onExit="notify"), before=remember
    )
    assert result.phase.value == status
    seen = json.loads(report.read_text())
    assert seen["STATUS"] == status
    failures, note = read_failures(seen["FAILURES"])
    assert note is None
    listed = [(f["displayName"], f["templateName"], f["phase"]) for f in failures]
    assert len(listed) == len(set(listed))
    assert set(listed) == {(names[0] if d == WORKFLOW else d, t, p) for d, t, p in expected}
    for failure in failures:
        assert failure["podName"]
        assert failure["finishedAt"]
