"""Retries, deadlines, the exit handler, and what is left after a run fails or is stopped."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from tests.local.conftest import (
    PYTHON,
    RunTemplate,
    dag,
    exit_recorder,
    git,
    node,
    params,
    workflow,
)
from workflows.argo_values import go_unquote, read_failures
from workflows.local import processes
from workflows.local.executor import Executor
from workflows.local.nodes import Phase


def counting(tmp_path: Path, succeed_on: int) -> dict:
    """Fails until its `succeed_on`-th attempt; counts attempts in a file."""
    counter = tmp_path / "attempts"
    code = (
        f"import pathlib, sys; p = pathlib.Path({str(counter)!r}); "
        "n = int(p.read_text()) + 1 if p.exists() else 1; p.write_text(str(n)); "
        f"sys.exit(0 if n >= {succeed_on} else 1)"
    )
    return {
        "name": "flaky",
        "container": {"image": "x", "command": [PYTHON, "-c", code]},
        "retryStrategy": {
            "limit": "2",
            "retryPolicy": "Always",
            "backoff": {"duration": "1s", "factor": 2},
        },
    }


def test_retries_run_the_step_again_until_it_succeeds(
    run_template: RunTemplate, tmp_path: Path
) -> None:
    result, recorder = run_template(
        workflow(dag("main", {"name": "f", "template": "flaky"}), counting(tmp_path, 3))
    )
    assert result.succeeded
    assert (tmp_path / "attempts").read_text() == "3"
    assert recorder.events.count(("retrying", "f")) == 2


def test_retries_stop_at_the_limit(run_template: RunTemplate, tmp_path: Path) -> None:
    result, _ = run_template(
        workflow(dag("main", {"name": "f", "template": "flaky"}), counting(tmp_path, 10))
    )
    assert result.phase == Phase.FAILED
    assert (tmp_path / "attempts").read_text() == "3"  # one attempt and two retries


SLEEP = {
    "name": "sleep",
    "container": {"image": "x", "command": [PYTHON, "-c", "import time; time.sleep(30)"]},
}


def test_the_workflow_deadline_stops_the_run(run_template: RunTemplate) -> None:
    started = time.monotonic()
    result, _ = run_template(
        workflow(dag("main", {"name": "s", "template": "sleep"}), SLEEP, activeDeadlineSeconds=1)
    )
    assert time.monotonic() - started < 10
    assert result.deadline_exceeded
    assert node(result, "s").message == "the workflow exceeded its deadline (activeDeadlineSeconds)"


def test_a_template_timeout_fails_only_that_step(run_template: RunTemplate) -> None:
    slow = {**SLEEP, "name": "slow", "timeout": "1s"}
    result, _ = run_template(workflow(dag("main", {"name": "s", "template": "slow"}), slow))
    assert not result.deadline_exceeded
    assert "exceeded its deadline" in node(result, "s").message


BROKEN = {"name": "broken", "container": {"image": "x", "command": ["false"]}}
FINE = {"name": "fine", "container": {"image": "x", "command": ["true"]}}
# A git input artifact of a commit that does not exist: Argo's init container cannot load it,
# and the node ends in Error, not Failed.
UNFETCHABLE = {
    "name": "unfetchable",
    "inputs": {
        "artifacts": [
            {"name": "source", "path": "/perfbot/src", "git": {"repo": "x", "revision": "f" * 40}}
        ]
    },
    "container": {"image": "x", "command": ["true"]},
}


@pytest.mark.parametrize(
    ("step", "status", "failed"),
    [
        (BROKEN, "Failed", [("b", "broken", "Failed", "exited with code 1")]),
        (FINE, "Succeeded", []),
        (UNFETCHABLE, "Error", [("b", "unfetchable", "Error", None)]),
    ],
)
def test_the_exit_handler_sees_what_argo_hands_it(
    run_template: RunTemplate, tmp_path: Path, step: dict, status: str, failed: list
) -> None:
    report = tmp_path / "exit.json"
    arguments = {
        "parameters": [
            {"name": "pr", "value": "0", "description": "pull request"},
            {"name": "rebuild", "value": "true", "enum": ["true", "false"]},
        ]
    }
    result, _ = run_template(
        workflow(
            dag("main", {"name": "b", "template": step["name"]}),
            step,
            exit_recorder(report),
            onExit="notify",
            arguments=arguments,
        ),
        {"pr": "7"},
    )
    assert result.exit_handler is not None
    assert result.exit_handler.phase == Phase.SUCCEEDED
    assert result.phase.value == status
    seen = json.loads(report.read_text())
    assert seen["STATUS"] == status
    # strconv.Quote(json.Marshal(failures)): a Go-quoted string, `"null"` for none
    raw = seen["FAILURES"]
    assert raw.startswith('"')
    assert raw.endswith('"')
    listed = json.loads(go_unquote(raw))
    if not failed:
        assert raw == '"null"'
        assert listed is None
    else:
        # the steps' own entries (the DAGs' are test_workflow_failures')
        got = [
            (f["displayName"], f["templateName"], f["phase"], f["message"])
            for f in listed
            if f["templateName"] != "main"
        ]
        assert [g[:3] for g in got] == [f[:3] for f in failed]
        for (*_, message), (*_, expected) in zip(got, failed, strict=True):
            assert message == (expected or message)
            assert message
        assert list(listed[0]) == [
            "displayName",
            "message",
            "templateName",
            "phase",
            "podName",
            "finishedAt",
        ]
    # json.Marshal(spec.arguments.parameters): a list, in Go's field order, with the run's values
    assert json.loads(seen["PARAMETERS"]) == [
        {"name": "pr", "value": "7", "description": "pull request"},
        {"name": "rebuild", "value": "true", "enum": ["true", "false"]},
    ]
    assert read_failures(seen["FAILURES"])[0] == (listed or [])


# A step that records its process group, starts a grandchild in the same group, and sleeps.
STUBBORN = (
    "import os, pathlib, signal, subprocess, sys, time\n"
    "pathlib.Path(sys.argv[1]).write_text(str(os.getpgid(0)))\n"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"  # only KILL will do
    "time.sleep(60)\n"
)


def _pgid_file(tmp_path: Path, name: str) -> Path:
    return tmp_path / f"{name}.pgid"


def stubborn_dag(tmp_path: Path) -> dict:
    templates = [
        {
            "name": "stubborn",
            "inputs": {"parameters": [{"name": "name"}]},
            "container": {
                "image": "x",
                "command": [
                    PYTHON,
                    "-c",
                    STUBBORN,
                    str(tmp_path / "{{inputs.parameters.name}}.pgid"),
                ],
            },
        },
        {
            "name": "daemon",
            "daemon": True,
            "container": {
                "image": "x",
                "command": [PYTHON, "-c", STUBBORN, str(tmp_path / "daemon.pgid")],
            },
        },
        {
            "name": "checkout",
            "inputs": {
                "artifacts": [
                    {"name": "src", "path": "/src", "git": {"repo": "x", "revision": "HEAD"}}
                ]
            },
            "container": {
                "image": "x",
                "command": [PYTHON, "-c", "import time; time.sleep(0.8); raise SystemExit(9)"],
            },
        },
    ]
    return workflow(
        dag(
            "main",
            {"name": "svc", "template": "daemon"},
            {
                "name": "long",
                "template": "stubborn",
                "depends": "svc",
                "arguments": params(name="long"),
            },
            {"name": "bad", "template": "checkout", "depends": "svc"},
        ),
        *templates,
    )


def _wait_for(paths: list[Path], timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while not all(p.exists() for p in paths) and time.monotonic() < end:
        time.sleep(0.05)


def test_a_failed_step_stops_everything_and_leaves_nothing_behind(
    run_template: RunTemplate, tmp_path: Path, repo: Path
) -> None:
    result, _ = run_template(stubborn_dag(tmp_path))
    assert result.failed is not None
    assert result.failed.id == "bad"
    assert result.failed.message == "exited with code 9"
    assert node(result, "long").stopped
    groups = [int(_pgid_file(tmp_path, n).read_text()) for n in ("daemon", "long")]
    assert not [pgid for pgid in groups if processes.group_alive(pgid)]
    assert git(repo, "worktree", "list").count("\n") == 0


def test_an_interrupt_stops_everything_and_skips_the_exit_handler(
    run_template: RunTemplate, tmp_path: Path, repo: Path
) -> None:
    document = stubborn_dag(tmp_path)
    document["spec"]["templates"][-1]["container"]["command"] = [
        PYTHON,
        "-c",
        "import time; time.sleep(60)",
    ]
    document["spec"]["templates"].append(
        {"name": "notify", "container": {"image": "x", "command": ["true"]}}
    )
    document["spec"]["onExit"] = "notify"

    def interrupt_soon(executor: Executor) -> None:
        def later() -> None:
            _wait_for([_pgid_file(tmp_path, "daemon"), _pgid_file(tmp_path, "long")])
            executor.interrupt("interrupted (Ctrl-C)")

        threading.Thread(target=later, daemon=True).start()

    started = time.monotonic()
    result, _ = run_template(document, before=interrupt_soon)
    assert time.monotonic() - started < 20
    assert result.interrupted == "interrupted (Ctrl-C)"
    assert result.exit_handler is None
    groups = [int(_pgid_file(tmp_path, n).read_text()) for n in ("daemon", "long")]
    assert not [pgid for pgid in groups if processes.group_alive(pgid)]
    assert git(repo, "worktree", "list").count("\n") == 0
