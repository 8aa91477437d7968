"""`reserve`: the measure DAG's first step, so that a run that cannot be placed fails fast.

A run's deploys and benchmark wait for a node while holding the benchmark-nodes semaphore; a
deploy that no node can hold (requests larger than the largest benchmark node) would stay
`Unschedulable` until the run's deadline and keep every other run waiting. Argo has no
pending deadline for a pod, and a daemon's `activeDeadlineSeconds` would also end it while it
serves. So one short pod goes first: it asks for what the run's measure pods ask for together,
is placed like them (node selector, tolerations, the run's affinity rules), and exits at once.
Its template `timeout` (Argo fails a node still Pending past it, an Unschedulable pod included,
and the semaphore is released with the failed DAG) is `placement.schedule_timeout`, long enough
for an autoscaler to add a node. The exit handler explains the timeout with `NOTE`.
"""

from __future__ import annotations

from hera.workflows import Container, Resources

from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import common, placement, sizing

NAME = "reserve"
NOTE_ENV = "PERFBOT_RESERVE_NOTE"


def reserve_template(config: PerfbotConfig, job: JobConfig) -> Container:
    asked = sizing.measure_requests(job)
    return Container(
        name=NAME,
        image=config.perfbot_image,
        command=["true"],
        timeout=f"{job.placement.schedule_timeout}s",
        node_selector=common.node_selector(job.placement),
        tolerations=common.tolerations(job.placement),
        affinity=placement.measure_affinity(),
        labels=placement.measure_labels(),
        resources=Resources(cpu_request=asked.cpu, memory_request=asked.memory_text)
        if asked
        else None,
    )


def note(job: JobConfig) -> str:
    """What a timed-out reservation means, with the sizes: sent as the failure's message."""
    asked = sizing.measure_requests(job)
    capacity = job.placement.node_capacity
    largest = (
        f"the largest benchmark node holds {sizing.of(capacity).describe()}"
        if capacity is not None
        else "the largest benchmark node's capacity is not declared (placement.node_capacity)"
    )
    return (
        f"no benchmark node could take this run within {job.placement.schedule_timeout} s: "
        f"its measure pods ask for {asked.describe()} together ({sizing.what(job)}); {largest}. "
        "Check `kubectl describe node` for allocatable CPU and memory (docs/operations.md, sizing)"
    )
