"""A bisection on the demo's shop, with the slowdown in the middle of eight commits.

Builds a throwaway repository from `examples/demo/` (as `perfbot demo` does): a baseline commit,
then eight commits, each a harmless edit (a line in the README, a comment in the service),
except commit `--slow-at` (default 4), which also applies the demo's real slowdown
(`examples/demo/changes/slow-search.patch`). Then, as a user would:

1. `perfbot run --local --base <baseline> --head <commit 8>`: the run that flags `GET /search`
   (skipped with `--benchmark NAME`, which names what to bisect instead);
2. `perfbot bisect --local` from that run's report.

Prints the commit found (and which of the eight it is), the number of steps, each step's
verdict and time, and the total time. The timings are this machine's, at that moment.

    python bench/bisect_demo.py [--commits 8] [--slow-at 4] [--rounds N] [--benchmark NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workflows.local import demo

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "perfbot bench",
    "GIT_AUTHOR_EMAIL": "bench@perfbot.invalid",
    "GIT_COMMITTER_NAME": "perfbot bench",
    "GIT_COMMITTER_EMAIL": "bench@perfbot.invalid",
}
PERFBOT = str(Path(sys.executable).parent / "perfbot")


def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(["git", "-C", str(repo), *args], env=GIT_ENV, check=True,
                               capture_output=True, text=True)  # fmt: skip
    return completed.stdout.strip()


def make_history(target: Path, commits: int, slow_at: int) -> list[str]:
    """The baseline and `commits` commits after it; commit `slow_at` slows /search down."""
    source = demo.demo_dir()
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("changes", "__pycache__"))
    git(target, "init", "--quiet", "--initial-branch=main")
    git(target, "add", "--all")
    git(target, "commit", "--quiet", "--no-verify", "-m", "shop: baseline")
    shas = [git(target, "rev-parse", "HEAD")]
    for number in range(1, commits + 1):
        with (target / "README.md").open("a", encoding="utf-8") as readme:
            readme.write(f"\nChange {number}: notes.\n")
        server = target / "shop" / "server.py"
        server.write_text(server.read_text(encoding="utf-8") + f"# change {number}\n")
        message = f"change {number}: notes"
        if number == slow_at:
            git(target, "apply", str(source / "changes" / "slow-search.patch"))
            message = f"change {number}: {demo.CHANGES['slow-search']}"
        git(target, "commit", "--quiet", "--no-verify", "--all", "-m", message)
        shas.append(git(target, "rev-parse", "HEAD"))
    return shas


def open_reasons(steps: Path) -> dict[int, str]:
    """Step index -> why its benchmarks could not be judged (from each step's report)."""
    reasons = {}
    for index, directory in enumerate(sorted(steps.iterdir())):
        report = json.loads((directory / "report.json").read_text(encoding="utf-8"))
        why = {row.get("reason") for row in report["benchmarks"] if row.get("reason")}
        if why:
            reasons[index] = "; ".join(sorted(str(reason) for reason in why))
    return reasons


def perfbot(*args: str) -> tuple[int, float]:
    started = time.monotonic()
    completed = subprocess.run([PERFBOT, *args], check=False)
    return completed.returncode, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=8)
    parser.add_argument("--slow-at", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--benchmark", default=None, help="bisect this, without the first run")
    options = parser.parse_args()
    if not 1 <= options.slow_at <= options.commits:
        parser.error("--slow-at must be one of the commits")
    work = Path(tempfile.mkdtemp(prefix="perfbot-bisect-bench-"))
    try:
        repo = work / "shop"
        shas = make_history(repo, options.commits, options.slow_at)
        rounds = ["--rounds", str(options.rounds)] if options.rounds else []
        common = ["--local", "--repo", str(repo), "--base", shas[0], "--head", shas[-1], *rounds,
                  "--quiet"]  # fmt: skip
        run_seconds = 0.0
        if options.benchmark is None:
            code, run_seconds = perfbot("run", *common, "--out", str(work / "run"))
            if code != 0:
                print(f"perfbot run --local failed ({code})", file=sys.stderr)
                return 1
            print(f"the run across all {options.commits} commits: {run_seconds:.0f} s")
            targets = ["--report", str(work / "run" / "report.json")]
        else:
            targets = ["--benchmark", options.benchmark]
        code, bisect_seconds = perfbot("bisect", *common, *targets, "--out", str(work / "b"))
        if code != 0:
            print(f"perfbot bisect --local failed ({code})", file=sys.stderr)
            return 1
        document = json.loads((work / "b" / "bisect.json").read_text(encoding="utf-8"))
        reasons = open_reasons(work / "b" / "steps")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    found = [shas.index(sha) for sha in document["culprits"]]
    print()
    print(f"history: baseline + {options.commits} commits, the slowdown in commit "
          f"{options.slow_at}; bisected: {', '.join(document['benchmarks'])}")  # fmt: skip
    for number, step in enumerate(document["steps"], start=1):
        older, newer = shas.index(step["older"]), shas.index(step["newer"])
        why = f", {reasons[number - 1]}" if reasons.get(number - 1) else ""
        print(f"step {number}: commit {older} vs {newer}: {step['verdict']} "
              f"({step['seconds']:.0f} s{why})")  # fmt: skip
    print(f"outcome: {document['outcome']}; commit(s) found: {found or 'none'} "
          f"(expected [{options.slow_at}]); {len(document['steps'])} steps; "
          f"bisect {bisect_seconds:.0f} s")  # fmt: skip
    return 0 if found == [options.slow_at] else 1


if __name__ == "__main__":
    sys.exit(main())
