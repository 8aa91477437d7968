"""Change points on simulated main-branch histories: steps found, false change points, and how
far a found point is from the commit that really moved main.

Each trial is one benchmark's history of `--runs` main-branch runs (one head median a run)
with two real steps at random commits (at least 20 runs apart and 15 from either end), each of
a size drawn from 3, 5, 10 and 20 % with a random sign, on one of these kinds of history:
- quiet: runs within 1 % of each other (lognormal);
- noisy: 2.5 % run to run (another node, another day, code layout);
- drifting: 1 % noise on a level that wanders ±5 % over a hundred runs (a slowly changing
  machine pool or dependency), which is no step at any commit;
- outliers: 1 % noise, and 3 % of runs land 20-100 % slow (a noisy neighbour, a GC storm).
A found point within 5 runs of a true step is a hit (each true step matched once); any other
is a false change point. Printed per implementation and kind: the share of steps found by
size, false change points per 1,000 runs, the share of hits at exactly the right commit and
the mean distance of hits from it, and the time per series.

    python bench/change_points.py [--trials 30] [--runs 200]

perfbot's own E-Divisive always runs. Apache Otava and MongoDB's signal-processing-algorithms
are compared when importable; they cannot share perfbot's environment (their numpy and scipy
pins conflict with the image's lock), so give each a scratch virtual environment, e.g.
`python -m venv otava-venv && otava-venv/bin/pip install apache-otava scipy`, and run this
script with that interpreter: it needs only numpy and scipy from perfbot.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflows.changepoints.detect import change_points

SIZES = (0.03, 0.05, 0.10, 0.20)
TOLERANCE = 5
KINDS = ("quiet", "noisy", "drifting", "outliers")


@dataclass(frozen=True)
class SimPoint:
    """What `change_points` reads of a stored Point (the store itself needs SQLAlchemy)."""

    run_id: int
    head_sha: str
    recorded_at: datetime
    value: float | None
    change: float | None
    verdict: str
    unit: str


def history(rng: np.random.Generator, kind: str, runs: int) -> tuple[np.ndarray, dict[int, float]]:
    """Values (seconds) and the true steps {first run at the new level: relative size}."""
    noise = 0.025 if kind == "noisy" else 0.01
    logs = np.log(0.01) + noise * rng.standard_normal(runs)
    if kind == "drifting":
        phase = rng.uniform(0, 2 * np.pi)
        logs += np.log1p(0.05) * np.sin(phase + 2 * np.pi * np.arange(runs) / 100)
    if kind == "outliers":
        slow = rng.random(runs) < 0.03
        logs[slow] += np.log1p(rng.uniform(0.2, 1.0, slow.sum()))
    while True:
        where = np.sort(rng.choice(np.arange(15, runs - 15), size=2, replace=False))
        if where[1] - where[0] >= 20:
            break
    steps = {int(i): float(rng.choice(SIZES) * rng.choice([-1, 1])) for i in where}
    for index, size in steps.items():
        logs[index:] += np.log1p(size)
    return np.exp(logs), steps


def perfbot(values: np.ndarray) -> list[int]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [
        SimPoint(i, f"{i:040x}", start, float(v), None, "", "s") for i, v in enumerate(values)
    ]
    return [int(c.run_id) for c in change_points("b", points)]


def implementations() -> dict[str, Callable[[np.ndarray], list[int]]]:
    found: dict[str, Callable[[np.ndarray], list[int]]] = {"perfbot": perfbot}
    try:
        from otava.analysis import compute_change_points
    except ImportError:
        pass
    else:

        def otava(values: np.ndarray) -> list[int]:
            points, _ = compute_change_points(list(values), max_pvalue=0.001)
            return [p.index for p in points]

        def otava_2pct(values: np.ndarray) -> list[int]:
            points, _ = compute_change_points(list(values), max_pvalue=0.001, min_magnitude=0.02)
            return [p.index for p in points]

        found["otava"] = otava
        found["otava min 2 %"] = otava_2pct
    try:
        from signal_processing_algorithms.energy_statistics.energy_statistics import e_divisive
    except ImportError:
        pass
    else:
        found["mongodb spa"] = lambda values: list(
            e_divisive(np.log(values), pvalue=0.01, permutations=100)
        )
    return found


@dataclass
class Tally:
    steps: dict[float, list[bool]]
    errors: list[int]
    false: int = 0
    runs: int = 0
    seconds: float = 0.0
    series: int = 0


def score(tally: Tally, true: dict[int, float], found: list[int]) -> None:
    unmatched = sorted(found)
    for index, size in sorted(true.items()):
        near = [f for f in unmatched if abs(f - index) <= TOLERANCE]
        hit = min(near, key=lambda f: abs(f - index)) if near else None
        tally.steps.setdefault(abs(size), []).append(hit is not None)
        if hit is not None:
            tally.errors.append(abs(hit - index))
            unmatched.remove(hit)
    tally.false += len(unmatched)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    found = implementations()
    print(f"{args.trials} histories of {args.runs} runs a kind, 2 steps each; hit = within ±5 runs")
    header = " | ".join(f"{s:.0%} found" for s in SIZES)
    print(
        f"| implementation | kind | {header} | false per 1,000 runs | exact | mean error "
        "| s/series |"
    )
    print("|" + " --- |" * (7 + len(SIZES) - 1))
    for name, detect in found.items():
        for kind in KINDS:
            rng = np.random.default_rng(2029)  # every implementation sees the same histories
            tally = Tally({}, [])
            for _ in range(args.trials):
                values, true = history(rng, kind, args.runs)
                began = time.perf_counter()
                result = detect(values)
                tally.seconds += time.perf_counter() - began
                tally.series += 1
                tally.runs += args.runs
                score(tally, true, result)
            shares = " | ".join(
                f"{np.mean(tally.steps[s]):.0%} of {len(tally.steps[s])}"
                if s in tally.steps
                else "—"
                for s in SIZES
            )
            exact = np.mean([e == 0 for e in tally.errors]) if tally.errors else float("nan")
            error = np.mean(tally.errors) if tally.errors else float("nan")
            print(
                f"| {name} | {kind} | {shares} | {1000 * tally.false / tally.runs:.1f} | "
                f"{exact:.0%} | {error:.2f} | {tally.seconds / tally.series:.2f} |"
            )


if __name__ == "__main__":
    main()
