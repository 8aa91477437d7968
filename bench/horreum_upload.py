"""What storing a run in Horreum costs: the callback's size, building the document, uploading.

The report step now sends both sides' raw samples to the bot, and the bot builds and uploads
one run document per run from its follow-up queue. This prints, for suites of growing size:
the size of the samples in the callback body (notify drops them above 8 MB, so the report
always fits under the bot's 25 MB cap), the time to build the run document, and the median
time of one upload to the stand-in Horreum over loopback HTTP (the stand-in parses the JSON
and checks the request against openapi.yaml, as a lower bound on a real Horreum).

    python bench/horreum_upload.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.standins.horreum_server import HorreumStandIn
from workflows.horreum.client import HorreumClient
from workflows.horreum.document import RunIdentity, build

SUITES = ((10, 100), (40, 200), (200, 1000), (1000, 2000))  # (benchmarks, samples a side)
RUN = RunIdentity("acme/db", 7, "sql", "main", "a" * 40, "e" * 40, workflow_name="perf-sql-1")


def suite(benchmarks: int, samples: int) -> tuple[dict, dict]:
    names = [f"bench/{i:04d}" for i in range(benchmarks)]
    side = {"n": samples, "median": 0.01, "mean": 0.01, "stddev": 0.0002}
    report = {
        "summary": {"verdict": "unchanged", "counts": {"regressed": 0}, "geomean_change": 0.0},
        "benchmarks": [
            {"name": n, "unit": "s", "direction": "lower", "verdict": "unchanged", "change": 0.001,
             "ci_low": -0.01, "ci_high": 0.01, "p_value": 0.5, "p_adjusted": 0.9,
             "base": side, "head": side}
            for n in names
        ],
    }  # fmt: skip
    raw = {
        "samples": [0.01 + 0.0001 * (i % 7) for i in range(samples)],
        "rounds": [1 + i // 10 for i in range(samples)],
        "unit": "s",
        "direction": "lower",
    }
    sides = {s: {"benchmarks": {n: raw for n in names}, "metadata": {}} for s in ("base", "head")}
    return report, sides


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'benchmarks':>10} {'samples/side':>12} {'callback MB':>11} {'build ms':>9} "
          f"{'upload ms':>10} {'document MB':>11}")  # fmt: skip
    with HorreumStandIn(api_key="k", tests={"t": "perf-team"}) as horreum:
        client = HorreumClient(horreum.url, "k", timeout=60)
        for benchmarks, samples in SUITES:
            report, sides = suite(benchmarks, samples)
            callback_mb = len(json.dumps(sides)) / 1e6
            builds, uploads = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                document = build(RUN, report, sides)
                builds.append(time.perf_counter() - started)
                started = time.perf_counter()
                client.upload(document, test="t", owner="perf-team", access="PUBLIC",
                              start=1, stop=2)  # fmt: skip
                uploads.append(time.perf_counter() - started)
            document_mb = len(json.dumps(document)) / 1e6
            print(f"{benchmarks:>10} {samples:>12} {callback_mb:>11.2f} "
                  f"{statistics.median(builds) * 1000:>9.1f} "
                  f"{statistics.median(uploads) * 1000:>10.1f} {document_mb:>11.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
