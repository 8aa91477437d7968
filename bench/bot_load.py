"""The bot under a burst of deliveries: response times, runs, duplicates, lost commands.

Starts the real app under gunicorn (the committed config) and the stand-in GitHub and Argo
servers as separate processes, all on 127.0.0.1 with free ports; each stand-in answers every
request after `--latency` seconds. Then, with `--concurrency` deliveries in flight at a time:

1. burst: `--deliveries` signed `/run-perf main` deliveries, distinct delivery ids, one pull
   request each;
2. redelivery: the same deliveries again, as GitHub's "Redeliver" sends them: no new run;
3. two replicas: a second gunicorn instance starts; as many new deliveries, each sent to both
   instances at once: exactly one run per delivery.

For each phase it prints p50/p95/p99/max of the webhook's response time, the outcomes, the runs
Argo holds afterwards, duplicate runs, errors, and whether every delivery was acknowledged on
its pull request (reply, check run, reaction) once the follow-ups settled. A short warm-up
(`/perf-bot help` on other pull requests) first lets each worker log in to the stand-in
GitHub; it is not counted. Targets (issue 6): p99 <= 200 ms, no lost command, no duplicate.
Exits 1 when a command was lost or doubled (not for timing: that is a figure, not a test).
Bot settings exported as `PERFBOT_*` variables (say `PERFBOT_FOLLOWUP_WORKERS=2`) are passed on.

`--baseline REF` first measures this checkout and the bot of a git commit side by side: the
commit's tree is exported (`git archive`) and served by its own gunicorn against the same
stand-ins; `--rounds` rounds then send a slice of `--deliveries` to each in turn, so drift of a
busy machine falls on both alike. It prints p50/p99 of each, and how often each bot's log says
`Connection pool is full` (PyGithub clients shared by threads, issue 12).

    python bench/bot_load.py [--latency 0.05] [--deliveries 200] [--concurrency 16]
                             [--baseline REF [--rounds 4]]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from workflows.callback import sign

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "contracts" / "github" / "issue_comment.created.with-installation.json"
CONFIG = ROOT / "tests" / "bot" / "perfbot.test.yaml"  # serves Codertocat/Hello-World, job api
REPO = "Codertocat/Hello-World"
AUTHOR = "Codertocat"
WEBHOOK_SECRET = "bench-webhook-secret"
CALLBACK_SECRET = "bench-callback-secret"
ARGO_TOKEN = "bench-argo-token"
GITHUB_TOKEN = "bench-github-token"  # the stand-in's static token, for reading its state
APP_ID = 4242
MAIN_SHA = "a" * 40
START_TIMEOUT = 30.0
SETTLE_TIMEOUT = 60.0
REQUEST_TIMEOUT = 15.0
WARMUP_BASE = 10_000  # pull request numbers of the warm-up
REPLICA_BASE = 20_000  # pull request numbers of the two-replica phase
SIDE_BASE = 30_000  # pull request numbers of the side-by-side phase (`--baseline`)
POOL_FULL = "Connection pool is full"
TUNABLE = ("PERFBOT_GITHUB_", "PERFBOT_ARGO_", "PERFBOT_RETRY_", "PERFBOT_DELIVERY_",
           "PERFBOT_READ_", "PERFBOT_FOLLOWUP_")  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Delivery:
    pr: int
    delivery_id: str
    body: bytes
    headers: dict[str, str]


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


# -- the processes ----------------------------------------------------------------------------


class Processes:
    """Every process the benchmark starts, stopped (and waited for) on exit."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.started: list[tuple[str, subprocess.Popen[str]]] = []

    def start(
        self, name: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT
    ) -> Any:
        log = (self.workdir / f"{name}.log").open("w")
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE if env is None else log,
            stderr=log,
            text=True,
        )
        self.started.append((name, process))
        return process

    def stop_all(self) -> None:
        for _, process in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _, process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def standin_url(process: subprocess.Popen[str]) -> str:
    """The first line a stand-in prints is its URL."""
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("http://127.0.0.1:"):
        raise SystemExit(f"a stand-in did not start (exit code {process.poll()})")
    return line


def app_keys(workdir: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = workdir / "app.pem"
    public = workdir / "app.pub.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def seed(workdir: Path, prs: list[int]) -> Path:
    state = {
        REPO: {
            "installation_id": 1,
            "branches": {"main": MAIN_SHA},
            "roles": {AUTHOR: "admin"},
            "pulls": {str(pr): {"head_sha": f"{pr:040x}", "base_ref": "main"} for pr in prs},
            "comments": {
                str(comment_id(pr)): {"issue": pr, "body": "(the command)", "login": AUTHOR}
                for pr in prs
            },
        }
    }
    path = workdir / "github-state.json"
    path.write_text(json.dumps(state))
    return path


def comment_id(pr: int) -> int:
    return 1_000_000 + pr


def export(ref: str, workdir: Path) -> Path:
    """The tree of commit `ref`, for a gunicorn serving that version of the bot."""
    tree = workdir / "baseline"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(f"--baseline {ref}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def gunicorn(
    processes: Processes,
    name: str,
    env: dict[str, str],
    workdir: Path,
    source: Path = ROOT,
) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    metrics = workdir / f"{name}-metrics"
    metrics.mkdir()
    env = {**env, "PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:bot.server.gunicorn_conf"]
    process = processes.start(name, [*argv, "bot.server.wsgi:app"], env, cwd=source)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}; see {workdir}/{name}.log")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):  # still booting
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return url, process
        time.sleep(0.1)
    raise SystemExit(f"{name} did not become healthy within {START_TIMEOUT:g} s")


# -- deliveries -------------------------------------------------------------------------------


@cache
def example_payload() -> dict[str, Any]:
    """GitHub's published `issue_comment` example, made a PR comment by `delivery`."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def delivery(pr: int, text: str, delivery_id: str | None = None) -> Delivery:
    payload = copy.deepcopy(example_payload())
    issue = payload["issue"]
    issue["number"] = pr
    html = f"https://github.com/{REPO}/pull/{pr}"
    issue["pull_request"] = {
        "url": f"https://api.github.com/repos/{REPO}/pulls/{pr}",
        "html_url": html,
        "diff_url": html + ".diff",
        "patch_url": html + ".patch",
        "merged_at": None,
    }
    payload["comment"]["id"] = comment_id(pr)
    payload["comment"]["body"] = text
    body = json.dumps(payload).encode()
    delivery_id = delivery_id or str(uuid.uuid4())
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issue_comment",
        "X-GitHub-Delivery": delivery_id,
        "X-Hub-Signature-256": sign(body, WEBHOOK_SECRET),
    }
    return Delivery(pr, delivery_id, body, headers)


_local = threading.local()


def post(url: str, item: Delivery) -> tuple[float, int, str]:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    started = time.perf_counter()
    response = session.post(
        f"{url}/webhook", data=item.body, headers=item.headers, timeout=REQUEST_TIMEOUT
    )
    elapsed = time.perf_counter() - started
    try:
        outcome = str(response.json().get("outcome", ""))
    except ValueError:
        outcome = "(not JSON)"
    return elapsed, response.status_code, outcome


def run_phase(name: str, sends: list[tuple[str, Delivery]], concurrency: int) -> Phase:
    phase = Phase(name)
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(post, url, item) for url, item in sends]
        for future in futures:
            try:
                elapsed, status, outcome = future.result(timeout=REQUEST_TIMEOUT * 2)
            except Exception as exc:  # a benchmark reports failures, it does not stop on them
                phase.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            phase.latencies.append(elapsed)
            phase.outcomes[outcome if status == 200 else f"{status} {outcome}"] += 1
    phase.seconds = time.perf_counter() - started
    return phase


# -- what the stand-ins saw -------------------------------------------------------------------


def runs_by_name(argo_url: str) -> dict[str, dict[str, str]]:
    response = requests.get(
        f"{argo_url}/api/v1/workflows/perfbot",
        headers={"Authorization": f"Bearer {ARGO_TOKEN}"},
        timeout=30,
    )
    response.raise_for_status()
    items = response.json().get("items") or []
    return {item["metadata"]["name"]: item["metadata"]["labels"] for item in items}


def github_summary(github_url: str) -> dict[str, Any]:
    response = requests.get(f"{github_url}/_standin/summary", timeout=30)
    response.raise_for_status()
    return response.json()["repos"][REPO]


def wait_until(condition: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until `condition` held; None if it did not within `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if condition():
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


# -- report -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(phase: Phase, facts: dict[str, Any]) -> None:
    ms = [value * 1000 for value in phase.latencies]
    print(f"\n== {phase.name}")
    print(f"   requests: {len(phase.latencies) + len(phase.errors)} in {phase.seconds:.2f} s")
    failed = sum(n for outcome, n in phase.outcomes.items() if not outcome[:1].isalpha())
    if failed:
        phase.errors.append(f"{failed} answers other than 200")
    if ms:
        print(
            f"   response time ms: p50 {percentile(ms, 0.50):.1f}  p95 {percentile(ms, 0.95):.1f}"
            f"  p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f}  mean {statistics.mean(ms):.1f}"
        )
    print(f"   outcomes: {dict(sorted(phase.outcomes.items()))}")
    for key, value in facts.items():
        print(f"   {key}: {value}")
    if phase.errors:
        print(f"   errors ({len(phase.errors)}): {sorted(set(phase.errors))[:5]}")


# -- the benchmark ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per stand-in call")
    parser.add_argument("--deliveries", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=16, help="threads per gunicorn worker")
    parser.add_argument("--baseline", help="a git commit to measure side by side with this tree")
    parser.add_argument("--rounds", type=int, default=4, help="side-by-side rounds (--baseline)")
    args = parser.parse_args()
    if not 1 <= args.deliveries <= 2000 or not 1 <= args.concurrency <= 64:
        parser.error("--deliveries must be 1..2000 and --concurrency 1..64")

    n = args.deliveries
    burst = [delivery(pr, "/run-perf main") for pr in range(1, n + 1)]
    replicas = [delivery(REPLICA_BASE + pr, "/run-perf main") for pr in range(1, n + 1)]
    warmup = [
        [delivery(WARMUP_BASE + 1000 * instance + pr, "/perf-bot help") for pr in range(1, 17)]
        for instance in range(2)
    ]
    side = [delivery(SIDE_BASE + pr, "/run-perf main") for pr in range(1, 2 * n + 1)]
    side_warmup = [delivery(WARMUP_BASE + 2000 + pr, "/perf-bot help") for pr in range(1, 17)]
    all_prs = [item.pr for item in (*burst, *replicas, *warmup[0], *warmup[1], *side, *side_warmup)]

    with tempfile.TemporaryDirectory(prefix="perfbot-bench-") as tmp:
        workdir = Path(tmp)
        processes = Processes(workdir)
        try:
            return bench(
                args, workdir, processes, burst, replicas, warmup, all_prs, side, side_warmup
            )
        finally:
            processes.stop_all()


def bench(
    args: argparse.Namespace,
    workdir: Path,
    processes: Processes,
    burst: list[Delivery],
    replicas: list[Delivery],
    warmup: list[list[Delivery]],
    all_prs: list[int],
    side: list[Delivery],
    side_warmup: list[Delivery],
) -> int:
    private, public = app_keys(workdir)
    latency = str(args.latency)
    github = processes.start(
        "github",
        [sys.executable, "-m", "tests.standins.github_server",
         "--seed", str(seed(workdir, all_prs)), "--latency", latency, "--token", GITHUB_TOKEN,
         "--app-id", str(APP_ID), "--app-public-key", str(public)],
    )  # fmt: skip
    argo = processes.start(
        "argo",
        [sys.executable, "-m", "tests.standins.argo_server", "--token", ARGO_TOKEN,
         "--template", "perf-api", "--template", "perf-cli", "--latency", latency],
    )  # fmt: skip
    github_api, argo_url = standin_url(github), standin_url(argo)
    github_url = github_api.removesuffix("/api/v3")
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV")},
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": str(args.workers),
        "PERFBOT_THREADS": str(args.threads),
        "PERFBOT_LOG_LEVEL": "warning",
        "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PERFBOT_CALLBACK_SECRET": CALLBACK_SECRET,
        "PERFBOT_PUBLIC_URL": "http://perfbot.bench.invalid",
        "PERFBOT_CONFIG": str(CONFIG),
        "GITHUB_API_URL": github_api,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_APP_PRIVATE_KEY_PATH": str(private),
        "ARGO_SERVER": argo_url,
        "ARGO_TOKEN": ARGO_TOKEN,
        "ARGO_NAMESPACE": "perfbot",
        # settings to try (PERFBOT_FOLLOWUP_WORKERS=2 ...) pass through from the caller
        **{k: v for k, v in os.environ.items() if k.startswith(TUNABLE)},
    }
    first, _ = gunicorn(processes, "gunicorn-a", env, workdir)
    print(
        f"perfbot bot_load: {len(burst)} deliveries, concurrency {args.concurrency}, stand-in "
        f"latency {args.latency * 1000:g} ms, gunicorn {args.workers} workers x "
        f"{args.threads} threads"
    )

    def acknowledged(prs: list[int]) -> dict[str, int]:
        state = github_summary(github_url)
        wanted = set(prs)
        return {
            "replied": len(wanted & set(state["commented_issues"])),
            "check_runs": state["check_runs"],
            "reactions": state["reactions"],
            "bot_comments": state["comments_by_bot"],
        }

    def warm_up(url: str, deliveries: list[Delivery]) -> None:
        """Each worker logs in to GitHub on its first command; not part of the figures."""
        warm = run_phase("warm-up", [(url, d) for d in deliveries], len(deliveries))
        prs = [d.pr for d in deliveries]
        wait_until(lambda: acknowledged(prs)["replied"] == len(prs), 30)
        print(f"warm-up: {len(prs)} `/perf-bot help` in {warm.seconds:.2f} s {dict(warm.outcomes)}")

    warm_up(first, warmup[0])
    failures: list[str] = []

    # 0. side by side with another version of the bot
    if args.baseline:
        tree = export(args.baseline, workdir)
        own_config = {"PERFBOT_CONFIG": str(tree / CONFIG.relative_to(ROOT))}  # its own model
        other, _ = gunicorn(
            processes, "gunicorn-baseline", {**env, **own_config}, workdir, source=tree
        )
        warm_up(other, side_warmup)
        side_by_side(args, workdir, {"this tree": first, args.baseline: other}, side)
        wait_until(lambda: acknowledged([d.pr for d in side])["replied"] == len(side), 60)

    base = acknowledged([])

    # 1. the burst
    phase = run_phase("1. burst", [(first, d) for d in burst], args.concurrency)
    prs = [d.pr for d in burst]
    settle = wait_until(lambda: acknowledged(prs)["replied"] == len(prs), SETTLE_TIMEOUT)
    runs = runs_by_name(argo_url)
    facts = check_runs(runs, burst, failures, phase.name)
    after = acknowledged(prs)
    facts["acknowledged (reply/check run/reaction)"] = (
        f"{after['replied']}/{after['check_runs'] - base['check_runs']}/"
        f"{after['reactions'] - base['reactions']} of {len(prs)}"
    )
    facts["follow-ups settled"] = "never" if settle is None else f"{settle:.2f} s after the burst"
    if after["replied"] != len(prs):
        failures.append(f"{phase.name}: {len(prs) - after['replied']} deliveries not acknowledged")
    report(phase, facts)

    # 2. redelivery of the same deliveries
    before = len(runs)
    comments_before = acknowledged([])["bot_comments"]
    phase = run_phase("2. redelivery", [(first, d) for d in burst], args.concurrency)
    time.sleep(1.0)  # anything a redelivery wrongly queued would show by now
    runs = runs_by_name(argo_url)
    extra_comments = acknowledged([])["bot_comments"] - comments_before
    report(
        phase,
        {"new runs": len(runs) - before, "new bot comments": extra_comments},
    )
    if len(runs) != before or extra_comments:
        failures.append(f"{phase.name}: {len(runs) - before} runs, {extra_comments} comments")

    # 3. two replicas, each delivery to both
    second, _ = gunicorn(processes, "gunicorn-b", env, workdir)
    warm_up(second, warmup[1])
    sends = [(url, d) for d in replicas for url in (first, second)]
    phase = run_phase("3. two replicas, every delivery to both", sends, args.concurrency)
    prs = [d.pr for d in replicas]
    settle = wait_until(lambda: acknowledged(prs)["replied"] == len(prs), SETTLE_TIMEOUT)
    runs = runs_by_name(argo_url)
    facts = check_runs(runs, replicas, failures, phase.name)
    after = acknowledged(prs)
    facts["acknowledged (PRs replied to)"] = f"{after['replied']} of {len(prs)}"
    facts["follow-ups settled"] = "never" if settle is None else f"{settle:.2f} s after the burst"
    if after["replied"] != len(prs):
        failures.append(f"{phase.name}: {len(prs) - after['replied']} deliveries not acknowledged")
    report(phase, facts)

    errors = bot_errors(workdir)
    print(f"\nbot log lines at ERROR: {len(errors)}")
    for line in errors[:5]:
        print(f"   {line[:300]}")
    pool_full = {
        log.stem: log.read_text(errors="replace").count(POOL_FULL)
        for log in sorted(workdir.glob("gunicorn-*.log"))
    }
    print(f"log lines '{POOL_FULL}' by instance: {pool_full}")
    print(f"CPU seconds by process: {cpu_seconds(processes)}")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("no lost command, no duplicate run")
    return 0


def side_by_side(
    args: argparse.Namespace, workdir: Path, urls: dict[str, str], deliveries: list[Delivery]
) -> None:
    """`--rounds` rounds, each a slice of the deliveries to every bot in turn."""
    phases = {name: Phase(f"0. side by side: {name}") for name in urls}
    per_slice = max(1, len(deliveries) // (len(urls) * args.rounds))
    slices = [deliveries[i : i + per_slice] for i in range(0, len(deliveries), per_slice)]
    for index, part in enumerate(slices):
        name = list(urls)[index % len(urls)]
        measured = run_phase(name, [(urls[name], d) for d in part], args.concurrency)
        phases[name].latencies += measured.latencies
        phases[name].outcomes.update(measured.outcomes)
        phases[name].errors += measured.errors
        phases[name].seconds += measured.seconds
    logs = {"this tree": "gunicorn-a", args.baseline: "gunicorn-baseline"}
    for name, phase in phases.items():
        text = (workdir / f"{logs[name]}.log").read_text(errors="replace")
        report(phase, {f"log lines '{POOL_FULL}'": text.count(POOL_FULL)})


def check_runs(
    runs: dict[str, dict[str, str]], deliveries: list[Delivery], failures: list[str], name: str
) -> dict[str, Any]:
    """One run per delivery, named after it; one run per pull request."""
    expected = {f"perf-{d.delivery_id}" for d in deliveries}
    prs = {str(d.pr) for d in deliveries}
    per_pr = Counter(labels.get("perfbot/pr") for labels in runs.values())
    duplicates = sum(count - 1 for pr, count in per_pr.items() if pr in prs and count > 1)
    missing = len(expected - set(runs))
    if missing or duplicates:
        failures.append(f"{name}: {missing} runs missing, {duplicates} duplicate runs")
    return {
        "runs created": len(expected & set(runs)),
        "runs missing": missing,
        "duplicate runs": duplicates,
    }


def cpu_seconds(processes: Processes) -> dict[str, float] | str:
    """User + system CPU time of each process and its children (gunicorn's workers), from
    /proc (Linux); where the machine's time went."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    except OSError:
        return "(no /proc)"
    used = {}
    for name, process in processes.started:
        pids = {process.pid} | {pid for pid, (ppid, _) in stats.items() if ppid == process.pid}
        used[name] = round(sum(stats[pid][1] for pid in pids if pid in stats) / ticks, 2)
    return used


def bot_errors(workdir: Path) -> list[str]:
    """The bot's log lines at ERROR, each with the last line of a traceback following it."""
    found = []
    for log in sorted(workdir.glob("gunicorn-*.log")):
        lines = log.read_text(errors="replace").splitlines()
        for index, line in enumerate(lines):
            if " ERROR " in line or "[ERROR]" in line:
                after = lines[index + 1 : index + 60]
                cause = ""
                if after and after[0].startswith("Traceback"):
                    cause = next((a for a in after[1:] if a and not a.startswith(" ")), "")
                found.append(f"{log.stem}: {line} {cause}".strip())
    return found


if __name__ == "__main__":
    sys.exit(main())
