"""Noise from history on simulated histories: what the note says about quiet and noisy
benchmarks, with and without a real change.

For each benchmark kind (a quiet one, 1 % run-to-run drift of its level between main-branch
runs; a noisy one, 8 %), `--trials` times: 20 main-branch runs (each a real comparison by the
engine, its head's level drifting as the kind says), then a pull request whose head is the
last main level times 1 + `change` (0, 5 %, 15 %). Prints, per kind and change, how often the
verdict flags the PR, how often the note calls the change inside the usual band, and how often
a flagged change is marked "possibly noise" (flagged and inside the band of a noisy benchmark).

    python bench/history_noise.py [--trials 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from workflows.compare.engine import compare
from workflows.history.noise import FLAGGING, assess
from workflows.results import ResultSet, make_benchmark

KINDS = {"quiet": 0.01, "noisy": 0.08}
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


def trial(rng: np.random.Generator, drift: float, change: float) -> tuple[bool, bool, bool]:
    levels = [10.0]
    for _ in range(MAIN_RUNS):
        levels.append(levels[0] * np.exp(drift * rng.standard_normal()))
    heads = []
    for before, after in itertools.pairwise(levels):
        row = compare(side(rng, before, "base"), side(rng, after, "head")).benchmarks[0]
        heads.append(row.head.median)
    pr = compare(side(rng, levels[-1], "base"), side(rng, levels[-1] * (1 + change), "head"))
    row = pr.benchmarks[0]
    noise = assess(row.change, heads, pr.options.threshold)
    flagged = str(row.verdict) in FLAGGING
    inside = noise is not None and noise.inside
    return flagged, inside, flagged and inside and noise is not None and noise.noisy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=40)
    args = parser.parse_args()
    rng = np.random.default_rng(16)
    print(
        f"{'kind':<6} {'change':>6}  flagged  inside band  flagged+possibly noise",
        f"(n={args.trials})",
    )
    for kind, drift in KINDS.items():
        for change in CHANGES:
            results = np.array([trial(rng, drift, change) for _ in range(args.trials)])
            flagged, inside, noise = results.mean(axis=0) * 100
            print(f"{kind:<6} {change:>6.0%}  {flagged:6.0f} %  {inside:9.0f} %  {noise:14.0f} %")


if __name__ == "__main__":
    main()
