"""`perfbot demo`: the whole pipeline on a real little project, with a real regression.

The demo project (`examples/demo/`, a stdlib HTTP service and its latency benchmark) is copied
into a throwaway git repository: a baseline commit, then a second commit made by applying one
of the patches in `examples/demo/changes/` (`slow-search` slows one endpoint down for real;
`readme-only` changes nothing that runs). Then `perfbot run --local` compares the two commits.

The project is read from the source tree next to this package, which is where an editable
install (`pip install -e .`, what `make demo` does) finds it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from workflows.errors import BadInput
from workflows.local import runner

DEMO_DIR = Path(__file__).resolve().parents[2] / "examples" / "demo"
CHANGES = {
    "slow-search": "search: match names case-insensitively without the key cache",
    "readme-only": "docs: point the README at perfbot.yaml",
}
DEFAULT_CHANGE = "slow-search"
# A throwaway repository must not depend on (or sign with, or run hooks from) the user's setup.
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "perfbot demo",
    "GIT_AUTHOR_EMAIL": "demo@perfbot.invalid",
    "GIT_COMMITTER_NAME": "perfbot demo",
    "GIT_COMMITTER_EMAIL": "demo@perfbot.invalid",
}


DEMO_REPO = "perfbot-demo/shop"  # the name the demo's runs are recorded under


def demo_dir() -> Path:
    if not (DEMO_DIR / "perfbot.yaml").is_file():
        raise BadInput(
            f"the demo project is not at {DEMO_DIR}: run perfbot demo from a source checkout "
            "installed with pip install -e ."
        )
    return DEMO_DIR


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, **_GIT_ENV}
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {completed.stderr.strip()}")


def make_repository(target: Path, change: str = DEFAULT_CHANGE) -> Path:
    """The demo project as a git repository: baseline commit, then `change` on top."""
    if change not in CHANGES:
        raise BadInput(f"unknown change {change!r} (known: {', '.join(CHANGES)})")
    source = demo_dir()
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("changes", "__pycache__"))
    _git(target, "init", "--quiet", "--initial-branch=main")
    _git(target, "add", "--all")
    _git(target, "commit", "--quiet", "--no-verify", "-m", "shop: baseline")
    _git(target, "apply", str(source / "changes" / f"{change}.patch"))
    _git(target, "commit", "--quiet", "--no-verify", "--all", "-m", CHANGES[change])
    return target


def up_front(rounds: int | None) -> str:
    """The demo's duration, said before it starts (`demo_estimate`)."""
    from workflows.config import load_config
    from workflows.local.demo_estimate import estimate, sentence

    job = load_config(demo_dir() / "perfbot.yaml").job("shop-api")
    benchmark = job.benchmark if job is not None else None
    found = estimate(
        rounds=rounds or (benchmark.rounds if benchmark else 10),
        confirm_rounds=(benchmark.confirm_rounds if benchmark else None) or 0,
        environ=os.environ,
        load=os.getloadavg()[0],
        cpus=os.cpu_count() or 1,
    )
    return sentence(found)


def run_demo(
    *,
    change: str = DEFAULT_CHANGE,
    out: Path = Path("perfbot-out"),
    rounds: int | None = None,
    quiet: bool = False,
    keep_repository: bool = False,
    echo: Callable[[str], None] = print,
    note: Callable[[str], None] = print,
) -> runner.Outcome:
    """Make the throwaway repository, run the local pipeline on it, remove it again."""
    workdir = Path(tempfile.mkdtemp(prefix="perfbot-demo-"))
    try:
        repo = make_repository(workdir / "shop", change)
        note(
            f"perfbot demo: a throwaway repository {repo} with a baseline commit and "
            f"'{CHANGES[change]}' on top; comparing HEAD~1 (base) with HEAD (head)"
        )
        note(f"perfbot demo: {up_front(rounds)}")
        request = runner.LocalRun(
            repo=repo, base="HEAD~1", head="HEAD", out=out, rounds=rounds, quiet=quiet
        )
        outcome = runner.run(request, echo=echo)
        note(f"reports in {outcome.out}: report.md, report.json, report.html; logs in logs/")
        from workflows.history.opening import record_run

        note(
            record_run(
                outcome.out, store=None, repo=repo, name=DEMO_REPO, base="HEAD~1", head="HEAD"
            )
        )
        return outcome
    finally:
        if keep_repository:
            note(f"kept the demo repository in {workdir / 'shop'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
