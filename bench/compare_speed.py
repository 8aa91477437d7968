"""How long `perfbot compare` takes on large sample counts, as a whole command.

pytest-benchmark writes every sample of a benchmark (about 20,000 by default) with
`--benchmark-json` alone, so a 40-benchmark suite in 10 rounds brings 800,000 samples a side.
This writes such a suite (40 benchmarks, 10 round files a side of 2,000 samples each, perfbot's
own JSON; a fifth of the benchmarks slowed, one round of each side busy) to a temporary
directory and times the command that the compare step runs: every report written from one
comparison. Target: under 2 s.

    python bench/compare_speed.py [--benchmarks 40] [--rounds 10] [--samples 2000] [--runs 3]
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
from pathlib import Path

import numpy as np

TARGET_SECONDS = 2.0


def write_side(root: Path, side: str, args: argparse.Namespace, rng: np.random.Generator) -> Path:
    directory = root / side
    directory.mkdir()
    centers = np.exp(np.linspace(np.log(1e-6), np.log(1e-2), args.benchmarks))
    factor = np.where(np.arange(args.benchmarks) % 5 == 0, 1.08, 1.0) if side == "head" else 1.0
    busy = int(rng.integers(args.rounds))
    for round_ in range(args.rounds):
        noise = np.exp(0.02 * rng.standard_normal((args.benchmarks, args.samples)))
        values = (centers * factor)[:, None] * noise
        if round_ == busy:  # a burst of load: a third of this round's samples slowed
            values[:, : args.samples // 3] *= 1.4
        rows = [
            {"name": f"bench_{i:02d}", "unit": "s", "samples": [round(v, 12) for v in row]}
            for i, row in enumerate(values.tolist())
        ]
        path = directory / f"round-{round_ + 1:03d}.json"
        path.write_text(json.dumps({"benchmarks": rows}), encoding="utf-8")
    return directory


def perfbot_command() -> list[str]:
    script = Path(sys.executable).with_name("perfbot")
    if script.exists():
        return [str(script)]
    found = shutil.which("perfbot")
    if found is None:
        raise SystemExit("perfbot is not installed in this environment (pip install -e .)")
    return [found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--samples", type=int, default=2000, help="per round per side")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base, head = (write_side(root, side, args, rng) for side in ("base", "head"))
        out = root / "out"
        out.mkdir()
        writes = [f"--write={kind}={out / name}" for kind, name in (
            ("json", "report.json"), ("markdown", "report.md"), ("html", "report.html"),
            ("text", "report.txt"),
        )]  # fmt: skip
        argv = [*perfbot_command(), "compare", str(base), str(head), "--format", "text", *writes]
        seconds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            seconds.append(time.perf_counter() - start)
        total = args.rounds * args.samples
        print(
            f"perfbot compare, {args.benchmarks} benchmarks x {total:,} samples a side "
            f"({args.rounds} rounds x {args.samples:,}), every report written: median "
            f"{statistics.median(seconds):.2f} s, max {max(seconds):.2f} s over {args.runs} runs "
            f"(target < {TARGET_SECONDS:g} s)"
        )
        print(f"report.html: {(out / 'report.html').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
