"""`perfbot run --local`: one job's WorkflowTemplate, executed on this machine, base vs head.

The template is built in-process from the user's config with the same Hera builders that render
`templates/` (never read from YAML: the user's config may differ), handed to the local
executor with the parameters a submission would carry, and the run's products are collected:
the two sides' results, and the compare step's reports, into `--out`.

Exit codes: 0 the comparison ran; 1 `--fail-on-regression` and a regression; 2 bad input
(not a git repository, a bad ref, a missing or invalid config, an unknown job, a job that cannot
run locally); 3 the pipeline failed (a step failed or the deadline passed); 4
`--fail-on-regression`, nothing regressed, but a benchmark could not be judged (inconclusive);
130 interrupted.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflows.errors import EXIT_INCONCLUSIVE as INCONCLUSIVE_CODE
from workflows.errors import BadInput
from workflows.local import links, reports
from workflows.local.cautions import cautions
from workflows.local.containers import RunContext, base_environment, project_bin
from workflows.local.executor import Executor, InvalidRun, RunResult
from workflows.local.nodes import Node
from workflows.local.preflight import NotRunnable
from workflows.local.progress import choose
from workflows.local.worktrees import GitError, Worktrees, resolve_commit, toplevel

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_BAD_INPUT = 2
EXIT_PIPELINE_FAILED = 3
EXIT_INCONCLUSIVE = INCONCLUSIVE_CODE
EXIT_INTERRUPTED = 130
CONFIG_NAME = "perfbot.yaml"
CONFIG_ENV = "PERFBOT_CONFIG"
LOG_TAIL_LINES = 20
MAX_ROUNDS = 1000


class PipelineFailed(Exception):
    """The pipeline ran and a step failed (or the deadline passed); the message says which."""

    def __init__(self, message: str, exit_code: int = EXIT_PIPELINE_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class LocalRun:
    """What `perfbot run --local` was asked to do."""

    repo: Path
    base: str
    head: str
    job: str | None = None
    config: Path | None = None
    out: Path = Path("perfbot-out")
    rounds: int | None = None
    quiet: bool = False
    fail_on_regression: bool = False
    keep_work: bool = False
    benchmarks: tuple[str, ...] = ()  # measure only these (a bisection's step); none: all


@dataclass
class Outcome:
    exit_code: int
    text_report: str
    verdict: str
    out: Path
    result: RunResult
    repo_name: str = ""  # the config's owner/name, what the history records the run under


@dataclass(frozen=True)
class Prepared:
    repo: Path
    repo_name: str
    job_name: str
    base_sha: str
    head_sha: str
    template: dict[str, Any]
    parameters: dict[str, str]
    warnings: tuple[str, ...] = ()
    bisect_steps: int = 8  # the job's bisect.max_steps


def prepare(request: LocalRun) -> Prepared:
    """Everything checked before a process starts; BadInput (exit 2) for anything wrong."""
    from workflows.config import ConfigError, load_config  # pydantic: only when running

    try:
        repo = toplevel(request.repo.resolve())
    except (GitError, FileNotFoundError) as exc:
        raise BadInput(f"--repo {request.repo}: {exc}") from None
    base_sha = _commit(repo, request.base, "--base")
    head_sha = _commit(repo, request.head, "--head")
    config_path = request.config or _config_from_environment() or repo / CONFIG_NAME
    if not config_path.is_file():
        raise BadInput(f"no config at {config_path} (pass --config FILE)")
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise BadInput(str(exc).replace("\n", "; ")) from None
    job = _job(config, request.job, config_path)
    repo_name = config.repo_of(job.name) or ""
    if request.rounds is not None and not 1 <= request.rounds <= MAX_ROUNDS:
        raise BadInput(f"--rounds must be from 1 to {MAX_ROUNDS}, got {request.rounds}")

    from workflows.pipeline.parameters import ROUNDS, submit_parameters
    from workflows.pipeline.workflow import build_workflow_template

    template = build_workflow_template(config, job).to_dict()
    parameters = submit_parameters(
        repo_name, job, head_sha=head_sha, base_sha=base_sha, base_ref=request.base,
        head_ref=request.head, benchmarks=request.benchmarks,
    )  # fmt: skip
    if request.rounds is not None:
        parameters[ROUNDS] = str(request.rounds)
    warnings = tuple(cautions(repo, request.head, base_sha, head_sha, config=config_path))
    return Prepared(repo, repo_name, job.name, base_sha, head_sha, template, parameters,
                    warnings, job.bisect.max_steps)  # fmt: skip


def _config_from_environment() -> Path | None:
    """`$PERFBOT_CONFIG`, the config the bot and every other command read, when set."""
    value = os.environ.get(CONFIG_ENV, "")
    return Path(value) if value else None


def _commit(repo: Path, ref: str, flag: str) -> str:
    try:
        return resolve_commit(repo, ref)
    except GitError as exc:
        raise BadInput(f"{flag}: {exc}") from None


def _job(config: Any, name: str | None, path: Path) -> Any:
    if name is not None:
        job = config.job(name)
        if job is None:
            known = sorted(j for repo in config.repos.values() for j in repo.jobs)
            raise BadInput(f"{path}: no job {name!r} (jobs: {', '.join(known)})")
        return job
    if len(config.repos) != 1:
        raise BadInput(f"{path} configures several repositories; pass --job NAME")
    repo = next(iter(config.repos.values()))
    return repo.jobs[repo.default_job]


def run(request: LocalRun, *, echo: Callable[[str], None] = print) -> Outcome:
    """Prepare, execute, collect; raises BadInput or PipelineFailed, else returns the outcome."""
    prepared = prepare(request)
    out = request.out.resolve()
    logs = out / "logs"
    if logs.exists():
        shutil.rmtree(logs)
    logs.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="perfbot-local-"))
    project = project_bin(prepared.repo)
    base_env = base_environment(first=project)
    base_env[links.ENV] = (
        "true" if links.commit_links(prepared.repo, prepared.repo_name) else "false"
    )
    context = RunContext(
        work_dir=work,
        logs_dir=logs,
        worktrees=Worktrees(prepared.repo),
        base_env=base_env,
    )
    title = (
        f"perfbot run --local · {prepared.job_name} · base {prepared.base_sha[:10]} "
        f"({request.base}) vs head {prepared.head_sha[:10]} ({request.head})"
    )
    progress = choose(request.quiet, title)
    display = progress
    for warning in prepared.warnings:
        display.warning(warning)
    if project is not None:
        display.warning(PROJECT_PYTHON.format(bin=project))
    try:
        try:
            executor = Executor(
                prepared.template, parameters=prepared.parameters, run=context, display=display
            )
        except InvalidRun as exc:
            raise BadInput(str(exc)) from None
        if hasattr(progress, "follow"):
            progress.follow(executor.state.nodes)
        with progress, _interrupts(executor.interrupt):
            try:
                result = executor.run()
            except NotRunnable as exc:
                raise BadInput(f"job {prepared.job_name} cannot run locally: {exc}") from None
        if not result.succeeded:
            message, code = failure_message(result, logs, context.base_env.get("PATH"))
            raise PipelineFailed(message + reports.salvage(result, context, out), code)
        collected = reports.collect(result, out)
    finally:
        if not request.keep_work:
            shutil.rmtree(work, ignore_errors=True)
    echo(collected.text)
    code = EXIT_OK
    if request.fail_on_regression and collected.verdict == "regressed":
        code = EXIT_REGRESSION
    elif request.fail_on_regression and collected.verdict == "inconclusive":
        code = EXIT_INCONCLUSIVE
    return Outcome(code, collected.text, collected.verdict, out, result, prepared.repo_name)


@contextmanager
def _interrupts(stop: Callable[[str], None]) -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the run cleanly instead of killing perfbot mid-way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = {signal.SIGINT: "interrupted (Ctrl-C)", signal.SIGTERM: "terminated (SIGTERM)"}
    previous = {sig: signal.getsignal(sig) for sig in names}

    def handler(signum: int, frame: Any) -> None:
        stop(names[signal.Signals(signum)])

    for sig in names:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def failure_message(result: RunResult, logs: Path, path: str | None = None) -> tuple[str, int]:
    """One clear message: what stopped the run, which step, and the tail of its log."""
    if result.interrupted:
        return (
            f"{result.interrupted}: stopped every step and daemon, removed the worktrees",
            EXIT_INTERRUPTED,
        )
    node = result.failed
    if result.deadline_exceeded:
        running = node.name if node is not None else "a step"
        head = f"the run exceeded its deadline (activeDeadlineSeconds) during {running}"
    elif node is not None:
        head = f"step {node.id} {node.phase.value.lower()}: {node.message}"
    else:
        head = f"the pipeline {result.phase.value.lower()}: {result.root.message}"
    return head + _log_tail(node, logs) + _which_python(node, path), EXIT_PIPELINE_FAILED


PROJECT_PYTHON = (
    "steps run `python` from {bin} (the repository's virtual environment, first on PATH)"
)
WHICH_PYTHON = (
    "\nnote: `{name}` in this step is {found}. Steps run in fresh worktrees of the commits, "
    "without untracked files: a relative `.venv/bin/python` is not there. A `.venv` or `venv` "
    "at the repository's root comes first on PATH, else the Python that runs perfbot; or "
    'install the benchmark\'s tools there. See docs/local.md, "Which Python a step runs"'
)
_PYTHON = re.compile(r"python[0-9.]*")


def _which_python(node: Node | None, path: str | None) -> str:
    """A failed step that ran a bare `python` may have meant the user's, not perfbot's."""
    if node is None:
        return ""
    name = next((item for item in node.argv if _PYTHON.fullmatch(item)), None)
    if name is None:
        return ""
    return WHICH_PYTHON.format(name=name, found=shutil.which(name, path=path) or "not found")


def _log_tail(node: Node | None, logs: Path) -> str:
    if node is None or node.log is None or not node.log.is_file():
        return ""
    lines = node.log.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines:
        return f"\n(log {node.log} is empty)"
    tail = "\n".join(f"  {line}" for line in lines[-LOG_TAIL_LINES:])
    return f"\nlast {min(len(lines), LOG_TAIL_LINES)} lines of {node.log}:\n{tail}"
