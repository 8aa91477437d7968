"""Where a run is, read from the Workflow status the Argo Server returns.

Argo keeps everything the bot needs to say where a long run has come in `status`: the
workflow's `progress` (the sum of its pods' progress, each `0/1` or `1/1` unless the pod
reports its own), the nodes with their phase, start time and `progress` (the benchmark driver
reports `N/M` sides measured through `ARGO_PROGRESS_FILE`), Argo's `estimatedDuration` (from
earlier runs of the same template), and, while a template waits for a semaphore, the lock key
in `status.synchronization.semaphore.waiting` and in the waiting node's
`synchronizationStatus.waiting` (v4.0.5: `workflow/sync/sync_manager.go`, `TryAcquire`, and
`workflow/controller/operator.go`, `markNodeWaitingForLock`). Reading it here, in one place,
keeps the status reply, the check run and the acknowledgement saying the same thing.

The controller may store the nodes gzip-compressed and base64-encoded in `compressedNodes`
(large workflows); the server usually expands them, and when it does not they are expanded
here. Anything missing or malformed reads as unknown, never as an error: a status line is a
courtesy and must not cost a reply.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflows.argo import WorkflowSummary
from workflows.local.selfreport import BENCHMARK_TEMPLATE, parse

RUNNING_PHASES = ("Pending", "Running")


@dataclass(frozen=True)
class RunStatus:
    name: str
    phase: str
    created: datetime | None
    progress: tuple[int, int] | None  # the workflow's, as Argo sums it
    steps: tuple[str, ...]  # display names of the steps running now
    benchmark: tuple[int, int] | None  # the benchmark node's sides done / total
    benchmark_started: datetime | None
    benchmark_running: bool
    waiting_for: str | None  # the lock key (`<ns>/ConfigMap/<name>/<key>`) it waits on
    started: datetime | None
    estimated_duration: float | None  # Argo's estimate of the whole run, seconds

    @property
    def running(self) -> bool:
        return self.phase in RUNNING_PHASES


def read(workflow: WorkflowSummary) -> RunStatus:
    status = workflow.status
    nodes = [node for node in nodes_of(status).values() if isinstance(node, dict)]
    benchmark = next((node for node in nodes if is_benchmark(node)), None)
    return RunStatus(
        name=workflow.name,
        phase=workflow.phase,
        created=timestamp(workflow.created),
        progress=progress_of(status.get("progress")),
        steps=_running_steps(nodes),
        benchmark=progress_of(benchmark.get("progress")) if benchmark else None,
        benchmark_started=timestamp(benchmark.get("startedAt")) if benchmark else None,
        benchmark_running=bool(benchmark) and benchmark.get("phase") == "Running",
        waiting_for=waiting_for(status, nodes),
        started=timestamp(status.get("startedAt")),
        estimated_duration=_seconds(status.get("estimatedDuration")),
    )


def waiting_for(status: Mapping[str, Any], nodes: list[dict[str, Any]] | None = None) -> str | None:
    """The semaphore a run is queued on: a pending node's lock, else the workflow's record."""
    for node in nodes if nodes is not None else nodes_of(status).values():
        sync = node.get("synchronizationStatus") if isinstance(node, dict) else None
        if isinstance(sync, dict) and sync.get("waiting") and node.get("phase") == "Pending":
            return str(sync["waiting"])
    semaphore = ((status.get("synchronization") or {}).get("semaphore")) or {}
    for entry in semaphore.get("waiting") or []:
        if isinstance(entry, dict) and entry.get("semaphore"):
            return str(entry["semaphore"])
    return None


def progress_of(value: Any) -> tuple[int, int] | None:
    """Argo's `N/M` (valid when 0 <= N <= M and M > 0, `v1alpha1.Progress.IsValid`)."""
    return parse(value) if isinstance(value, str) and value else None


def timestamp(value: Any) -> datetime | None:
    """A Kubernetes `metav1.Time` (RFC 3339, `Z`), aware; None when absent or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def nodes_of(status: Mapping[str, Any]) -> dict[str, Any]:
    nodes = status.get("nodes")
    if isinstance(nodes, dict) and nodes:
        return nodes
    packed = status.get("compressedNodes")
    if not isinstance(packed, str) or not packed:
        return {}
    try:
        expanded = json.loads(gzip.decompress(base64.b64decode(packed)))
    except (binascii.Error, OSError, EOFError, ValueError):
        return {}
    return expanded if isinstance(expanded, dict) else {}


def is_benchmark(node: dict[str, Any]) -> bool:
    return node.get("type") == "Pod" and (
        node.get("templateName") == BENCHMARK_TEMPLATE
        or node.get("displayName") == BENCHMARK_TEMPLATE
    )


def _running_steps(nodes: list[dict[str, Any]]) -> tuple[str, ...]:
    """Running pods; daemons only when nothing else runs (a deployed service keeps running
    through the whole benchmark, and would otherwise be named as the step running)."""
    pods = [node for node in nodes if node.get("type") == "Pod" and node.get("phase") == "Running"]
    steps = [node for node in pods if not node.get("daemoned")] or pods
    return tuple(
        sorted({str(node.get("displayName") or node.get("name") or "?") for node in steps})
    )


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and value > 0 else None
