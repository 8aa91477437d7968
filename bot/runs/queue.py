"""Runs waiting for a benchmark node, and how many of them are ahead of a given run.

The `measure` template holds the job's semaphore (a key of the semaphore ConfigMap whose value
is the number of benchmark nodes), so a run that finds every node taken waits at `measure`
while Argo holds it. Argo's controller names that semaphore's lock
`<namespace>/ConfigMap/<config map>/<key>` (v4.0.5, `workflow/sync/lock_name.go`) and writes it
into every waiting workflow's status (`bot.runs.status.waiting_for`). It serves waiters by
priority, then by creation time (`workflow/sync/semaphore.go`, `addToQueue`); perfbot sets no
priority, so the runs ahead of one are those waiting on the same lock that were created before
it. Any workflow of the namespace counts, perfbot's or not: they share the nodes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.runs.status import RunStatus, read
from workflows.argo import ArgoClient
from workflows.config import JobConfig, PerfbotConfig

_EPOCH = datetime.min.replace(tzinfo=UTC)


def lock_key(namespace: str, config: PerfbotConfig, job: JobConfig) -> str:
    """The lock Argo records for the job's semaphore (`lockName.String` of a ConfigMap key)."""
    return f"{namespace}/ConfigMap/{config.argo.semaphore_config_map}/{job.placement.semaphore}"


def waiting_runs(argo: ArgoClient) -> list[RunStatus]:
    """Every unfinished workflow of the namespace that waits for a lock (one listing)."""
    statuses = (read(workflow) for workflow in argo.list_workflows({}, running_only=True))
    return [status for status in statuses if status.waiting_for]


def ahead_of(run: RunStatus | None, key: str, queue: list[RunStatus]) -> int:
    """Runs waiting on `key` that Argo serves before `run`; all of them for a run not yet
    queued (`None`: one just submitted, which will queue behind every one waiting now)."""
    waiting = [other for other in queue if other.waiting_for == key]
    if run is None:
        return len(waiting)
    place = (run.created or _EPOCH, run.name)
    return sum(
        1
        for other in waiting
        if other.name != run.name and (other.created or _EPOCH, other.name) < place
    )
