"""Noise from history on simulated histories: what the note says about quiet and noisy
benchmarks, with and without a real change.

Three kinds of benchmark, each with 20 main-branch runs (real comparisons by the engine, 8
rounds of 5 samples a side) and then a pull request whose head is `change` (0, 5 %, 15 %)
slower than its base:
- quiet: each build of unrelated code is within 1 % of the last (code layout barely matters);
- drifting: builds are alike, but the machine's level drifts 8 % from run to run (another
  node, another day); within a run both sides share it, as the interleaved rounds do;
- layout-noisy: each build of unrelated code lands 6 % off the last (alignment, code layout):
  main-branch runs really do report changes of that size with no relevant change to the code.
Prints how often the verdict flags the PR, how often the note calls the change inside the
usual band, and how often a flagged change is marked "possibly noise". The band is right when
it stays tight for the drifting kind and wide for the layout-noisy one.

    python bench/history_noise.py [--trials 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflows.compare.engine import compare
from workflows.history.noise import FLAGGING, assess
from workflows.results import ResultSet, make_benchmark

KINDS = {"quiet": (0.01, 0.0), "drifting": (0.0, 0.08), "layout-noisy": (0.06, 0.0)}
CHANGES = (0.0, 0.05, 0.15)
MAIN_RUNS = 20
ROUNDS = 8


def side(rng: np.random.Generator, level: float, name: str) -> ResultSet:
    samples, rounds = [], []
    for number in range(1, ROUNDS + 1):
        shift = level * np.exp(0.01 * rng.standard_normal())  # a round's machine state
        samples += (shift * np.exp(0.01 * rng.standard_normal(5))).tolist()
        rounds += [number] * 5
    return ResultSet.build(
        name, "perfbot", [make_benchmark("b", "ms", samples=samples, rounds=rounds)]
    )


def trial(
    rng: np.random.Generator, kind: tuple[float, float], change: float
) -> tuple[bool, bool, bool]:
    layout, drift = kind
    build = 10.0  # the level of the newest main-branch build
    changes = []
    for _ in range(MAIN_RUNS):
        machine = float(np.exp(drift * rng.standard_normal()))  # this run's node and day
        after = build * float(np.exp(layout * rng.standard_normal()))
        row = compare(side(rng, build * machine, "base"), side(rng, after * machine, "head"))
        changes.append(row.benchmarks[0].change)
        build = after
    machine = float(np.exp(drift * rng.standard_normal()))
    pr = compare(
        side(rng, build * machine, "base"), side(rng, build * machine * (1 + change), "head")
    )
    row = pr.benchmarks[0]
    noise = assess(row.change, changes, pr.options.threshold)
    flagged = str(row.verdict) in FLAGGING
    inside = noise is not None and noise.inside
    return flagged, inside, flagged and inside and noise is not None and noise.noisy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    args = parser.parse_args()
    rng = np.random.default_rng(16)
    print(
        f"{'kind':<12} {'change':>6}  flagged  inside band  flagged+possibly noise",
        f"(n={args.trials})",
    )
    for name, kind in KINDS.items():
        for change in CHANGES:
            results = np.array([trial(rng, kind, change) for _ in range(args.trials)])
            flagged, inside, noise = results.mean(axis=0) * 100
            print(f"{name:<12} {change:>6.0%}  {flagged:6.0f} %  {inside:9.0f} %  {noise:14.0f} %")


if __name__ == "__main__":
    main()
