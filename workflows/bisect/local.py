"""`perfbot bisect --local`: the search of `search`, each step a local run of the job.

A step is `perfbot run --local` with the older commit as base and the newer as head and only
the bisected benchmarks measured (the `benchmarks` workflow parameter): the same template,
interleaved rounds, verdict rules and confirmation run as any run. Each step's reports stay in
`--out/steps/NN-<older>-<newer>/`; `bisect.json` and the printed summary say what was found.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workflows.bisect import summary, targets
from workflows.bisect.commits import first_parent_range, subject
from workflows.bisect.search import Bisection, bisect
from workflows.errors import BadInput
from workflows.local import runner
from workflows.local.worktrees import GitError

BISECT_JSON = "bisect.json"
SUMMARY_TXT = "bisect.txt"


@dataclass(frozen=True)
class BisectRun:
    """What `perfbot bisect --local` was asked to do."""

    repo: Path
    base: str
    head: str
    job: str | None = None
    config: Path | None = None
    out: Path = Path("perfbot-bisect")
    report: Path = Path("perfbot-out") / "report.json"
    benchmarks: tuple[str, ...] = ()
    rounds: int | None = None
    max_steps: int | None = None  # default: the job's bisect.max_steps
    quiet: bool = False


@dataclass
class Bisected:
    found: Bisection
    text: str
    commits: list[str]
    benchmarks: tuple[str, ...]
    durations: list[float] = field(default_factory=list)


def _benchmarks(request: BisectRun) -> tuple[str, ...]:
    try:
        if request.benchmarks:
            return targets.checked(request.benchmarks)
        return targets.from_report(request.report)
    except targets.NoTargets as exc:
        raise BadInput(str(exc)) from None


def run(
    request: BisectRun,
    *,
    echo: Callable[[str], None] = print,
    note: Callable[[str], None] = print,
) -> Bisected:
    """Check everything, then bisect; BadInput (exit 2) or runner.PipelineFailed (exit 3)."""
    first = runner.LocalRun(
        repo=request.repo, base=request.base, head=request.head, job=request.job,
        config=request.config, rounds=request.rounds,
    )  # fmt: skip
    prepared = runner.prepare(first)  # refs, config, job, rounds: exit 2 before any build
    try:
        commits = first_parent_range(prepared.repo, prepared.base_sha, prepared.head_sha)
    except GitError as exc:
        raise BadInput(str(exc)) from None
    names = _benchmarks(request)
    budget = request.max_steps if request.max_steps is not None else prepared.bisect_steps
    if budget < 1:
        raise BadInput(f"--max-steps must be at least 1, got {budget}")
    out = request.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    note(
        f"perfbot bisect --local · {prepared.job_name} · {len(commits) - 1} commits from "
        f"{commits[0][:10]} to {commits[-1][:10]} · {len(names)} benchmark(s) · "
        f"at most {budget} steps"
    )
    durations: list[float] = []

    def measure(older: str, newer: str) -> dict[str, str]:
        index = len(durations) + 1
        note(f"step {index}: {older[:10]} (base) vs {newer[:10]} (head)")
        started = time.monotonic()
        outcome = runner.run(
            runner.LocalRun(
                repo=prepared.repo, base=older, head=newer, job=prepared.job_name,
                config=request.config, out=out / "steps" / f"{index:02d}-{older[:7]}-{newer[:7]}",
                rounds=request.rounds, quiet=request.quiet, benchmarks=names,
            ),
            echo=lambda _text: None,  # each step's report is in its directory
        )  # fmt: skip
        durations.append(time.monotonic() - started)
        report = json.loads((outcome.out / "report.json").read_text(encoding="utf-8"))
        verdicts = targets.verdicts(report, names)
        note(f"step {index}: " + ", ".join(f"{n} {v}" for n, v in verdicts.items()))
        return verdicts

    found = bisect(commits, measure, budget)
    subjects = {sha: subject(prepared.repo, sha) for sha in found.culprits}
    for sha in (found.good, found.bad):
        if sha is not None:
            subjects[sha] = subject(prepared.repo, sha)
    text = summary.text(found, subjects=subjects, durations=durations, budget=budget)
    document = summary.as_json(
        found, commits=commits, benchmarks=names, durations=durations, budget=budget
    )
    (out / BISECT_JSON).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (out / SUMMARY_TXT).write_text(text, encoding="utf-8")
    echo(text.rstrip("\n"))
    return Bisected(found, text, commits, names, durations)
