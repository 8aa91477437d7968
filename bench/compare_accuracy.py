"""How often perfbot's verdicts are wrong, on suites shaped like real runs; and how fast.

Each simulated suite has 40 benchmarks measured the way the pipeline measures: R rounds, each
running base and head once (alternating which goes first, as the driver does), each run taking
S samples. Noise, per benchmark: lognormal sample noise with a CV of 1-3 %; optionally a round
effect: the machine's state in that round (sigma 2-4 %, shared by both sides and every sample
of the round) with a smaller invocation effect (0.5 %, one per side per round: the process's
own layout), or, the harder case, only an invocation effect of 2-4 % (nothing shared between
the sides, so pairing cannot help and only the round count can); slow outliers (4 % of
samples slowed x1.1-1.6); optionally an order effect (+2 % on
whichever side runs second) and a drift (+5 % from the first round to the last).

Changed suites follow the independent check's mix: 4 benchmarks +10 %, 1 +6 % at CV 1 %, 3
-10 %; "one change": a single +6-10 % change in the suite.

Methods, side by side on the same suites:
- `flat U`: the engine before rounds: every sample independent, U test, BH at 0.02, |HL| >= 4 %;
- `flat U, trim`: the same after setting slow outliers aside (median + 3 MAD);
- `U on rounds`: the U test on round medians (trimmed), unpaired;
- `perfbot`: the engine (paired per-round log ratios with the order modelled; trimmed U for a
  single file of samples), and its slow-tail test;
- `no order term`: the engine with the sides' positions withheld, so the order effect is not
  a term of the fit (what modelling it costs, and what it buys).
Figures: share of unchanged suites with ANY alarm; share of real changes found with the right
sign. Targets: at most 1 % and at least 98 %.

Then the slow-tail test alone, before and after it moved onto rounds, on suites where a busy
machine slows a share of some rounds' samples together (a burst of load hits every benchmark
of the side then running): `pooled Fisher` is the test before (Fisher's exact test on the
samples of each side pooled, as if independent), `per round` the engine's (per-round shares of
slow samples, paired by round). A/A rows: unchanged suites with any slow-tail alarm; A/B
rows: grown tails found (one sample in eight slowed x1.5 in every round of 4 benchmarks).
Last, `perfbot compare` is timed as a command.

    python bench/compare_accuracy.py [--suites N] [--tail-suites N] [--seed S] [--only-tail]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from workflows.compare import CompareOptions, Verdict, compare, decide, outliers, stats
from workflows.compare.engine import TAIL_FLOOR, TAIL_MIN
from workflows.compare.verdicts import Finding, Open
from workflows.results import Direction, ResultSet, make_benchmark

BENCHMARKS = 40
CV = (0.01, 0.03)
ROUND_EFFECT = (0.02, 0.04)
INVOCATION_EFFECT = 0.005
OUTLIER_RATE = 0.04
OUTLIER_SLOWDOWN = (1.1, 1.6)
ORDER_EFFECT = 0.02
DRIFT = 0.05
BURST = (0.2, 1.0)  # share of a busy round's samples the burst slows
TAIL_BENCHMARKS = 4
TAIL_EVERY = 8
TAIL_SLOWDOWN = 1.5
TARGET_FALSE_ALARMS = 0.01
TARGET_DETECTION = 0.98
OPTIONS = CompareOptions()


@dataclass(frozen=True)
class Shape:
    """How one scenario's runs are measured and disturbed."""

    title: str
    rounds: int = 10
    samples: int = 5  # per round per side
    round_effect: bool = True  # machine state shared by both sides (plus 0.5 % per invocation)
    invocation_effect: bool = False  # instead: 2-4 % per side per round, nothing shared
    order_effect: bool = False
    order_size: float = ORDER_EFFECT  # how much slower the side that runs second is
    alternate: bool = True  # False: base always first (the driver before this change)
    drift: bool = False
    in_rounds: bool = True  # False: one file a side, rounds unknown to the engine
    changes: str = "none"  # none | mix | one
    busy: float = 0.0  # chance that a side's run of a round is hit by a burst of load
    tail: bool = False  # 4 benchmarks' head: one sample in 8 slowed x1.5, in every round


@dataclass(frozen=True)
class Layout:
    """What a suite's benchmarks are, before any noise: measured again, they keep it."""

    center: np.ndarray
    factor: np.ndarray  # head / base
    cv: np.ndarray
    truth: np.ndarray


@dataclass
class Suite:
    base: ResultSet
    head: ResultSet
    truth: dict[str, int]  # +1 slowed, -1 sped up, 0 unchanged
    layout: Layout | None = None
    tails: frozenset[str] = frozenset()  # benchmarks whose slow tail grew


def _factors(rng: np.random.Generator, changes: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    factor = np.ones(BENCHMARKS)
    cv = rng.uniform(*CV, BENCHMARKS)
    truth = np.zeros(BENCHMARKS, dtype=int)
    if changes == "mix":
        chosen = rng.choice(BENCHMARKS, 8, replace=False)
        factor[chosen[:4]], truth[chosen[:4]] = 1.10, 1
        factor[chosen[4]], truth[chosen[4]], cv[chosen[4]] = 1.06, 1, 0.01
        factor[chosen[5:]], truth[chosen[5:]] = 0.90, -1
    elif changes == "one":
        chosen = rng.integers(BENCHMARKS)
        factor[chosen], truth[chosen] = 1 + rng.uniform(0.06, 0.10), 1
    return factor, cv, truth


def draw_layout(rng: np.random.Generator, shape: Shape) -> Layout:
    center = np.exp(rng.uniform(np.log(1e-5), np.log(1.0), BENCHMARKS))
    return Layout(center, *_factors(rng, shape.changes))


def make_suite(rng: np.random.Generator, shape: Shape, layout: Layout | None = None) -> Suite:
    """A suite measured as `shape` says; with `layout`, the same benchmarks measured again."""
    names = [f"query-{i:02d}" for i in range(BENCHMARKS)]
    layout = layout or draw_layout(rng, shape)
    center, factor, cv, truth = layout.center, layout.factor, layout.cv, layout.truth
    sigma = np.sqrt(np.log1p(cv**2))
    r, s = shape.rounds, shape.samples
    shared = np.zeros((BENCHMARKS, r))
    if shape.round_effect:
        shared = rng.uniform(*ROUND_EFFECT, (BENCHMARKS, 1)) * rng.standard_normal((BENCHMARKS, r))
    if shape.drift:
        shared = shared + np.log1p(DRIFT) * np.linspace(0, 1, r)
    head_first = np.array([shape.alternate and k % 2 == 1 for k in range(r)])
    tails = rng.choice(BENCHMARKS, TAIL_BENCHMARKS, replace=False) if shape.tail else []

    per_invocation = INVOCATION_EFFECT * shape.round_effect
    if shape.invocation_effect:
        per_invocation = rng.uniform(*ROUND_EFFECT, (BENCHMARKS, 1))

    def side(scale: np.ndarray, second: np.ndarray, label: str) -> ResultSet:
        invocation = per_invocation * rng.standard_normal((BENCHMARKS, r))
        order = np.log1p(shape.order_size) * second * shape.order_effect
        logs = (shared + invocation + order)[:, :, None] + sigma[:, None, None] * (
            rng.standard_normal((BENCHMARKS, r, s))
        )
        values = scale[:, None, None] * np.exp(logs)
        slow = rng.random(values.shape) < OUTLIER_RATE
        values[slow] *= rng.uniform(*OUTLIER_SLOWDOWN, int(slow.sum()))
        for k in np.flatnonzero(rng.random(r) < shape.busy):  # a burst: one stretch, all slow
            start = int(rng.integers(s))
            length = max(1, int(rng.uniform(*BURST) * s))
            values[:, k, start : start + length] *= rng.uniform(*OUTLIER_SLOWDOWN, (BENCHMARKS, 1))
        if label == "head" and shape.tail:
            values[tails, :, ::TAIL_EVERY] *= TAIL_SLOWDOWN
        rounds = np.repeat(np.arange(1, r + 1), s) if shape.in_rounds else ()
        manifest = [
            {"round": k + 1, "position": 2 if second[k] else 1, "node": "n1"} for k in range(r)
        ]
        benchmarks = [
            make_benchmark(n, "s", samples=v.ravel(), rounds=rounds)
            for n, v in zip(names, values, strict=True)
        ]
        metadata = {"rounds": manifest} if shape.in_rounds else {}
        return ResultSet.build(label, "perfbot", benchmarks, metadata)

    return Suite(
        side(center, head_first, "base"),
        side(center * factor, ~head_first, "head"),
        dict(zip(names, truth.tolist(), strict=True)),
        layout,
        frozenset(names[i] for i in tails),
    )


Alarms = dict[str, int]
SIGN = {Verdict.REGRESSED: 1, Verdict.IMPROVED: -1}


def _u_alarms(pairs: dict[str, tuple[np.ndarray, np.ndarray]]) -> Alarms:
    names = list(pairs)
    pvalues = stats.rank_pvalues([pairs[n] for n in names])
    adjusted = stats.adjust(pvalues)
    found = {}
    for name, p in zip(names, adjusted, strict=True):
        x, y = pairs[name]
        change = math.expm1(stats.hodges_lehmann(x, y, 0.95).estimate)
        found[name] = SIGN.get(decide(change, p, Direction.LOWER, OPTIONS), 0)
    return found


def _logs(suite: Suite, name: str) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.log(np.asarray(suite.base.benchmarks[name].samples)),
        np.log(np.asarray(suite.head.benchmarks[name].samples)),
    )


def flat_u(suite: Suite) -> Alarms:
    return _u_alarms({n: _logs(suite, n) for n in suite.truth})


def _trimmed(values: np.ndarray) -> np.ndarray:
    return values[~outliers.slow_outliers(values, 1)]


def flat_u_trim(suite: Suite) -> Alarms:
    pairs = {}
    for name in suite.truth:
        x, y = _logs(suite, name)
        pairs[name] = (_trimmed(x), _trimmed(y))
    return _u_alarms(pairs)


def u_on_rounds(suite: Suite) -> Alarms:
    pairs = {}
    for name in suite.truth:
        medians = []
        for side in (suite.base, suite.head):
            bench = side.benchmarks[name]
            logs, rounds = np.log(np.asarray(bench.samples)), np.asarray(bench.rounds)
            keep = ~outliers.slow_outliers(logs, 1)
            if rounds.size == 0:
                medians.append(logs[keep])
                continue
            kept = set(rounds[keep])
            medians.append(np.array([np.median(logs[(rounds == r) & keep]) for r in kept]))
        pairs[name] = (medians[0], medians[1])
    return _u_alarms(pairs)


def perfbot(suite: Suite) -> Alarms:
    comparison = compare(suite.base, suite.head)
    return {row.name: SIGN.get(row.verdict, 0) for row in comparison.benchmarks}


def _without_order(results: ResultSet) -> ResultSet:
    rounds = [{"round": r["round"], "node": r["node"]} for r in results.metadata.get("rounds", [])]
    return replace(results, metadata={**results.metadata, "rounds": rounds})


def perfbot_order_unmodelled(suite: Suite) -> Alarms:
    """The engine with the manifests' positions removed: rounds still paired, the order effect
    not a term of the fit."""
    comparison = compare(_without_order(suite.base), _without_order(suite.head))
    return {row.name: SIGN.get(row.verdict, 0) for row in comparison.benchmarks}


METHODS: dict[str, Callable[[Suite], Alarms]] = {
    "flat U": flat_u,
    "flat U, trim": flat_u_trim,
    "U on rounds": u_on_rounds,
    "perfbot": perfbot,
    "no order term": perfbot_order_unmodelled,
}


@dataclass
class Tally:
    suites: int = 0
    suites_with_alarm: int = 0
    changes: int = 0
    found: int = 0

    def add(self, truth: dict[str, int], alarms: Alarms) -> None:
        self.suites += 1
        self.suites_with_alarm += any(alarms[n] and not truth[n] for n in truth)
        for name, sign in truth.items():
            if sign:
                self.changes += 1
                self.found += alarms[name] == sign

    def figure(self) -> float:
        return self.found / self.changes if self.changes else self.suites_with_alarm / self.suites


def pct(value: float) -> str:
    return f"{value * 100:5.1f} %"


def run_shape(shape: Shape, suites: int, rng: np.random.Generator) -> dict[str, Tally]:
    tallies = {name: Tally() for name in METHODS}
    for _ in range(suites):
        suite = make_suite(rng, shape)
        for name, method in METHODS.items():
            tallies[name].add(suite.truth, method(suite))
    return tallies


def shapes() -> list[tuple[Shape, bool]]:
    """(shape, is A/A): A/A rows print any-alarm rates, A/B rows detection."""
    rounds = Shape("10 rounds x 5 samples, round effects")
    invocations = Shape("10 rounds x 5 samples, 2-4 % per invocation", round_effect=False,
                        invocation_effect=True)  # fmt: skip
    single = Shape("one file of 10 samples a side", rounds=1, samples=10, round_effect=False,
                   in_rounds=False)  # fmt: skip
    quiet = Shape("10 rounds x 5 samples, no round effects", round_effect=False)
    one = Shape("10 rounds x 1 sample, round effects", samples=1)
    order = Shape("10 rounds x 5, +2 % order effect, sides alternate", order_effect=True)
    first = replace(order, title="10 rounds x 5, +2 % order effect, base always first",
                    alternate=False)  # fmt: skip
    warm = replace(order, title="10 rounds x 5, +10 % order effect, sides alternate",
                   order_size=0.10)  # fmt: skip
    drift = Shape("10 rounds x 5, round effects and +5 % drift", drift=True)
    found = []
    for shape in (rounds, invocations, quiet, one, single, order, first, warm, drift):
        found.append((shape, True))
        found.append((replace(shape, changes="mix"), False))
    found.append((replace(rounds, title=rounds.title, changes="one"), False))
    found.append((replace(single, changes="one"), False))
    return found


def pooled_fisher_tails(suite: Suite) -> set[str]:
    """The slow-tail test before it moved onto rounds: each side's samples pooled, Fisher's exact
    test on the counts beyond 3 pooled MADs, Benjamini-Hochberg, the same floors."""
    pvalues, counts = {}, {}
    for name in suite.truth:
        x, y = _logs(suite, name)
        found = outliers.tail_counts(x, y, 1)
        if found is not None:
            counts[name] = found
            pvalues[name] = stats.tail_pvalue(found.base, found.base_n, found.head, found.head_n)
    adjusted = dict(zip(pvalues, stats.adjust(list(pvalues.values())), strict=True))
    return {
        name
        for name, p in adjusted.items()
        if p <= OPTIONS.alpha
        and counts[name].head >= TAIL_MIN
        and counts[name].head_share - counts[name].base_share >= TAIL_FLOOR
    }


def per_round_tails(suite: Suite) -> set[str]:
    """The engine's: a grown tail is a `slow tail grew` finding, or an open `tail against
    centre`."""
    comparison = compare(suite.base, suite.head)
    return {
        row.name
        for row in comparison.benchmarks
        if row.finding is Finding.SLOW_TAIL or row.reason is Open.MIXED
    }


TAIL_METHODS: dict[str, Callable[[Suite], set[str]]] = {
    "pooled Fisher": pooled_fisher_tails,
    "per round": per_round_tails,
}


def tail_shapes() -> list[Shape]:
    few = Shape("10 rounds x 5, busy rounds (15 %)", busy=0.15)
    many = Shape("10 rounds x 2,000, busy rounds (15 %)", samples=2000, busy=0.15)
    quiet = Shape("10 rounds x 2,000, no busy rounds", samples=2000)
    return [few, many, quiet, replace(few, tail=True), replace(many, tail=True)]


def tail_table(suites: int, rng: np.random.Generator) -> None:
    print(
        f"\nSlow-tail test alone. A/A: unchanged suites with any slow-tail alarm; A/B tail: grown "
        f"tails found ({TAIL_BENCHMARKS} benchmarks, 1 sample in {TAIL_EVERY} x{TAIL_SLOWDOWN}); "
        f"{suites} suites a row\n"
    )
    print(f"{'':58}" + "".join(f"{m:>16}" for m in TAIL_METHODS))
    for shape in tail_shapes():
        alarms = dict.fromkeys(TAIL_METHODS, 0)
        for _ in range(suites):
            suite = make_suite(rng, shape)
            for name, method in TAIL_METHODS.items():
                found = method(suite)
                alarms[name] += len(found & suite.tails) if shape.tail else bool(found)
        total = suites * (TAIL_BENCHMARKS if shape.tail else 1)
        label = f"{'A/B tail' if shape.tail else 'A/A':9}{shape.title}"
        print(f"{label:58}" + "".join(f"{pct(n / total):>16}" for n in alarms.values()))


def write_pair(root: Path, rng: np.random.Generator) -> tuple[Path, Path]:
    """A 40-benchmark pair as the pipeline writes it: 10 round files a side, 5 samples each."""
    suite = make_suite(rng, Shape("timing", changes="mix"))
    sides = []
    for label, results in (("base", suite.base), ("head", suite.head)):
        directory = root / label
        directory.mkdir()
        for round_ in range(1, 11):
            rows = [
                {
                    "name": b.name, "unit": "s", "direction": "lower",
                    "samples": [v for v, r in zip(b.samples, b.rounds, strict=True) if r == round_],
                }
                for b in results.benchmarks.values()
            ]  # fmt: skip
            (directory / f"round-{round_:03d}.json").write_text(json.dumps({"benchmarks": rows}))
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
                f"perfbot compare --format {report:5} (40 benchmarks, 2 x 10 round files of 5): "
                f"median {statistics.median(seconds):.3f} s, max {max(seconds):.3f} s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", type=int, default=300, help="suites per row")
    parser.add_argument("--tail-suites", type=int, default=40, help="suites per tail row")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--only-tail", action="store_true", help="only the slow-tail table")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    if args.only_tail:
        tail_table(args.tail_suites, rng)
        return
    print(
        f"{BENCHMARKS} benchmarks a suite, CV {CV[0]:.0%}-{CV[1]:.0%}, {OUTLIER_RATE:.0%} slow "
        f"outliers x{OUTLIER_SLOWDOWN[0]}-{OUTLIER_SLOWDOWN[1]}; {args.suites} suites a row, "
        f"seed {args.seed}. A/A rows: unchanged suites with any alarm (target <= "
        f"{TARGET_FALSE_ALARMS:.0%}); A/B rows: real changes found, right sign (target >= "
        f"{TARGET_DETECTION:.0%})\n"
    )
    print(f"{'':66}" + "".join(f"{m:>14}" for m in METHODS))
    start = time.perf_counter()
    for shape, null in shapes():
        tallies = run_shape(shape, args.suites, rng)
        kind = "A/A" if null else ("A/B one" if shape.changes == "one" else "A/B")
        label = f"{kind:8}{shape.title}"
        print(f"{label:66}" + "".join(f"{pct(t.figure()):>14}" for t in tallies.values()))
    print(f"\n({time.perf_counter() - start:.0f} s)")
    tail_table(args.tail_suites, rng)
    for line in time_command(rng):
        print(line)


if __name__ == "__main__":
    main()
