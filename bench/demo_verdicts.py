"""What the demo's real timings show on this machine: the verdicts of `perfbot demo`, repeated.

The tests of the demo's pipeline (tests/local/test_demo_end_to_end.py) assert only what holds
on any machine; how often the demo's own small slowdown (`slow-search`) is found, left open or
missed, and how often the readme-only commit raises a false alarm, depends on the machine's
load, so it is printed here instead. Each repetition is a whole `perfbot demo --change C
--quiet` in a fresh interpreter (the throwaway repository, build, deploy, rounds, comparison,
confirmation), at the demo's own sizes unless --rounds, --batch or --samples are given.

Figures per change: per endpoint the verdicts over the repetitions and the median change; the
suite's verdict; and the wall time of a run (median and range), with the machine's load
average before each run, since a busy machine is what moves these figures.

    python bench/demo_verdicts.py [--repeat 2] [--change slow-search readme-only]
                                  [--rounds N] [--batch N] [--samples N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from workflows.local.demo import CHANGES

CLI = "from workflows.cli import main; main()"  # `perfbot`, in this interpreter


def run_once(change: str, rounds: int | None, env: dict[str, str]) -> tuple[dict, float, float]:
    """(report.json, wall seconds, 1-minute load average before the run) of one demo run."""
    with tempfile.TemporaryDirectory(prefix="perfbot-bench-demo-") as work:
        out = Path(work) / "out"
        argv = [sys.executable, "-c", CLI, "demo", "--change", change]
        argv += ["--out", str(out), "--quiet", *(["--rounds", str(rounds)] if rounds else [])]
        load = os.getloadavg()[0]
        started = time.monotonic()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        took = time.monotonic() - started
        if done.returncode != 0 or not (out / "report.json").is_file():
            raise SystemExit(f"perfbot demo --change {change} failed:\n{done.stderr[-2000:]}")
        return json.loads((out / "report.json").read_text()), took, load


def summarise(change: str, runs: list[tuple[dict, float, float]]) -> None:
    verdicts: dict[str, Counter[str]] = defaultdict(Counter)
    changes: dict[str, list[float]] = defaultdict(list)
    suite: Counter[str] = Counter()
    for report, _, _ in runs:
        suite[report["summary"]["verdict"]] += 1
        for row in report["benchmarks"]:
            reason = f" ({row['reason']})" if row.get("reason") else ""
            verdicts[row["name"]][row["verdict"] + reason] += 1
            if row.get("change") is not None:
                changes[row["name"]].append(row["change"])
    print(f"\n{change} ({CHANGES[change]}), {len(runs)} runs")
    print(f"  {'endpoint':<14} {'median change':>14}  verdicts")
    for name in sorted(verdicts):
        median = f"{statistics.median(changes[name]) * 100:+.1f} %" if changes[name] else "–"
        counted = ", ".join(f"{n} {v}" for v, n in verdicts[name].most_common())
        print(f"  {name:<14} {median:>14}  {counted}")
    print(f"  suite verdict: {', '.join(f'{n} {v}' for v, n in suite.most_common())}")
    walls = [took for _, took, _ in runs]
    loads = [load for _, _, load in runs]
    print(
        f"  wall time: median {statistics.median(walls):.0f} s "
        f"({min(walls):.0f}-{max(walls):.0f} s); load average before: "
        f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--change", nargs="+", default=list(CHANGES), choices=list(CHANGES))
    parser.add_argument("--rounds", type=int, default=None, help="default: the demo's own")
    parser.add_argument("--batch", type=int, default=None, help="requests per batch")
    parser.add_argument("--samples", type=int, default=None, help="batches per round")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.batch:
        env["SHOP_BENCH_BATCH"] = str(args.batch)
    if args.samples:
        env["SHOP_BENCH_SAMPLES"] = str(args.samples)
    for change in args.change:
        summarise(change, [run_once(change, args.rounds, env) for _ in range(args.repeat)])


if __name__ == "__main__":
    main()
