"""perfbot run --local's own overhead, against doing the same work by hand, in one run.

On the demo project (a throwaway repository: baseline + the slow-search commit) it times:
- perfbot: `perfbot run --local` end to end (a fresh interpreter, --quiet), with each phase's
  wall time taken from the run's own step timings;
- direct: the same commands with nothing around them: two git worktrees, the build command in
  both (in parallel, as perfbot does), both servers started and polled until /healthz answers,
  the benchmark client for every round, base and head alternating, and `perfbot compare` for
  the JSON and the Markdown report (what the compare step runs).

Printed side by side; perfbot's overhead is the difference of the totals, as a share of the
benchmark time (target: at most 5 %). It is mostly a fixed cost (building the template, the
compare step's and the in-process report's Python start-up, two `perfbot notify` runs), so it
is measured at the demo's size and at a longer benchmark (more requests per sample).

    python bench/local_overhead.py [--rounds N] [--batch 5 100] [--repeat 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workflows.local import demo

PHASES = ("build", "deploy", "benchmark", "compare", "report", "confirm", "total")
# The confirmation (a second measurement of what the first flagged) is work the direct way does
# not do, not overhead: it is shown on its own row and left out of the overhead.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on {port} not ready")


def direct(repo: Path, rounds: int, work: Path) -> dict[str, float]:
    """The pipeline's commands run by hand; seconds per phase."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    times: dict[str, float] = {}
    started = time.perf_counter()
    trees = {side: work / side for side in ("base", "head")}
    for side, ref in (("base", "HEAD~1"), ("head", "HEAD")):
        subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet",
                        str(trees[side]), ref], check=True)  # fmt: skip
    builds = [subprocess.Popen([sys.executable, "-m", "compileall", "-q", "shop"], cwd=tree)
              for tree in trees.values()]  # fmt: skip
    for build in builds:
        build.wait()
    times["build"] = time.perf_counter() - started

    mark = time.perf_counter()
    ports = {side: free_port() for side in trees}
    servers = [
        subprocess.Popen([sys.executable, "-m", "shop.server"], cwd=trees[side],
                         env={**env, "PERFBOT_PORT": str(ports[side])},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
        for side in trees
    ]  # fmt: skip
    for port in ports.values():
        wait_ready(port)
    times["deploy"] = time.perf_counter() - mark

    mark = time.perf_counter()
    results = work / "results"
    for side in trees:
        (results / side).mkdir(parents=True)
    for number in range(1, rounds + 1):
        for side in trees:
            result = results / side / f"round-{number:03d}.json"
            subprocess.run(
                [sys.executable, "bench/client.py"],
                cwd=trees["head"],
                env={**env, "PERFBOT_TARGET": f"http://127.0.0.1:{ports[side]}",
                     "PERFBOT_RESULT": str(result), "PERFBOT_SIDE": side,
                     "PERFBOT_ROUND": str(number)},
                check=True,
            )  # fmt: skip
    times["benchmark"] = time.perf_counter() - mark
    for server in servers:
        server.terminate()
        server.wait()

    mark = time.perf_counter()
    for fmt, name in (("json", "report.json"), ("markdown", "report.md")):
        subprocess.run(
            ["perfbot", "compare", str(results / "base"), str(results / "head"), "--format", fmt,
             "--output", str(work / name), "--input-format", "perfbot", "--threshold", "0.1"],
            env=env, check=True,
        )  # fmt: skip
    times["compare"] = time.perf_counter() - mark
    times["report"] = 0.0
    times["confirm"] = 0.0
    times["total"] = time.perf_counter() - started
    subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(trees["base"])],
                   check=False)  # fmt: skip
    subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(trees["head"])],
                   check=False)  # fmt: skip
    return times


# Runs in a fresh interpreter, as `perfbot run --local` would (imports are part of the cost),
# and prints the run's phases from its own step timings.
_PERFBOT_RUN = """
import json, sys
from pathlib import Path
from workflows.local import runner
request = runner.LocalRun(repo=Path(sys.argv[1]), base="HEAD~1", head="HEAD",
                          out=Path(sys.argv[2]), rounds=int(sys.argv[3]), quiet=True)
nodes = runner.run(request, echo=lambda text: None).result.state.nodes()
print(json.dumps([[n.id, n.leaf, n.started, n.finished] for n in nodes]))
"""


def via_perfbot(repo: Path, rounds: int, out: Path) -> dict[str, float]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _PERFBOT_RUN, str(repo), str(out), str(rounds)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    total = time.perf_counter() - started
    nodes = json.loads(completed.stdout)

    def span(*prefixes: str) -> float:
        chosen = [(s, f) for node_id, leaf, s, f in nodes if leaf and node_id.startswith(prefixes)]
        chosen = [(s, f) for s, f in chosen if s is not None and f is not None]
        return max(f for _, f in chosen) - min(s for s, _ in chosen) if chosen else 0.0

    def busy(*names: str) -> float:
        """Summed time of these steps (each its own, not the span between them)."""
        found = [(s, f) for node_id, leaf, s, f in nodes if leaf and node_id in names]
        return sum(f - s for s, f in found if s is not None and f is not None)

    deploy_start = min(s for node_id, leaf, s, _ in nodes if node_id.startswith("measure.deploy-"))
    benchmark_start = next(s for node_id, _, s, _ in nodes if node_id == "measure.benchmark")
    return {
        "build": span("check-", "build-"),
        "deploy": benchmark_start - deploy_start,
        "benchmark": span("measure.benchmark"),
        "compare": busy("compare"),
        "report": busy("report", "confirm-report", "onExit"),
        "confirm": span("flagged", "confirm.", "confirm-compare"),
        "total": total,
    }


def measure(rounds: int, batch: int, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Medians over `repeat` alternating runs of both ways (a busy machine drifts)."""
    os.environ["SHOP_BENCH_BATCH"] = str(batch)  # requests per sample of the demo client
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    for _ in range(repeat):
        work = Path(tempfile.mkdtemp(prefix="perfbot-overhead-"))
        try:
            repo = demo.make_repository(work / "shop", "slow-search")
            ours.append(via_perfbot(repo, rounds, work / "out"))
            theirs.append(direct(repo, rounds, work / "direct"))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def medians(runs: list[dict[str, float]]) -> dict[str, float]:
        return {phase: statistics.median(run[phase] for run in runs) for phase in PHASES}

    return medians(ours), medians(theirs)


def report(
    rounds: int, batch: int, repeat: int, ours: dict[str, float], theirs: dict[str, float]
) -> None:
    print(f"\ndemo project, {rounds} rounds a side, {batch} requests per sample; "
          f"medians of {repeat} runs each")  # fmt: skip
    print(f"{'phase':<10} {'perfbot':>9} {'direct':>9} {'difference':>11}")
    for phase in PHASES:
        print(f"{phase:<10} {ours[phase]:>8.2f}s {theirs[phase]:>8.2f}s "
              f"{ours[phase] - theirs[phase]:>+10.2f}s")  # fmt: skip
    overhead = ours["total"] - ours["confirm"] - theirs["total"]
    per_round = (ours["benchmark"] - theirs["benchmark"]) / (2 * rounds)
    outside = ours["total"] - sum(ours[phase] for phase in PHASES if phase != "total")
    print(
        f"overhead {overhead:+.2f}s = {overhead / theirs['benchmark'] * 100:+.1f} % of the "
        f"benchmark time ({theirs['benchmark']:.2f}s); per round and side "
        f"{per_round * 1000:+.0f} ms; perfbot outside its steps (start-up, template, "
        f"reports, clean-up) {outside:.2f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--batch", type=int, nargs="+", default=[5, 100],
        help="benchmark sizes, in requests per sample: a quick one and the demo's (100)",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=2, help="runs of each way, alternating")
    args = parser.parse_args()
    print("perfbot run --local vs the same commands by hand; target: overhead <= 5 % of the "
          "benchmark time")  # fmt: skip
    for batch in args.batch:
        report(args.rounds, batch, args.repeat, *measure(args.rounds, batch, args.repeat))


if __name__ == "__main__":
    main()
