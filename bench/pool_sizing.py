"""How long a run waits for a benchmark node, by team size and pool size: sizing the pool.

Each run takes one whole benchmark node for its `measure` step (both deploys and the client,
no other run beside them) and the semaphore lets as many runs measure as there are nodes, so
the pool is N servers with one first-come-first-served queue (Argo grants a semaphore in
submission order). This simulates that queue over many working days:

- arrivals: `team x runs-per-person` runs per working day, a Poisson stream over the working
  hours of consecutive days (nights add nothing; a queue left at the end of the day drains
  overnight); each run is one of the config's jobs, chosen uniformly;
- how long a run holds its node, from the templates: the deploy's readiness budget (delay +
  period x failure threshold) plus the benchmark's `timeout`, the step's deadline. Real runs
  finish earlier; the share of the budget used is triangular between 20 % and 100 %, mode 40 %.
  When the first comparison flags a benchmark (`--flag-rate`, default 20 % of runs), the
  confirmation adds `--confirm-rounds` rounds per side at the job's per-round pace;
- an elastic pool (cluster-autoscaler, min 0, max N): a node idle for `--scale-down` seconds
  goes away, and a run that needs a node when none is left waits `--provision` seconds for a
  new one (a fixed pool is `--scale-down inf`).

Printed: per job what a node must hold and the measure budget, then the wait before measuring
starts (queue + node start) at p50 and p95, and the load on the pool.

    python bench/pool_sizing.py [--config examples/perfbot.yaml] [--days 250] [--seed 1]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from workflows.config import JobConfig, load_config

ROOT = Path(__file__).resolve().parent.parent
TEAMS = (5, 15, 40, 100)
POOLS = (1, 2, 4, 8, 16)
WORKDAY = 8 * 3600
DAY = 24 * 3600
# Arrivals come in 8 of 24 hours: above this load the queue outgrows every night's drain.
UNBOUNDED_LOAD = DAY / WORKDAY
# What Argo's init and wait containers ask for, per pod, when the controller's
# `executor.resources` is set as docs/operations.md recommends (requests = limits).
EXECUTOR_CPU, EXECUTOR_MEMORY_MI = 0.2, 512
SHARE_LOW, SHARE_MODE, SHARE_HIGH = 0.2, 0.4, 1.0


@dataclass(frozen=True)
class JobModel:
    name: str
    budget: float  # seconds a run may hold its node: readiness budget + benchmark timeout
    round_seconds: float  # one round of one side at the pace the timeout allows
    cpu: float
    memory_mi: float
    sized: bool  # every measured container has resources (else the node need is unknown)


def cpu_of(quantity: str) -> float:
    return float(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def mebibytes_of(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "Ti": 1024 * 1024, "M": 0.954, "G": 953.7}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return float(quantity[: -len(suffix)]) * factor
    return float(quantity) / (1024 * 1024)


def job_model(job: JobConfig) -> JobModel:
    bench = job.benchmark
    pods = [(bench.resources, 1)]
    startup = 0.0
    if job.deploy is not None:
        ready = job.deploy.readiness
        startup = ready.initial_delay_seconds + ready.period_seconds * ready.failure_threshold
        pods.append((job.deploy.resources, 2))
    cpu = sum((cpu_of(r.cpu) if r else 0.0) * n + EXECUTOR_CPU * n for r, n in pods)
    memory = sum(
        (mebibytes_of(r.memory) if r else 0.0) * n + EXECUTOR_MEMORY_MI * n for r, n in pods
    )
    return JobModel(
        name=job.name,
        budget=startup + bench.timeout,
        round_seconds=bench.timeout / (2 * bench.rounds),
        cpu=cpu,
        memory_mi=memory,
        sized=all(r is not None for r, _ in pods),
    )


def hold_seconds(job: JobModel, rng: random.Random, flag_rate: float, confirm_rounds: int) -> float:
    held = job.budget * rng.triangular(SHARE_LOW, SHARE_HIGH, SHARE_MODE)
    if rng.random() < flag_rate:
        held += 2 * confirm_rounds * job.round_seconds * rng.triangular(SHARE_LOW, 1, SHARE_MODE)
    return held


def arrivals(runs_per_day: float, days: int, rng: random.Random) -> list[float]:
    times = []
    for day in range(days):
        t = rng.expovariate(runs_per_day / WORKDAY)
        while t < WORKDAY:
            times.append(day * DAY + t)
            t += rng.expovariate(runs_per_day / WORKDAY)
    return times


def simulate(
    runs: list[tuple[float, float]], nodes: int, days: int, scale_down: float, provision: float
) -> tuple[list[float], float]:
    """FCFS over `nodes` servers that go away when idle; waits and load per working hour."""
    free_at = [-math.inf] * nodes  # a node never used counts as gone
    waits = []
    for arrival, held in runs:
        starts = []
        for free in free_at:
            if free > arrival:
                starts.append(free)  # busy now; still up when it frees
            elif arrival - free <= scale_down:
                starts.append(arrival)  # idle and still up
            else:
                starts.append(arrival + provision)  # gone: the autoscaler adds a node
        best = min(range(nodes), key=starts.__getitem__)
        waits.append(starts[best] - arrival)
        free_at[best] = starts[best] + held
    load = sum(held for _, held in runs) / (nodes * days * WORKDAY)
    return waits, load


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def minutes(seconds: float) -> str:
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 60:.0f} min" if seconds >= 60 else f"{seconds:.0f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "examples" / "perfbot.yaml")
    parser.add_argument("--days", type=int, default=250)
    parser.add_argument("--runs-per-person", type=float, default=1.5)
    parser.add_argument("--flag-rate", type=float, default=0.2)
    parser.add_argument("--confirm-rounds", type=int, default=5)
    parser.add_argument("--scale-down", type=float, default=600.0)
    parser.add_argument("--provision", type=float, default=240.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.days < 1 or not 0 <= args.flag_rate <= 1 or args.runs_per_person <= 0:
        parser.error("--days must be at least 1, --flag-rate in 0..1, --runs-per-person > 0")

    config = load_config(args.config)
    jobs = [job_model(job) for repo in config.repos.values() for job in repo.jobs.values()]
    print("what one benchmark node must hold for a run (both deploys, the client, Argo's")
    print("executor containers), and how long a run may hold it:")
    print(f"{'job':<20} {'cpu':>6} {'memory':>9} {'budget':>9} {'mean held':>10}")
    for job in jobs:
        mean = job.budget * (SHARE_LOW + SHARE_MODE + SHARE_HIGH) / 3
        cpu = f"{job.cpu:.1f}" if job.sized else "unset"
        memory = f"{job.memory_mi / 1024:.1f}Gi" if job.sized else "unset"
        print(f"{job.name:<20} {cpu:>6} {memory:>9} {minutes(job.budget):>9} {minutes(mean):>10}")
    print()
    print(
        f"wait before measuring starts (queue + node start), {args.days} working days, "
        f"{args.runs_per_person} runs per person and day, flag rate {args.flag_rate:.0%}, "
        f"scale-down {args.scale_down:.0f} s, node start {args.provision:.0f} s"
    )
    print(f"{'team':>5} {'runs/day':>9} {'nodes':>6} {'p50 wait':>9} {'p95 wait':>9} {'load':>6}")
    for team in TEAMS:
        rng = random.Random(args.seed * 1000 + team)
        times = arrivals(team * args.runs_per_person, args.days, rng)
        runs = [
            (t, hold_seconds(rng.choice(jobs), rng, args.flag_rate, args.confirm_rounds))
            for t in times
        ]
        for nodes in POOLS:
            waits, load = simulate(runs, nodes, args.days, args.scale_down, args.provision)
            if load >= UNBOUNDED_LOAD:
                p50 = p95 = "grows"
            else:
                p50, p95 = minutes(percentile(waits, 0.5)), minutes(percentile(waits, 0.95))
            print(
                f"{team:>5} {len(runs) / args.days:>9.0f} {nodes:>6} {p50:>9} {p95:>9} {load:>6.0%}"
            )
    print("\nload: node time the runs need per node and working hour (over 100 %: the queue")
    print(f"only drains after hours; from {UNBOUNDED_LOAD:.0%} on it grows from day to day)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
