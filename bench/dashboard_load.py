"""The dashboard with a large history: 1,000 runs of 100 benchmarks, page load times.

Fills a fresh store (a SQLite file, or PostgreSQL with `--store postgresql://...`; the URL's
database must be empty) with `--runs` runs of one job, nine in ten main-branch pushes and the
rest pull requests, each with `--benchmarks` benchmarks as a callback brings them, written
through `Store.record` as the bot does. Then serves the dashboard under gunicorn (its own app,
`bot.dashboard.standalone`, the same views as the bot's) and times `--requests` real HTTP GETs
of each page: the index, a job, a pull request's run (its changed benchmarks' trends) and a
benchmark's trend. Prints p50/p95/max per page; the target (issue 16) is under 300 ms.

    python bench/dashboard_load.py [--runs 1000] [--benchmarks 100] [--requests 20]
                                   [--store PATH_OR_URL]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflows.history import BenchmarkRecord, RunRecord, Store  # noqa: E402

REPO, JOB = "octo/service", "api"
APP = (
    "import os\n"
    "from bot.dashboard import standalone\n"
    "from workflows.history import Store\n"
    "app = standalone(Store.open(os.environ['STORE']))\n"
)


def fill(store: Store, runs: int, names: list[str], rng: random.Random) -> int:
    pr_run = 0
    for number in range(runs):
        is_pr = number % 10 == 9
        rows = []
        for index, name in enumerate(names):
            median = 0.001 * (1 + index) * (1 + rng.gauss(0, 0.02))
            change = rng.gauss(0, 0.02) + (0.3 if is_pr and index == 0 else 0.0)
            verdict = "regressed" if change > 0.1 else "unchanged"
            rows.append(
                BenchmarkRecord(
                    name=name,
                    unit="s",
                    direction="lower",
                    verdict=verdict,
                    change=change,
                    ci_low=change - 0.01,
                    ci_high=change + 0.01,
                    p_value=0.5,
                    p_adjusted=0.5,
                    method="paired-rounds-t",
                    summary={
                        "base": {"median": median, "n": 50, "rounds": 10},
                        "head": {"median": median * (1 + change), "n": 50, "rounds": 10},
                    },
                )
            )
        run_id = store.record(
            RunRecord(
                repo=REPO,
                job=JOB,
                kind="pr" if is_pr else "push",
                pr=number if is_pr else None,
                workflow_name=f"perf-{number}",
                base_ref="main",
                base_sha=f"{number:040x}",
                head_sha=f"{number + 1:040x}",
                status="Succeeded",
                verdict="regressed" if is_pr else "unchanged",
                benchmarks=tuple(rows),
                report_markdown="### perfbot\n\n| benchmark | change |\n|---|---|\n"
                + "\n".join(f"| {n} | +0.1 % |" for n in names),
            )
        )
        pr_run = run_id if is_pr else pr_run
    return pr_run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(store: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    (workdir / "dashboard_app.py").write_text(APP)
    port = free_port()
    env = {**os.environ, "STORE": store, "PYTHONPATH": f"{workdir}:{ROOT}"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "dashboard_app:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/healthz-none", timeout=5)
            return process, url
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the dashboard did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--benchmarks", type=int, default=100)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--store", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="perfbot-dashboard-bench-"))
    target = args.store or str(workdir / "history.sqlite")
    names = [f"bench/{index:03d}" for index in range(args.benchmarks)]
    store = Store.open(target)
    started = time.perf_counter()
    pr_run = fill(store, args.runs, names, random.Random(16))
    store.close()
    backend = target.split("://")[0] if "://" in target else "sqlite"
    elapsed = time.perf_counter() - started
    print(f"filled {args.runs} runs x {args.benchmarks} benchmarks in {elapsed:.1f} s ({backend})")
    process, url = serve(target, workdir)
    pages = {
        "index": "/",
        "job": f"/job?repo={REPO}&job={JOB}",
        "run (PR)": f"/runs/{pr_run}",
        "benchmark": f"/benchmark?repo={REPO}&job={JOB}&name={names[0]}",
    }
    try:
        with requests.Session() as session:
            for name, path in pages.items():
                session.get(url + path, timeout=10).raise_for_status()  # warm-up
                times = []
                for _ in range(args.requests):
                    begun = time.perf_counter()
                    session.get(url + path, timeout=10).raise_for_status()
                    times.append((time.perf_counter() - begun) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                print(
                    f"{name:<10} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
                    f"max {times[-1]:6.1f} ms"
                )
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
