"""The state of one run: a tree of nodes with Argo's phases, which displays and reports read.

Node phases follow Argo's names so that `depends` results (`a.Failed`, `a.Skipped`) and
`{{workflow.failures}}` mean the same locally as in the cluster. A daemon that passed its
readiness probe is `Succeeded` with `daemoned` set, which is what `a.Daemoned` tests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from workflows.argo_values import failures_value

if TYPE_CHECKING:
    from workflows.local.selfreport import Progress


class Phase(StrEnum):
    PENDING = "Pending"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    ERROR = "Error"
    SKIPPED = "Skipped"
    OMITTED = "Omitted"

    @property
    def done(self) -> bool:
        return self not in (Phase.PENDING, Phase.RUNNING)

    @property
    def bad(self) -> bool:
        return self in (Phase.FAILED, Phase.ERROR)


@dataclass
class Outputs:
    parameters: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, Path] = field(default_factory=dict)
    result: str | None = None
    exit_code: int | None = None


@dataclass(frozen=True)
class Attempt:
    """One attempt of a retried node: Argo keeps each as a child node `<name>(<n>)`."""

    phase: Phase
    message: str
    finished_at: str


@dataclass
class Node:
    id: str  # dotted path of task names from the entrypoint: "measure.bench-base-1"
    name: str  # the task or step name, as Argo's displayName
    template: str
    kind: str = "container"  # container, script, dag, steps, loop, suspend
    depth: int = 0
    phase: Phase = Phase.PENDING
    message: str = ""
    daemon: bool = False
    daemoned: bool = False  # a daemon that is up and ready
    stopped: bool = False  # failed because the run was stopped, not by itself
    attempt: int = 1
    attempts: int = 1
    started: float | None = None  # time.monotonic()
    finished: float | None = None
    finished_at: str = ""  # RFC 3339, for workflow.failures
    log: Path | None = None
    outputs: Outputs = field(default_factory=Outputs)
    children: list[Node] = field(default_factory=list)
    ports: dict[int, int] = field(default_factory=dict)  # declared port -> local port
    argv: list[str] = field(default_factory=list)  # what the latest attempt ran
    progress: Progress | None = None  # what the running attempt reported in ARGO_PROGRESS_FILE
    display_name: str = ""  # Argo's displayName when it is not `name` (the workflow's own node)
    retried: bool = False  # has a retryStrategy: Argo makes it a Retry node over its attempts
    tries: list[Attempt] = field(default_factory=list)

    def attempted(self, phase: Phase, message: str) -> None:
        """Record how one attempt ended (a retried node's attempts are nodes of their own)."""
        self.tries.append(Attempt(phase, message, _now()))

    def start(self) -> None:
        self.phase = Phase.RUNNING
        self.started = time.monotonic()

    def finish(self, phase: Phase, message: str = "") -> None:
        self.phase = phase
        self.message = message or self.message
        self.finished = time.monotonic()
        self.finished_at = _now()

    @property
    def elapsed(self) -> float:
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started

    @property
    def leaf(self) -> bool:
        return self.kind in ("container", "script", "suspend")

    def result(self, name: str) -> bool:
        """The truth of `<task>.<name>` in a `depends` expression."""
        children = self.children if self.kind == "loop" else []
        if name == "Daemoned":
            return self.daemoned
        if name == "Errored":
            return self.phase == Phase.ERROR
        if name == "AnySucceeded":
            return any(child.phase == Phase.SUCCEEDED for child in children)
        if name == "AllFailed":
            return bool(children) and all(child.phase.bad for child in children)
        return self.phase.value == name


class RunState:
    """Every node of a run, in creation order; the display reads it from another thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._nodes: list[Node] = []

    def add(self, node: Node) -> Node:
        with self._lock:
            self._nodes.append(node)
        return node

    def nodes(self) -> list[Node]:
        with self._lock:
            return list(self._nodes)

    def failures(self) -> list[Node]:
        """Leaf nodes that failed on their own (not merely stopped because of another)."""
        return [n for n in self.nodes() if n.leaf and n.phase.bad and not n.stopped]

    def failures_json(self) -> str:
        """`{{workflow.failures}}` as Argo fills it: the Go-quoted JSON list of every failed or
        errored node (DAGs and the workflow's own node included, a retried node and each of
        its failed attempts), `"null"` when none failed (`workflows.argo_values`)."""
        return failures_value([item for node in self.nodes() for item in _failed(node)])


def _failed(node: Node) -> list[dict[str, str]]:
    """The entries one local node stands for in Argo's list of failed nodes."""
    entries = []
    if node.phase.bad:
        entries.append(
            _entry(node.display_name or node.name, node, node.phase, node.message, node.id)
        )
    if node.retried:
        for index, attempt in enumerate(list(node.tries)):
            if attempt.phase.bad:
                name = f"{node.name}({index})"
                entry = _entry(name, node, attempt.phase, attempt.message, f"{node.id}({index})")
                entries.append({**entry, "finishedAt": attempt.finished_at})
    return entries


def _entry(name: str, node: Node, phase: Phase, message: str, pod: str) -> dict[str, str]:
    return {
        "displayName": name,
        "message": message,
        "templateName": node.template,
        "phase": phase.value,
        "podName": pod,
        "finishedAt": node.finished_at,
    }


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
