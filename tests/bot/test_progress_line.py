"""Where a run is, read from workflows as the Argo stand-in serves them (swagger's shape)."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.runs.progress_line import status_line
from bot.runs.queue import ahead_of
from bot.runs.status import read
from tests.standins.argo_server import ArgoStandIn
from workflows.argo import ArgoClient

LOCK = "perfbot/ConfigMap/perfbot-semaphores/benchmark-nodes"
BENCH_START = "2024-05-01T10:00:00Z"
SEVEN_MINUTES_IN = datetime(2024, 5, 1, 10, 7, tzinfo=UTC)


@pytest.fixture
def running(argo: ArgoStandIn) -> str:
    argo.add_workflow("perf-1", {"perfbot/job": "api"})
    return "perf-1"


def test_a_run_in_its_benchmark_names_the_step_the_round_and_the_time_left(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str
) -> None:
    argo.measuring(running, done=7, total=20, started=BENCH_START)

    line = status_line(read(argo_client.get(running)), SEVEN_MINUTES_IN)

    # 7 sides in 7 min, 13 left at a minute each; round 4 measured head, base runs; Argo sums
    # builds 2/2, deploys 0/2 (daemons never finish before the end), benchmark 7/20
    assert line == (
        "Running · step benchmark · Argo's progress 9/24 · "
        "benchmark round 4/10 base (7/20 sides) · about 13 min left"
    )


@pytest.mark.parametrize(
    ("done", "benchmark", "left"),
    [
        (0, "benchmark round 1/10 base (0/20 sides)", None),  # nothing measured: no pace yet
        (1, "benchmark round 1/10 head (1/20 sides)", "about 2 h 13 min left"),
        (2, "benchmark round 2/10 head (2/20 sides)", "about 1 h 3 min left"),  # head first
        (20, "benchmark 20/20 sides done", None),
    ],
)
def test_the_benchmark_part_follows_the_drivers_order_and_pace(
    argo: ArgoStandIn,
    argo_client: ArgoClient,
    running: str,
    done: int,
    benchmark: str,
    left: str | None,
) -> None:
    argo.measuring(running, done=done, total=20, started=BENCH_START)
    parts = status_line(read(argo_client.get(running)), SEVEN_MINUTES_IN).split(" · ")
    assert parts[3:] == [benchmark] + ([left] if left else [])


def test_a_run_held_on_the_semaphore_says_it_is_queued_and_how_many_are_ahead(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str
) -> None:
    argo.queued(running, lock=LOCK, holders=["perfbot/perf-0/perf-0-1"], limit=1)
    status = read(argo_client.get(running))

    assert status.waiting_for == LOCK
    assert status_line(status, SEVEN_MINUTES_IN, ahead=2) == (
        "Running · queued: waiting for a benchmark node (2 runs ahead) · Argo's progress 2/2"
    )


def test_a_queued_run_whose_queue_is_unknown_says_only_that_it_waits(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str
) -> None:
    argo.queued(running, lock=LOCK)
    line = status_line(read(argo_client.get(running)), SEVEN_MINUTES_IN, ahead=None)
    assert "queued: waiting for a benchmark node · " in line


def test_the_workflows_semaphore_record_alone_marks_a_run_queued(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str
) -> None:
    """Nodes may be left out (offloaded to a database the server cannot read)."""
    argo.queued(running, lock=LOCK)
    workflow = argo_client.get(running)
    without_nodes = {k: v for k, v in workflow.status.items() if k != "nodes"}
    assert read(replace(workflow, status=without_nodes)).waiting_for == LOCK


def test_compressed_nodes_read_as_the_plain_ones(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str
) -> None:
    argo.measuring(running, done=7, total=20, started=BENCH_START)
    workflow = argo_client.get(running)
    status = dict(workflow.status)
    packed = gzip.compress(json.dumps(status.pop("nodes")).encode())
    status["compressedNodes"] = base64.b64encode(packed).decode()
    compressed = replace(workflow, status=status)
    assert read(compressed) == read(workflow)


@pytest.mark.parametrize("progress", ["21/20", "7/0", "seven/20", "-1/20", ""])
def test_progress_argo_would_refuse_is_left_out(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str, progress: str
) -> None:
    argo.measuring(running, done=7, total=20, started=BENCH_START)
    workflow = argo_client.get(running)
    nodes = {
        key: {**node, "progress": progress} if node["displayName"] == "benchmark" else node
        for key, node in workflow.status["nodes"].items()
    }
    status = read(replace(workflow, status={**workflow.status, "nodes": nodes}))
    assert status.benchmark is None
    assert "benchmark" not in status_line(status, SEVEN_MINUTES_IN).split("step benchmark")[-1]


def test_before_the_benchmark_argos_own_estimate_gives_the_time_left(
    argo_client: ArgoClient, argo: ArgoStandIn, running: str
) -> None:
    workflow = argo_client.get(running)
    started = {**workflow.status, "startedAt": "2024-05-01T10:00:00Z", "estimatedDuration": 1800}
    line = status_line(read(replace(workflow, status=started)), SEVEN_MINUTES_IN)
    assert line == "Running · about 23 min left"


def test_a_finished_run_has_no_time_left(
    argo: ArgoStandIn, argo_client: ArgoClient, running: str
) -> None:
    argo.measuring(running, done=20, total=20, started=BENCH_START)
    argo.finish(running, "Succeeded")
    assert status_line(read(argo_client.get(running)), SEVEN_MINUTES_IN) == (
        "Succeeded · Argo's progress 22/24 · benchmark 20/20 sides done"
    )


QUEUE = [  # (name, created, waiting on)
    ("perf-a", "2024-05-01T09:00:00Z", LOCK),
    ("perf-b", "2024-05-01T09:05:00Z", LOCK),
    ("perf-c", "2024-05-01T09:10:00Z", LOCK),
    ("perf-other", "2024-05-01T08:00:00Z", "perfbot/ConfigMap/perfbot-semaphores/gpu-nodes"),
]


@pytest.mark.parametrize(
    ("name", "ahead"),
    [("perf-a", 0), ("perf-b", 1), ("perf-c", 2), (None, 3)],
)
def test_runs_ahead_are_those_waiting_on_the_same_lock_created_earlier(
    argo: ArgoStandIn, argo_client: ArgoClient, name: str | None, ahead: int
) -> None:
    for workflow, created, lock in QUEUE:
        argo.add_workflow(workflow, {"perfbot/job": "api"})
        argo.queued(workflow, lock=lock)
        argo.created_at(workflow, created)
    queue = [read(w) for w in argo_client.list_workflows({}, running_only=True)]
    run = next((s for s in queue if s.name == name), None)
    assert ahead_of(run, LOCK, queue) == ahead
