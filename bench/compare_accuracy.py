"""How often perfbot's verdicts are wrong, on suites where the truth is known; and how fast.

Simulated suites of 40 benchmarks, 10 samples a side, lognormal noise with a CV drawn from
1-3 % per benchmark, and a few slow outliers (each sample slowed 1.3-3x with probability 0.5 %,
about four per suite), as a busy CI machine produces:
- A/A: nothing changed. Figure: share of suites with ANY alarm (regressed or improved).
- A/B: 4 benchmarks slowed and 4 sped up by 6-10 %. Figure: share of those 8 found with the
  right sign, and false alarms among the other 32.
Extra rows show the harder cases honestly: a single change per suite (the suite-wise
correction then has no other discoveries to lean on), and a busier machine (3 % outliers).

Side by side on the same data: perfbot (its engine, `workflows.compare.compare`, defaults),
a per-benchmark Mann-Whitney U test at alpha 0.05 with no suite-wise correction, and "mean
changed by more than 5 %". A sweep of threshold and alpha (the engine's own `decide` on the
same comparisons) shows where the defaults come from. Last, `perfbot compare` is timed as a
whole command (process start and scipy import included) on a 40-benchmark pair.

    python bench/compare_accuracy.py [--suites N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workflows.compare import CompareOptions, Comparison, Verdict, compare, decide
from workflows.results import ResultSet, make_benchmark

BENCHMARKS = 40
SAMPLES = 10
CV = (0.01, 0.03)
OUTLIER_RATE = 0.005
OUTLIER_SLOWDOWN = (1.3, 3.0)
CHANGE = (0.06, 0.10)
REGRESSIONS = IMPROVEMENTS = 4
MEAN_BASELINE = 0.05
U_BASELINE = 0.05
THRESHOLDS = (0.02, 0.03, 0.04, 0.05, 0.06)
ALPHAS = (0.01, 0.02, 0.05)
TARGET_FALSE_ALARMS = 0.01
TARGET_DETECTION = 0.98


@dataclass
class Suite:
    base: ResultSet
    head: ResultSet
    truth: dict[str, int]  # name -> +1 slowed, -1 sped up, 0 unchanged


def make_suite(
    rng: np.random.Generator, regressions: int, improvements: int, outlier_rate: float
) -> Suite:
    names = [f"query-{i:02d}" for i in range(BENCHMARKS)]
    center = np.exp(rng.uniform(np.log(1e-5), np.log(1.0), BENCHMARKS))  # 10 µs to 1 s
    sigma = np.sqrt(np.log1p(rng.uniform(*CV, BENCHMARKS) ** 2))
    factor = np.ones(BENCHMARKS)
    truth = np.zeros(BENCHMARKS, dtype=int)
    chosen = rng.choice(BENCHMARKS, regressions + improvements, replace=False)
    size = rng.uniform(*CHANGE, chosen.size)
    factor[chosen[:regressions]] = 1 + size[:regressions]
    factor[chosen[regressions:]] = 1 - size[regressions:]
    truth[chosen[:regressions]] = 1
    truth[chosen[regressions:]] = -1

    def side(scale: np.ndarray, label: str) -> ResultSet:
        values = scale[:, None] * np.exp(
            sigma[:, None] * rng.standard_normal((BENCHMARKS, SAMPLES))
        )
        slow = rng.random(values.shape) < outlier_rate
        values[slow] *= rng.uniform(*OUTLIER_SLOWDOWN, int(slow.sum()))
        return ResultSet.build(
            label,
            "perfbot",
            [make_benchmark(n, "s", samples=v) for n, v in zip(names, values, strict=True)],
        )

    return Suite(
        side(center, "base"),
        side(center * factor, "head"),
        dict(zip(names, truth.tolist(), strict=True)),
    )


@dataclass
class Tally:
    """Alarms of one method over many suites."""

    suites: int = 0
    suites_with_alarm: int = 0
    changes: int = 0
    found: int = 0
    unchanged: int = 0
    false_alarms: int = 0

    def add(self, truth: dict[str, int], alarms: dict[str, int]) -> None:
        self.suites += 1
        self.suites_with_alarm += any(alarms[name] and not truth[name] for name in truth)
        for name, sign in truth.items():
            if sign:
                self.changes += 1
                self.found += alarms[name] == sign
            else:
                self.unchanged += 1
                self.false_alarms += alarms[name] != 0

    @property
    def any_alarm(self) -> float:
        return self.suites_with_alarm / self.suites

    @property
    def detection(self) -> float:
        return self.found / self.changes if self.changes else float("nan")

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.unchanged


SIGN = {Verdict.REGRESSED: 1, Verdict.IMPROVED: -1}


def perfbot_alarms(comparison: Comparison, options: CompareOptions) -> dict[str, int]:
    return {
        row.name: SIGN.get(decide(row.change, row.p_adjusted, row.direction, options), 0)
        for row in comparison.benchmarks
    }


def u_test_alarms(comparison: Comparison) -> dict[str, int]:
    """The same U test per benchmark at 0.05, no suite-wise correction, no threshold."""
    return {
        row.name: int(np.sign(row.change))
        if row.p_value is not None and row.p_value < U_BASELINE
        else 0
        for row in comparison.benchmarks
    }


def mean_alarms(suite: Suite) -> dict[str, int]:
    found = {}
    for name, bench in suite.base.benchmarks.items():
        change = np.mean(suite.head.benchmarks[name].samples) / np.mean(bench.samples) - 1
        found[name] = int(np.sign(change)) if abs(change) > MEAN_BASELINE else 0
    return found


@dataclass
class Scenario:
    title: str
    regressions: int
    improvements: int
    outlier_rate: float
    comparisons: list[tuple[Suite, Comparison]] = field(default_factory=list)
    baselines: dict[str, Tally] = field(default_factory=dict)
    seconds: float = 0.0


def run(scenario: Scenario, suites: int, rng: np.random.Generator) -> Scenario:
    for _ in range(suites):
        suite = make_suite(rng, scenario.regressions, scenario.improvements, scenario.outlier_rate)
        start = time.perf_counter()
        comparison = compare(suite.base, suite.head)
        scenario.seconds += time.perf_counter() - start
        scenario.comparisons.append((suite, comparison))
    scenario.baselines = {"U test 0.05": Tally(), "mean > 5 %": Tally()}
    for suite, comparison in scenario.comparisons:
        scenario.baselines["U test 0.05"].add(suite.truth, u_test_alarms(comparison))
        scenario.baselines["mean > 5 %"].add(suite.truth, mean_alarms(suite))
    return scenario


def perfbot_tally(scenario: Scenario, options: CompareOptions) -> Tally:
    tally = Tally()
    for suite, comparison in scenario.comparisons:
        tally.add(suite.truth, perfbot_alarms(comparison, options))
    return tally


def tallies(scenario: Scenario, options: CompareOptions) -> dict[str, Tally]:
    return {"perfbot": perfbot_tally(scenario, options), **scenario.baselines}


def pct(value: float) -> str:
    return "   –  " if value != value else f"{value * 100:5.1f} %"


def print_main(null: Scenario, changed: list[Scenario], options: CompareOptions) -> None:
    methods = list(tallies(null, options))
    print(f"{'':44}" + "".join(f"{m:>14}" for m in methods))
    null_t = tallies(null, options)
    print(
        f"{null.title + ': suites with any alarm':44}"
        + "".join(f"{pct(null_t[m].any_alarm):>14}" for m in methods)
    )
    for scenario in changed:
        t = tallies(scenario, options)
        print(
            f"{scenario.title + ': changes found, right sign':44}"
            + "".join(f"{pct(t[m].detection):>14}" for m in methods)
        )
        print(
            f"{'  false alarms among unchanged benchmarks':44}"
            + "".join(f"{pct(t[m].false_alarm_rate):>14}" for m in methods)
        )


def print_sweep(null: Scenario, changed: Scenario) -> None:
    print(f"\n{'threshold':>10} {'alpha':>6} {'A/A any alarm':>14} {'A/B found':>10}")
    defaults = CompareOptions()
    grid = [(t, defaults.alpha) for t in THRESHOLDS] + [
        (defaults.threshold, a) for a in ALPHAS if a != defaults.alpha
    ]
    for threshold, alpha in grid:
        options = CompareOptions(threshold=threshold, alpha=alpha)
        fa = perfbot_tally(null, options).any_alarm
        found = perfbot_tally(changed, options).detection
        mark = "  <- default" if options == defaults else ""
        print(f"{threshold:>10.2f} {alpha:>6.2f} {pct(fa):>14} {pct(found):>10}{mark}")


def write_pair(root: Path, rng: np.random.Generator) -> tuple[Path, Path]:
    """A 40-benchmark pair as the pipeline writes it: 10 round files a side, one sample each."""
    suite = make_suite(rng, REGRESSIONS, IMPROVEMENTS, OUTLIER_RATE)
    sides = []
    for label, results in (("base", suite.base), ("head", suite.head)):
        directory = root / label
        directory.mkdir()
        for round_ in range(SAMPLES):
            rows = [
                {"name": b.name, "unit": "s", "direction": "lower", "samples": [b.samples[round_]]}
                for b in results.benchmarks.values()
            ]
            (directory / f"round-{round_ + 1:03d}.json").write_text(
                json.dumps({"benchmarks": rows})
            )
        sides.append(directory)
    return sides[0], sides[1]


def perfbot_command() -> list[str]:
    script = Path(sys.executable).with_name("perfbot")
    if script.exists():
        return [str(script)]
    found = shutil.which("perfbot")
    if found is None:
        raise SystemExit("perfbot is not installed in this environment (pip install -e .)")
    return [found]


def time_command(rng: np.random.Generator, runs: int = 5) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        base, head = write_pair(Path(tmp), rng)
        for report in ("text", "json"):
            argv = [*perfbot_command(), "compare", str(base), str(head), "--format", report]
            seconds = []
            for _ in range(runs):
                start = time.perf_counter()
                subprocess.run(argv, check=True, capture_output=True)
                seconds.append(time.perf_counter() - start)
            yield (
                f"perfbot compare --format {report:8} (40 benchmarks, 2 x 10 round files): "
                f"median {statistics.median(seconds):.3f} s, min {min(seconds):.3f} s, "
                f"max {max(seconds):.3f} s over {runs} runs"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", type=int, default=400, help="A/B suites (A/A: twice as many)")
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    options = CompareOptions()
    extra = max(args.suites // 2, 1)

    null = run(Scenario("A/A", 0, 0, OUTLIER_RATE), args.suites * 2, rng)
    changed = run(Scenario("A/B", REGRESSIONS, IMPROVEMENTS, OUTLIER_RATE), args.suites, rng)
    single = run(Scenario("A/B, one change", 1, 0, OUTLIER_RATE), extra * 2, rng)
    busy_null = run(Scenario("A/A, 3 % outliers", 0, 0, 0.03), extra, rng)
    busy = run(Scenario("A/B, 3 % outliers", REGRESSIONS, IMPROVEMENTS, 0.03), extra, rng)

    print(
        f"perfbot compare accuracy: {BENCHMARKS} benchmarks x {SAMPLES} samples a side, "
        f"CV {CV[0]:.0%}-{CV[1]:.0%}, outliers {OUTLIER_RATE:.1%} of samples slowed "
        f"{OUTLIER_SLOWDOWN[0]}-{OUTLIER_SLOWDOWN[1]}x, changes {CHANGE[0]:.0%}-{CHANGE[1]:.0%}"
    )
    print(
        f"seed {args.seed}; {args.suites * 2} A/A and {args.suites} A/B suites "
        f"({REGRESSIONS} regressions + {IMPROVEMENTS} improvements each); perfbot defaults: "
        f"threshold {options.threshold}, alpha {options.alpha}, min samples {options.min_samples}\n"
    )
    print_main(null, [changed], options)
    print("\nharder cases (perfbot defaults):")
    print_main(busy_null, [busy, single], options)
    targets = f"A/A any alarm <= {TARGET_FALSE_ALARMS:.0%}, A/B found >= {TARGET_DETECTION:.0%}"
    print(f"\ntargets: {targets}")
    print_sweep(null, changed)

    scenarios = (null, changed, single, busy_null, busy)
    count = sum(len(s.comparisons) for s in scenarios)
    seconds = sum(s.seconds for s in scenarios)
    each = seconds / count * 1000
    print(f"\nengine in-process: {each:.2f} ms per 40-benchmark comparison ({count} suites)")
    for line in time_command(rng):
        print(line)


if __name__ == "__main__":
    main()
