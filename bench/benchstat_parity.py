"""perfbot's comparison beside benchstat, the reference tool, on the same `go test -bench` files.

benchstat (golang.org/x/perf/cmd/benchstat) tests each benchmark alone: Mann-Whitney U, a
change is reported when p <= 0.05, whatever its size. perfbot (`workflows.compare.compare`,
its defaults) adjusts the p-values across the suite (Benjamini-Hochberg at 0.02) and also asks
for a change of at least 4 %. The two should agree on clear changes and differ, predictably, on
small ones and on noise; this script measures where, and says why for every disagreement.

Generated suites (the noise model of bench/compare_accuracy.py: 40 benchmarks, 10 samples a
side, lognormal noise with a CV of 1-3 %, 0.5 % of samples slowed 1.3-3x), written as
`go test -bench` text and read by both tools from the same files:
- A/A: nothing changed. Figures: share of suites with any alarm, share of benchmarks alarmed.
- A/B: 4 slowed and 4 sped up by 6-10 %. Figures: share of those found with the right sign;
  false alarms among the other 32.
- A/B small: the same with 1-3 % changes, below perfbot's threshold on purpose.
Then benchstat's own testdata (old.txt/new.txt, crc-old.txt/crc-new.txt from the module
cache), benchmark by benchmark.

benchstat is installed with `go install` into a temporary GOBIN (pinned below), or given:

    python bench/benchstat_parity.py [--suites N] [--seed S] [--benchstat PATH]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workflows.compare import CompareOptions, compare
from workflows.results.loader import load_results

BENCHSTAT = "golang.org/x/perf/cmd/benchstat"
PERF_MODULE = "golang.org/x/perf"
BENCHSTAT_VERSION = "v0.0.0-20260908200009-22c9c6c9d4da"
BENCHSTAT_ALPHA = 0.05  # benchstat's default -alpha
# (base, head, benchstat's extra flags, as its own tests run them); a single file is split at
# its `note: before` / `note: after` lines, which benchstat reads with `-col note`.
TESTDATA = (
    ("old.txt", "new.txt", ()),
    ("crc-old.txt", "crc-new.txt", ("-ignore", "note")),
    ("smallSample.txt", None, ()),
    ("zero.txt", None, ()),
    ("units.txt", None, ()),
    ("issue19565.txt", None, ()),
    ("issue19634.txt", None, ()),
)
UNITS = {"s/op": "sec/op", "ns/op": "sec/op"}  # perfbot's unit -> benchstat's table

BENCHMARKS = 40
SAMPLES = 10
CV = (0.01, 0.03)
OUTLIER_RATE = 0.005
OUTLIER_SLOWDOWN = (1.3, 3.0)
CHANGED = 4  # slowed, and as many sped up
SCENARIOS = {"A/A": None, "A/B 6-10 %": (0.06, 0.10), "A/B 1-3 %": (0.01, 0.03)}

NO_GO = "benchstat_parity needs Go to install benchstat (or pass --benchstat PATH)"
PROCS = re.compile(r"-\d+$")
DELTA = re.compile(r"^([-+]\d+(?:\.\d+)?)%")
P_VALUE = re.compile(r"p=(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Call:
    """One tool's call on one benchmark and unit: the value went up (+1), down (-1), or no
    change was shown (0); with its p-value."""

    sign: int
    p: float | None
    change: float | None = None  # head vs base, 0.05 = the value grew by 5 %
    p_adjusted: float | None = None
    label: str = ""  # "added", "removed": present on one side only


def key(name: str, unit: str) -> str:
    """perfbot and benchstat name a benchmark differently (prefix, GOMAXPROCS suffix, unit)."""
    name = re.sub(r" \[[^]]*\]$", "", name)
    return f"{PROCS.sub('', name.removeprefix('Benchmark'))} [{UNITS.get(unit, unit)}]"


# -- the two tools ------------------------------------------------------------------------------


def install_benchstat(gobin: Path) -> Path:
    go = shutil.which("go")
    if go is None:
        sys.exit(NO_GO)
    subprocess.run(
        [go, "install", f"{BENCHSTAT}@{BENCHSTAT_VERSION}"],
        env={**os.environ, "GOBIN": str(gobin)},
        check=True,
        timeout=600,
    )
    return gobin / "benchstat"


def testdata_dir() -> Path | None:
    go = shutil.which("go")
    if go is None:
        return None
    modcache = subprocess.run(
        [go, "env", "GOMODCACHE"], capture_output=True, text=True, check=True
    ).stdout.strip()
    found = Path(modcache) / f"{PERF_MODULE}@{BENCHSTAT_VERSION}" / "cmd" / "benchstat" / "testdata"
    return found if found.is_dir() else None


def benchstat_calls(
    benchstat: Path, base: Path, head: Path, flags: tuple[str, ...] = ()
) -> dict[str, Call]:
    """benchstat's verdicts on every unit, read from its CSV output."""
    out = subprocess.run(
        [str(benchstat), "-format", "csv", *flags, str(base), str(head)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    calls: dict[str, Call] = {}
    unit = None
    for row in csv.reader(io.StringIO(out)):
        if not row:  # a blank line ends a table
            unit = None
            continue
        if not row[0]:  # ",old.txt,,new.txt" then ",sec/op,CI,sec/op,CI,vs base,P"
            unit = row[1] if "vs base" in row else unit
            continue
        if unit is None or row[0] == "geomean":
            continue
        row += [""] * (7 - len(row))
        if not row[1] or not row[3]:
            calls[key(row[0], unit)] = Call(0, None, label="added" if row[3] else "removed")
            continue
        delta, p = DELTA.match(row[5]), P_VALUE.search(row[6])
        sign = 0 if delta is None else (1 if delta[1].startswith("+") else -1)  # +0.00% grew
        calls[key(row[0], unit)] = Call(sign, float(p[1]) if p else None)
    return calls


def perfbot_calls(base: Path, head: Path) -> dict[str, Call]:
    comparison = compare(load_results(base, "go-bench"), load_results(head, "go-bench"))
    calls: dict[str, Call] = {}
    for row in comparison.benchmarks:
        sign = int(math.copysign(1, row.change)) if row.verdict.is_change and row.change else 0
        one_side = row.verdict.value if row.verdict.value in ("added", "removed") else ""
        calls[key(row.name, row.unit)] = Call(
            sign, row.p_value, row.change, row.p_adjusted, label=one_side
        )
    return calls


def exact_units(*files: Path) -> set[str]:
    """Units a file declares `assume=exact`: benchstat then reports any difference, untested."""
    found = set()
    for path in files:
        for line in path.read_text().splitlines():
            words = line.split()
            if len(words) >= 3 and words[0] == "Unit" and "assume=exact" in words[2:]:
                found.add(words[1])
    return found


def why(
    perfbot: Call | None,
    benchstat: Call | None,
    options: CompareOptions,
    exact: bool = False,
) -> str:
    """The reason two calls on one benchmark differ, in the terms of the two methods."""
    if perfbot is None or benchstat is None:
        return f"only {'benchstat' if perfbot is None else 'perfbot'} compares it"
    if perfbot.sign == benchstat.sign:
        return "agree"
    if perfbot.sign and benchstat.sign:
        return "opposite directions"
    if benchstat.sign and not perfbot.sign:
        if exact:
            return "unit declared assume=exact: benchstat reports any difference, untested"
        if perfbot.p is None:
            return f"fewer than {options.min_samples} samples a side: perfbot gives no verdict"
        if perfbot.change is not None and abs(perfbot.change) < options.threshold:
            return f"change under perfbot's {options.threshold:.0%} threshold"
        if perfbot.p_adjusted is not None and perfbot.p_adjusted > options.alpha:
            return f"p <= {BENCHSTAT_ALPHA} alone, not after perfbot's suite-wise correction"
        return "perfbot's p differs from benchstat's"
    if perfbot.sign and not benchstat.sign:
        if benchstat.p is None:
            return "benchstat made no test (too few samples)"
        return f"p-values differ (perfbot {perfbot.p:.4f}, benchstat {benchstat.p:.3f})"
    return "agree"


# -- generated suites -------------------------------------------------------------------------


def go_bench_text(names: list[str], samples: np.ndarray) -> str:
    lines = ["goos: linux", "goarch: amd64", "pkg: example.com/bench"]
    for round_ in range(samples.shape[1]):  # interleaved like -count=N output
        for name, row in zip(names, samples, strict=True):
            lines.append(f"{name}-8\t{100000}\t{row[round_]:.1f} ns/op")
    return "\n".join(lines) + "\n"


def noisy(rng: np.random.Generator, centers: np.ndarray, cvs: np.ndarray) -> np.ndarray:
    sigma = np.sqrt(np.log1p(cvs**2))[:, None]
    values = centers[:, None] * rng.lognormal(-(sigma**2) / 2, sigma, (len(centers), SAMPLES))
    slow = rng.random(values.shape) < OUTLIER_RATE
    return np.where(slow, values * rng.uniform(*OUTLIER_SLOWDOWN, values.shape), values)


def suites(
    rng: np.random.Generator, count: int, change: tuple[float, float] | None
) -> Iterator[tuple[str, str, dict[str, int]]]:
    names = [f"BenchmarkCase{i:02d}" for i in range(BENCHMARKS)]
    for _ in range(count):
        centers = rng.uniform(200, 200_000, BENCHMARKS)
        cvs = rng.uniform(*CV, BENCHMARKS)
        factors = np.ones(BENCHMARKS)
        truth = dict.fromkeys((key(n, "ns/op") for n in names), 0)
        if change is not None:
            picked = rng.choice(BENCHMARKS, 2 * CHANGED, replace=False)
            for i, index in enumerate(picked):
                sign = 1 if i < CHANGED else -1
                factors[index] = 1 + sign * rng.uniform(*change)
                truth[key(names[index], "ns/op")] = sign
        base = go_bench_text(names, noisy(rng, centers, cvs))
        head = go_bench_text(names, noisy(rng, centers * factors, cvs))
        yield base, head, truth


@dataclass
class Tally:
    suites: int = 0
    suites_alarmed: int = 0
    changes: int = 0
    found: int = 0
    unchanged: int = 0
    false_alarms: int = 0

    def add(self, calls: dict[str, Call], truth: dict[str, int]) -> None:
        self.suites += 1
        wrong = 0
        for name, real in truth.items():
            sign = calls[name].sign if name in calls else 0
            if real:
                self.changes += 1
                self.found += sign == real
            else:
                self.unchanged += 1
                wrong += sign != 0
        self.false_alarms += wrong
        self.suites_alarmed += wrong > 0


def percent(part: int, whole: int) -> str:
    return "-" if whole == 0 else f"{100 * part / whole:.1f} %"


def run_scenarios(benchstat: Path, count: int, seed: int, scratch: Path) -> None:
    rng = np.random.default_rng(seed)
    options = CompareOptions()
    rows = []
    reasons: Counter[tuple[str, str, str]] = Counter()  # (scenario, reason, who was right)
    for scenario, change in SCENARIOS.items():
        tallies = {"perfbot": Tally(), "benchstat": Tally()}
        for base_text, head_text, truth in suites(rng, count, change):
            base, head = scratch / "base.txt", scratch / "head.txt"
            base.write_text(base_text)
            head.write_text(head_text)
            ours, theirs = perfbot_calls(base, head), benchstat_calls(benchstat, base, head)
            tallies["perfbot"].add(ours, truth)
            tallies["benchstat"].add(theirs, truth)
            for name, real in truth.items():
                mine, other = ours[name], theirs.get(name, Call(0, None))
                if mine.sign != other.sign:
                    right = "perfbot" if mine.sign == real else "benchstat"
                    right = right if (mine.sign == real) != (other.sign == real) else "neither"
                    reasons[(scenario, why(mine, other, options), right)] += 1
        rows.append((scenario, change, tallies))

    print(f"{count} generated suites per row, {BENCHMARKS} benchmarks x {SAMPLES} samples a side")
    print(f"perfbot: defaults (BH at {options.alpha}, threshold {options.threshold:.0%});")
    print(f"benchstat {BENCHSTAT_VERSION}: p <= {BENCHSTAT_ALPHA} per benchmark\n")
    header = f"{'suite':<12} {'figure':<38} {'perfbot':>9} {'benchstat':>10}"
    print(header)
    print("-" * len(header))
    for scenario, change, tallies in rows:
        ours, theirs = tallies["perfbot"], tallies["benchstat"]
        figures = [
            ("suites with any false alarm", "suites_alarmed", "suites"),
            ("unchanged benchmarks alarmed", "false_alarms", "unchanged"),
        ]
        if change is not None:
            figures.insert(0, ("real changes found, right sign", "found", "changes"))
        for label, part, whole in figures:
            print(
                f"{scenario:<12} {label:<38} "
                f"{percent(getattr(ours, part), getattr(ours, whole)):>9} "
                f"{percent(getattr(theirs, part), getattr(theirs, whole)):>10}"
            )
    print("\nwhere they disagree on a benchmark, and why")
    header = f"{'suite':<12} {'reason':<62} {'right':>9} {'count':>6}"
    print(header)
    print("-" * len(header))
    for (scenario, reason, right), n in sorted(reasons.items()):
        print(f"{scenario:<12} {reason:<62} {right:>9} {n:>6}")


def split_by_note(path: Path, scratch: Path) -> tuple[Path, Path]:
    """One file with `note: before` and `note: after` sections as two files, one per side."""
    sides: dict[str, list[str]] = {"before": [], "after": []}
    current = None
    for line in path.read_text().splitlines():
        if line.startswith("note:"):
            current = line.partition(":")[2].strip()
            continue
        for side, lines in sides.items():
            if current is None or current == side:  # the header lines go to both
                lines.append(line)
    base, head = scratch / f"before-{path.name}", scratch / f"after-{path.name}"
    base.write_text("\n".join(sides["before"]) + "\n")
    head.write_text("\n".join(sides["after"]) + "\n")
    return base, head


def shown(call: Call | None, words: dict[int, str]) -> str:
    if call is None:
        return "-"
    if call.label:
        return call.label
    text = words[call.sign]
    if call.change is not None and math.isfinite(call.change):
        text += f" {call.change:+.1%}"
    return text


def run_testdata(benchstat: Path, testdata: Path, scratch: Path) -> None:
    options = CompareOptions()
    print(f"\nbenchstat's own testdata ({PERF_MODULE}@{BENCHSTAT_VERSION})")
    header = f"{'files':<26} {'benchmark [unit]':<50} {'perfbot':>14} {'benchstat':>10}  why"
    print(header)
    print("-" * len(header))
    words = {1: "more", -1: "less", 0: "~"}
    for old, new, flags in TESTDATA:
        if not (testdata / old).is_file():
            print(f"{old}: not in the module cache")
            continue
        if new is None:
            base, head = split_by_note(testdata / old, scratch)
            label = f"{old} (notes)"
        else:
            base, head, label = testdata / old, testdata / new, f"{old} / {new}"
        try:
            ours = perfbot_calls(base, head)
        except ValueError as exc:  # ResultsError, ComparisonError: perfbot refuses the input
            print(f"{label:<26} {'(all)':<50} {'refused':>14} {'':>10}  {exc}")
            continue
        theirs = benchstat_calls(benchstat, base, head, flags)
        exact = exact_units(base, head)
        for name in sorted(set(ours) | set(theirs)):
            mine, other = ours.get(name), theirs.get(name)
            unit = name.rsplit("[", 1)[-1].rstrip("]")
            reason = why(mine, other, options, exact=unit in exact)
            print(
                f"{label:<26} {name[:50]:<50} {shown(mine, words):>14} "
                f"{shown(other, words):>10}  {'' if reason == 'agree' else reason}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suites", type=int, default=200, help="suites per row (default 200)")
    parser.add_argument("--seed", type=int, default=20260901)
    parser.add_argument("--benchstat", type=Path, default=None, help="a benchstat binary to use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="benchstat-parity-") as scratch:
        root = Path(scratch)
        benchstat = args.benchstat or install_benchstat(root / "bin")
        run_scenarios(benchstat, args.suites, args.seed, root)
        testdata = testdata_dir()
        if testdata is None:
            print("\nbenchstat's testdata: not found in the Go module cache")
        else:
            run_testdata(benchstat, testdata, root)


if __name__ == "__main__":
    main()
