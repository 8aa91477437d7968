"""`perfbot run --local --record` and the demo: a local run's products, into the store.

The local run leaves its JSON and markdown reports and both sides' result files in `--out`;
they are what the store keeps, with every sample and its round. A local run records as a
branch's run (not a pull request's), so recorded runs build the main-branch trend that the
noise-from-history note and the dashboard's trend charts read.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

from workflows.history.sources import from_local
from workflows.history.store import Store
from workflows.results import load_results

DEFAULT_JOB = "default"
BRANCHES = "refs/heads/"


def branch_of(repo: Path, ref: str) -> str | None:
    """The branch name `ref` stands for (`HEAD` on main: `main`), or None for a tag or a bare
    commit: only a branch's run is a point of its trend."""
    found = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--symbolic-full-name", ref],
        capture_output=True,
        text=True,
        check=False,
    )
    name = found.stdout.strip()
    if found.returncode != 0 or not name.startswith(BRANCHES):
        return None
    return name.removeprefix(BRANCHES)


def record_local(
    out: Path, *, store: str, repo: Path, name: str, base_ref: str, head_ref: str
) -> int:
    """Store the run whose products are in `out`; raises StoreError or ResultsError."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    markdown_path = out / "report.md"
    markdown = markdown_path.read_text(encoding="utf-8") if markdown_path.exists() else None
    base = load_results(out / "results" / "base")
    head = load_results(out / "results" / "head")
    job = str((report.get("provenance") or {}).get("job") or DEFAULT_JOB)
    record = from_local(
        report,
        base,
        head,
        repo=name,
        job=job,
        branch=branch_of(repo, head_ref),
        base_ref=base_ref,
        head_ref=head_ref,
        run_name=f"local-{uuid.uuid4().hex[:16]}",
        markdown=markdown,
    )
    opened = Store.open(store)
    try:
        return opened.record(record)
    finally:
        opened.close()
