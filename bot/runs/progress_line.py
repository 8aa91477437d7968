"""The one line that says where a run is: on the status reply and in the check run's summary.

`Running · step benchmark · Argo's progress 9/14 · benchmark round 4/10 head (7/20 sides) ·
about 6 min left`, or `Running · queued: waiting for a benchmark node (1 run ahead)`. The same
text everywhere the bot speaks of a run, so a reader never has to reconcile two accounts.

The time left comes from the benchmark's own pace once it has measured a side: the time since
the benchmark node started, per side done, times the sides left (compare and report take
seconds after it). Before that, Argo's `estimatedDuration` (the duration of an earlier run of
the same template) minus the time the run has taken so far, when Argo has one. A queued run
gets no estimate: its wait depends on runs the bot cannot see the end of.
"""

from __future__ import annotations

from datetime import datetime

from bot.github.markdown import text
from bot.runs.status import RunStatus
from workflows.local.selfreport import SIDES_PER_ROUND, about, side_running

SEPARATOR = " · "
QUEUED = "queued: waiting for a benchmark node"
QUEUE_PLACE = " ({ahead})"
NONE_AHEAD = "no run ahead"
ONE_AHEAD = "1 run ahead"
MANY_AHEAD = "{count} runs ahead"
STEP = "step {steps}"
ARGO_PROGRESS = "Argo's progress {done}/{total}"
BENCHMARK_ROUND = "benchmark round {round}/{rounds} {side} ({done}/{total} sides)"
BENCHMARK_DONE = "benchmark {done}/{total} sides done"
BENCHMARK_UNITS = "benchmark {done}/{total}"
MAX_STEPS = 3


def runs_ahead(count: int) -> str:
    if count == 0:
        return NONE_AHEAD
    return ONE_AHEAD if count == 1 else MANY_AHEAD.format(count=count)


def status_line(status: RunStatus, now: datetime, *, ahead: int | None = None) -> str:
    """`ahead`: the runs Argo serves before this one, when the queue could be read."""
    parts = [text(status.phase, 20)]  # prose, and a table cell in `/perf-bot status`
    queued = status.running and status.waiting_for is not None
    if queued:
        place = "" if ahead is None else QUEUE_PLACE.format(ahead=runs_ahead(ahead))
        parts.append(QUEUED + place)
    elif status.running and status.steps:
        steps = ", ".join(text(step, 63) for step in status.steps[:MAX_STEPS])
        parts.append(STEP.format(steps=steps))
    if status.progress is not None:
        parts.append(ARGO_PROGRESS.format(done=status.progress[0], total=status.progress[1]))
    if status.benchmark is not None and not queued:
        parts.append(benchmark_text(*status.benchmark))
    left = None if queued else seconds_left(status, now)
    if left is not None:
        parts.append(about(left))
    return SEPARATOR.join(parts)


def benchmark_text(done: int, total: int) -> str:
    """Rounds and side when the count is the driver's (sides, 2 per round); else `N/M`."""
    if total % SIDES_PER_ROUND:
        return BENCHMARK_UNITS.format(done=done, total=total)
    if done >= total:
        return BENCHMARK_DONE.format(done=done, total=total)
    round_, side = side_running(done)
    rounds = total // SIDES_PER_ROUND
    return BENCHMARK_ROUND.format(round=round_, rounds=rounds, side=side, done=done, total=total)


def seconds_left(status: RunStatus, now: datetime) -> float | None:
    if not status.running:
        return None
    if status.benchmark_running and status.benchmark and status.benchmark_started:
        done, total = status.benchmark
        if 0 < done < total:
            pace = (now - status.benchmark_started).total_seconds() / done
            return max(1.0, pace * (total - done))
    if status.estimated_duration and status.started:
        left = status.estimated_duration - (now - status.started).total_seconds()
        return left if left > 0 else None
    return None
