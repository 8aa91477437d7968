"""Fixtures of the local executor's tests: a git repository, small templates, a recorder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workflows.local.containers import RunContext
from workflows.local.executor import Executor, RunResult
from workflows.local.nodes import Node
from workflows.local.worktrees import Worktrees

PYTHON = sys.executable
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


class Recorder:
    """A display that remembers what happened, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def node_started(self, node: Node) -> None:
        self.events.append(("started", node.id))

    def node_finished(self, node: Node) -> None:
        self.events.append((node.phase.value, node.id))

    def node_retrying(self, node: Node, delay: float) -> None:
        self.events.append(("retrying", node.id))

    def node_progress(self, node: Node) -> None:
        assert node.progress is not None
        self.events.append((f"progress {node.progress.done}/{node.progress.total}", node.id))

    def warning(self, text: str) -> None:
        self.warnings.append(text)


def py(code: str, **container: Any) -> dict[str, Any]:
    """A container running a Python snippet with this interpreter (the image is ignored)."""
    return {"image": "python:3.11", "command": [PYTHON, "-c", code], **container}


def workflow(*templates: dict[str, Any], entrypoint: str = "main", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "WorkflowTemplate",
        "metadata": {"name": "t"},
        "spec": {"entrypoint": entrypoint, "templates": list(templates), **spec},
    }


def dag(name: str, *tasks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "dag": {"tasks": list(tasks)}, **extra}


def params(**values: str) -> dict[str, Any]:
    return {"parameters": [{"name": k.replace("_", "-"), "value": v} for k, v in values.items()]}


def exit_recorder(report: Path) -> dict:
    """An exit handler that writes the raw env values Argo's variables became."""
    return {
        "name": "notify",
        "container": {
            "image": "x",
            "command": [
                PYTHON,
                "-c",
                "import os, sys, json, pathlib; pathlib.Path(sys.argv[1]).write_text(json.dumps("
                "{k: os.environ[k] for k in ('STATUS', 'FAILURES', 'PARAMETERS')}))",
                str(report),
            ],
            "env": [
                {"name": "STATUS", "value": "{{workflow.status}}"},
                {"name": "FAILURES", "value": "{{workflow.failures}}"},
                {"name": "PARAMETERS", "value": "{{workflow.parameters.json}}"},
            ],
        },
    }


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits: `first` (v1) and `second` (v2) of `version.txt`."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "--quiet", "--initial-branch=main")
    (path / "version.txt").write_text("v1\n")
    git(path, "add", ".")
    git(path, "commit", "--quiet", "-m", "first")
    git(path, "tag", "first")
    (path / "version.txt").write_text("v2\n")
    git(path, "commit", "--quiet", "-am", "second")
    return path


RunTemplate = Callable[..., tuple[RunResult, Recorder]]


@pytest.fixture
def run_template(tmp_path: Path, repo: Path) -> RunTemplate:
    """Execute a WorkflowTemplate dict; returns the result and what the display saw."""

    def run(
        document: dict[str, Any],
        parameters: dict[str, str] | None = None,
        *,
        secrets: Path | None = None,
        before: Callable[[Executor], None] | None = None,
    ) -> tuple[RunResult, Recorder]:
        recorder = Recorder()
        context = RunContext(
            work_dir=tmp_path / "work",
            logs_dir=tmp_path / "logs",
            worktrees=Worktrees(repo),
            secrets_dir=secrets,
        )
        executor = Executor(document, parameters=parameters or {}, run=context, display=recorder)
        if before is not None:
            before(executor)
        return executor.run(), recorder

    return run


def node(result: RunResult, node_id: str) -> Node:
    matches = [n for n in result.state.nodes() if n.id == node_id]
    assert matches, f"no node {node_id}; nodes: {[n.id for n in result.state.nodes()]}"
    return matches[0]


COMMAND_JOB = """\
repos:
  acme/tool:
    default_job: cli
    jobs:
      cli:
        build:
          builder_image: python:3.11
          command: [sh, -c, "true"]
        benchmark:
          image: python:3.11
          command: {command}
          rounds: {rounds}
"""
ONE_RESULT = '{"benchmarks": [{"name": "op", "unit": "ms", "samples": [1.0]}]}'


def command_job(repo: Path, bench: str, rounds: int, command: str = "[sh, bench.sh]") -> Path:
    """`repo` with a command-line job whose rounds run `bench` (a sh script), committed, and
    one more commit on top, so `--base HEAD~1` and `--head HEAD` both have the job."""
    (repo / "perfbot.yaml").write_text(COMMAND_JOB.format(command=command, rounds=rounds))
    (repo / "bench.sh").write_text(bench)
    git(repo, "add", "perfbot.yaml", "bench.sh")
    git(repo, "commit", "--quiet", "-m", "config")
    (repo / "version.txt").write_text("v3\n")
    git(repo, "commit", "--quiet", "-am", "third")
    return repo
