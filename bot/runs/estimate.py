"""How long a run should take, said when it starts: from earlier runs, and from the job's limits.

The limits are certain and the history is telling, so the acknowledgement gives both when it
can. The limits (`workflows/config.py`): both sides build at once, each within `build.timeout`;
both deploys start at once and are given up after their readiness probe's initial delay plus
`period_seconds` × `failure_threshold`; all rounds together run within `benchmark.timeout`;
the whole workflow within the job's `deadline`. Their sum, capped by the deadline, is the
longest a run can take.

The history is the job's earlier runs that Argo still keeps (finished workflows with the
repository's and the job's labels): the median duration of the newest few that succeeded. A
run with more or fewer rounds than those takes longer or shorter in its benchmark, so each
earlier run's benchmark time (its node's start and finish) is scaled by the ratio of rounds
(the node's progress `N/M` holds `M` = 2 × its rounds); the rest (builds, deploys, compare) is
taken as it was.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass
from typing import Any

from bot.runs.queue import ahead_of, lock_key, waiting_runs
from bot.runs.status import is_benchmark, nodes_of, timestamp
from workflows.argo import ArgoClient, ArgoError, WorkflowSummary
from workflows.config import JobConfig, PerfbotConfig
from workflows.labels import JOB, REPO, label_value, repo_label
from workflows.local.selfreport import SIDES_PER_ROUND, about, parse

log = logging.getLogger(__name__)

HISTORY_RUNS = 5  # the newest succeeded runs the median is taken over

TYPICAL = "It should take about {typical} ({earlier}{scaled})"
EARLIER_ONE = "as this job's last run did"
EARLIER_MANY = "the median of this job's last {count} runs"
SCALED = ", scaled to {rounds} rounds"
BOUNDED = ", and at most {limit}: {parts}."
ONLY_LIMIT = "It should take at most {limit}: {parts} (no earlier run of this job to go by)."
BUILDS = "builds up to {time}"
DEPLOYS = "deploys up to {time}"
ROUNDS = "{rounds} rounds per side up to {time}"
DEADLINE = "the job's deadline is {time}"
AHEAD = " {ahead} waiting for a benchmark node ahead of it."
ONE_AHEAD = "1 run is"
MANY_AHEAD = "{count} runs are"


@dataclass(frozen=True)
class Estimate:
    limit: float  # seconds, the longest the job's limits allow
    parts: tuple[str, ...]  # what the limit is made of, for the reader
    typical: float | None = None  # seconds, from earlier runs
    history: int = 0  # how many earlier runs
    scaled: bool = False  # their benchmark time was scaled to this run's rounds

    def sentence(self, rounds: int, ahead: int = 0) -> str:
        parts = ", ".join(self.parts)
        limit = spoken(self.limit)
        if self.typical is None:
            text = ONLY_LIMIT.format(limit=limit, parts=parts)
        else:
            text = TYPICAL.format(
                typical=spoken(self.typical),
                earlier=EARLIER_ONE
                if self.history == 1
                else EARLIER_MANY.format(count=self.history),
                scaled=SCALED.format(rounds=rounds) if self.scaled else "",
            ) + BOUNDED.format(limit=limit, parts=parts)
        if ahead > 0:
            count = ONE_AHEAD if ahead == 1 else MANY_AHEAD.format(count=ahead)
            text += AHEAD.format(ahead=count)
        return text


def spoken(seconds: float) -> str:
    """`1 h 30 min`: the local progress display's rounding, without its `about` and `left`."""
    return about(seconds).removeprefix("about ").removesuffix(" left")


def estimate(job: JobConfig, rounds: int, history: list[WorkflowSummary]) -> Estimate:
    limit, parts = limits(job, rounds)
    durations = [d for d in (_duration(run, rounds) for run in _newest_succeeded(history)) if d]
    if not durations:
        return Estimate(limit, parts)
    typical = statistics.median(seconds for seconds, _ in durations)
    scaled = any(was_scaled for _, was_scaled in durations)
    return Estimate(limit, parts, min(typical, limit), len(durations), scaled)


def limits(job: JobConfig, rounds: int) -> tuple[float, tuple[str, ...]]:
    total = float(job.build.timeout)
    parts = [BUILDS.format(time=spoken(job.build.timeout))]
    if job.deploy is not None:
        ready = job.deploy.readiness
        deploy = ready.initial_delay_seconds + ready.period_seconds * ready.failure_threshold
        total += deploy
        parts.append(DEPLOYS.format(time=spoken(deploy)))
    total += job.benchmark.timeout
    parts.append(ROUNDS.format(rounds=rounds, time=spoken(job.benchmark.timeout)))
    if job.deadline < total:
        total = float(job.deadline)
        parts.append(DEADLINE.format(time=spoken(job.deadline)))
    return total, tuple(parts)


def _newest_succeeded(history: list[WorkflowSummary]) -> list[WorkflowSummary]:
    done = [run for run in history if run.phase == "Succeeded"]
    done.sort(key=lambda run: run.created, reverse=True)  # RFC 3339 in UTC sorts as text
    return done[:HISTORY_RUNS]


def _duration(run: WorkflowSummary, rounds: int) -> tuple[float, bool] | None:
    """(seconds, scaled) of a finished run, its benchmark scaled to `rounds`; None if unknown."""
    started = timestamp(run.status.get("startedAt"))
    finished = timestamp(run.status.get("finishedAt"))
    if started is None or finished is None or finished <= started:
        return None
    total = (finished - started).total_seconds()
    node = _benchmark_node(run)
    if node is None:
        return total, False
    begun, ended = timestamp(node.get("startedAt")), timestamp(node.get("finishedAt"))
    progress = parse(str(node.get("progress") or ""))
    if begun is None or ended is None or progress is None or progress[1] % SIDES_PER_ROUND:
        return total, False
    then = progress[1] // SIDES_PER_ROUND
    if then == rounds:
        return total, False
    bench = (ended - begun).total_seconds()
    return total - bench + bench * rounds / then, True


def _benchmark_node(run: WorkflowSummary) -> dict[str, Any] | None:
    nodes = nodes_of(run.status).values()
    return next((n for n in nodes if isinstance(n, dict) and is_benchmark(n)), None)


def for_start(
    argo: ArgoClient, config: PerfbotConfig, repo: str, job: JobConfig, rounds: int
) -> str:
    """The acknowledgement's sentence. Two listings of the Argo Server (this job's earlier runs;
    the runs waiting for a node); one that fails only leaves its part out."""
    history: list[WorkflowSummary] = []
    this_job = {REPO: repo_label(repo), JOB: label_value(job.name)}
    try:
        history = argo.list_workflows(this_job, running_only=False)
    except ArgoError as exc:
        log.warning("no earlier runs of %s to estimate from: %s", job.name, exc)
    ahead = 0
    try:
        ahead = ahead_of(None, lock_key(argo.namespace, config, job), waiting_runs(argo))
    except ArgoError as exc:
        log.warning("could not list the runs waiting for a benchmark node: %s", exc)
    return estimate(job, rounds, history).sentence(rounds, ahead)
