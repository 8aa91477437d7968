"""False alarms on suites whose benchmarks are bimodal per process, at 1, 3 and 5 processes a round.

Some benchmarks run in one of two modes depending on the process (code layout, heap addresses,
JIT decisions): a process draws the slow mode at random, and every bimodal benchmark of that
process is in it together, since they share the process. Simulated here: suites of 20
benchmarks, 10 of them bimodal (the slow mode 30-70 % slower), measured as the driver measures
them: R rounds, both sides each round, P fresh processes per side and round, S samples a
process. Noise besides the modes: lognormal sample noise (CV 1-3 %), a round effect shared by
both sides (2 %) and a small effect of each process (0.5 %).

Rows: A/A suites (the same code on both sides) with the slow mode drawn by half the processes or
by a fifth; A/B suites where 3 unimodal and 2 bimodal benchmarks got 10 % slower. Columns, at
each number of processes a round: `perfbot`, the engine (a round's value is the mean of its
processes' log medians); `median`, the same engine with a round's value the median of its
processes' medians instead (the alternative the design weighed). Figures: A/A, the share of
suites with any alarm (target: at most 1 %) and of bimodal benchmarks the report called
multimodal; A/B, the share of real changes found with the right sign.
Only the first comparison is simulated, not the confirmation run (docs/config.md).

    python bench/process_modes.py [--suites N] [--seed S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from workflows.compare import Verdict, compare, estimates
from workflows.results import ResultSet, make_benchmark

BENCHMARKS = 20
BIMODAL = 10
GAP = (0.3, 0.7)
CV = (0.01, 0.03)
ROUND_EFFECT = 0.02
PROCESS_EFFECT = 0.005
ROUNDS = 10
SAMPLES = 5
PROCESSES = (1, 3, 5)
CHANGE = 1.10
CHANGED_UNIMODAL = 3
CHANGED_BIMODAL = 2


@dataclass(frozen=True)
class Shape:
    title: str
    slow_share: float  # the chance that a process draws the slow mode
    changed: bool = False


SHAPES = (
    Shape("A/A, slow mode in 1 of 2 processes", 0.5),
    Shape("A/A, slow mode in 1 of 5 processes", 0.2),
    Shape("A/B, 5 of 20 benchmarks +10 %, 1 of 2 slow", 0.5, changed=True),
)


@dataclass(frozen=True)
class Suite:
    base: ResultSet
    head: ResultSet
    truth: dict[str, int]  # +1: slowed
    bimodal: frozenset[str]


def make_suite(rng: np.random.Generator, shape: Shape, processes: int) -> Suite:
    names = [f"b{i:02d}" for i in range(BENCHMARKS)]
    center = np.exp(rng.uniform(np.log(1e-6), np.log(1e-2), BENCHMARKS))
    gap = np.zeros(BENCHMARKS)
    gap[:BIMODAL] = rng.uniform(*GAP, BIMODAL)
    cv = rng.uniform(*CV, BENCHMARKS)
    factor = np.ones(BENCHMARKS)
    if shape.changed:
        factor[BIMODAL : BIMODAL + CHANGED_UNIMODAL] = CHANGE
        factor[:CHANGED_BIMODAL] = CHANGE
    round_effect = ROUND_EFFECT * rng.standard_normal((ROUNDS, BENCHMARKS))
    sides = []
    for side in ("base", "head"):
        samples: dict[str, list[float]] = {n: [] for n in names}
        rounds: list[int] = []
        process_of: list[int] = []
        for r in range(ROUNDS):
            for p in range(processes):
                slow = rng.random() < shape.slow_share  # one draw for the whole process
                level = np.log(center) + round_effect[r] + np.log1p(gap) * slow
                level += PROCESS_EFFECT * rng.standard_normal(BENCHMARKS)
                if side == "head":
                    level += np.log(factor)
                noise = cv[:, None] * rng.standard_normal((BENCHMARKS, SAMPLES))
                values = np.exp(level[:, None] + noise)
                for i, name in enumerate(names):
                    samples[name] += values[i].tolist()
                rounds += [r + 1] * SAMPLES
                process_of += [p + 1] * SAMPLES
        several = processes > 1
        benchmarks = [
            make_benchmark(
                n, "s", samples=v, rounds=rounds, processes=process_of if several else ()
            )
            for n, v in samples.items()
        ]
        manifest = [{"round": r, "position": 1 if (r % 2) == (side == "base") else 2}
                    for r in range(1, ROUNDS + 1)]  # fmt: skip
        sides.append(ResultSet.build(side, "perfbot", benchmarks, {"rounds": manifest}))
    truth = {n: int(f > 1) for n, f in zip(names, factor, strict=True)}
    return Suite(sides[0], sides[1], truth, frozenset(names[:BIMODAL]))


def _median_of_processes(medians: dict[tuple[int, int], float]) -> dict[int, float]:
    by_round: dict[int, list[float]] = {}
    for (round_number, _), value in medians.items():
        by_round.setdefault(round_number, []).append(value)
    return {r: float(np.median(values)) for r, values in sorted(by_round.items())}


@contextmanager
def round_value(summary: Callable[[dict[tuple[int, int], float]], dict[int, float]] | None):
    """The engine with another per-round summary of the processes (None: its own)."""
    own = estimates._round_values
    if summary is not None:
        estimates._round_values = summary
    try:
        yield
    finally:
        estimates._round_values = own


VARIANTS = {"perfbot": None, "median": _median_of_processes}


@dataclass
class Tally:
    suites: int = 0
    with_alarm: int = 0
    changes: int = 0
    found: int = 0
    bimodal: int = 0
    called_multimodal: int = 0
    needed: list[int] | None = None

    def add(self, suite: Suite, rows: list) -> None:
        self.suites += 1
        verdicts = {row.name: row.verdict for row in rows}
        wrong = [n for n, v in verdicts.items() if v.is_change and not suite.truth[n]]
        self.with_alarm += bool(wrong)
        for name, slowed in suite.truth.items():
            if slowed:
                self.changes += 1
                self.found += verdicts[name] is Verdict.REGRESSED
        self.needed = self.needed or []
        for row in rows:
            if row.name in suite.bimodal:
                self.bimodal += 1
                self.called_multimodal += row.modes is not None
                if row.modes is not None and row.modes.needed is not None:
                    self.needed.append(row.modes.needed)


def pct(value: float) -> str:
    return f"{value * 100:5.1f} %"


def run(shape: Shape, processes: int, suites: int, seed: int) -> dict[str, Tally]:
    tallies = {name: Tally() for name in VARIANTS}
    rng = np.random.default_rng([seed, processes, SHAPES.index(shape)])
    for _ in range(suites):
        suite = make_suite(rng, shape, processes)
        for name, summary in VARIANTS.items():
            with round_value(summary):
                rows = list(compare(suite.base, suite.head).benchmarks)
            tallies[name].add(suite, rows)
    return tallies


def table(suites: int, seed: int) -> Iterator[str]:
    yield (
        f"{suites} suites a cell; {BENCHMARKS} benchmarks ({BIMODAL} bimodal), {ROUNDS} rounds, "
        f"{SAMPLES} samples a process"
    )
    columns = [f"{name} @{p}" for p in PROCESSES for name in VARIANTS]
    yield "| suites | " + " | ".join(columns) + " |"
    yield "|---" * (len(columns) + 1) + "|"
    for shape in SHAPES:
        cells, multimodal, needed = [], [], []
        for p in PROCESSES:
            found = run(shape, p, suites, seed)
            for name in VARIANTS:
                t = found[name]
                share = t.found / t.changes if shape.changed else t.with_alarm / t.suites
                cells.append(pct(share))
            own = found["perfbot"]
            multimodal.append(f"@{p}: {pct(own.called_multimodal / own.bimodal).strip()}")
            if own.needed:
                needed.append(f"@{p}: {int(np.median(own.needed))}")
        what = "changes found" if shape.changed else "suites with an alarm"
        yield f"| {shape.title} ({what}) | " + " | ".join(cells) + " |"
        yield f"|   bimodal benchmarks called multimodal: {', '.join(multimodal)}"
        yield f"|   median processes a round it asked for: {', '.join(needed) or 'none'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", type=int, default=200, help="suites per cell")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    started = time.perf_counter()
    for line in table(args.suites, args.seed):
        print(line, flush=True)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
