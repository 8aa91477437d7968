"""The read-only dashboard: jobs and their latest runs, a run, a job's benchmarks, a trend.

Every page is one or two indexed queries and server-side SVG (`charts`), so it stays fast with
a large history (`bench/dashboard_load.py` measures it). Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from bot.dashboard import charts, current_store, markdown
from workflows.changepoints.detect import across, change_points
from workflows.compare.report_reading import row_verdict
from workflows.history import Point, Store
from workflows.history.noise import MIN_RUNS, WINDOW, assess

blueprint = Blueprint(
    "dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/dashboard/static",
)
MAX_WORKFLOW_NAME = 253  # a Kubernetes object name
MAX_RUN_ID = 2**63 - 1  # the store's BIGINT key: a larger id is no run, not a database error
CHANGE_POINT_RUNS = 200  # the main-branch runs the job's change-points page looks at
MAX_CHARTS = 12  # a run page draws the changed benchmarks' trends, at most this many
TOO_LITTLE_HISTORY = "no comparison yet: {runs} main-branch runs so far, {needed} needed"
NO_CHANGE = "no change measured to compare"
SLOW_TAIL = "slow tail grew"  # a report row's `finding` when the tail, not the centre, decided
NO_STORE = "no results history is configured (PERFBOT_HISTORY_URL)"
MISSING = "the {} query parameter is required"


def _store() -> Store:
    store = current_store()
    if store is None:
        abort(404, NO_STORE)
    return store


def _arg(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        abort(400, MISSING.format(name))
    return value[:500]


def verdict_words(report: Mapping[str, Any] | None) -> dict[str, tuple[str, str]]:
    """Per benchmark (the words, the verdict) as the run page shows them, both read from the
    report the page shows below: `inconclusive (too noisy)` rather than a bare word, and a
    change found in the slow tail said so, so the table says what the report says."""
    rows = (report or {}).get("benchmarks")
    words = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, Mapping) and isinstance(row.get("name"), str):
            verdict, reason = row_verdict(row)
            if reason is None and row.get("finding") == SLOW_TAIL:
                reason = SLOW_TAIL
            words[row["name"]] = (f"{verdict} ({reason})" if reason else verdict, verdict)
    return words


def _no_note(change: float | None, series: list[Point]) -> str:
    """Why a row has no note from history, rather than an empty cell."""
    if change is None:
        return NO_CHANGE
    usable = sum(1 for p in series if p.change is not None)
    return TOO_LITTLE_HISTORY.format(runs=usable, needed=MIN_RUNS)


@blueprint.get("/")
def index() -> str:
    return render_template("index.html", jobs=_store().latest_per_job())


@blueprint.get("/job")
def job() -> str:
    store = _store()
    repo, name = _arg("repo"), _arg("job")
    runs = store.runs(repo=repo, job=name, limit=50)
    if not runs:
        abort(404, f"no runs of {name} in {repo}")
    return render_template(
        "job.html", repo=repo, job=name, runs=runs, benchmarks=store.benchmark_names(repo, name)
    )


@blueprint.get("/runs/by-workflow/<name>")
def run_of_workflow(name: str) -> Response:
    """The run a PR comment links to by its workflow's name (the comment is written before the
    run is stored); 404 until it is."""
    run_id = _store().run_id_of_workflow(name) if len(name) <= MAX_WORKFLOW_NAME else None
    if run_id is None:
        abort(404, "this run is not in the history (yet): try again in a minute")
    return redirect(url_for(".run", run_id=run_id))


@blueprint.get("/runs/<int:run_id>")
def run(run_id: int) -> str:
    store = _store()
    found = store.run(run_id) if run_id <= MAX_RUN_ID else None
    if found is None:
        abort(404, f"no run {run_id}")
    rows = store.benchmarks(run_id)
    report, report_markdown = store.report(run_id)
    history = store.recent_series(found.repo, found.job, runs_back=WINDOW)
    threshold = ((report or {}).get("options") or {}).get("threshold")
    notes, trends = {}, []
    words = verdict_words(report)
    for row in rows:
        series = [p for p in history.get(row.name, []) if p.run_id != run_id]
        noise = assess(row.change, [p.change for p in series], threshold)
        notes[row.name] = noise.note(row.verdict) if noise else _no_note(row.change, series)
        if row.verdict in ("regressed", "improved") and series and len(trends) < MAX_CHARTS:
            trends.append((row.name, charts.trend(row.name, series, row.side("head", "median"))))
    return render_template(
        "run.html",
        run=found,
        rows=rows,
        words=words,
        notes=notes,
        trends=trends,
        report_html=markdown.to_html(report_markdown) if report_markdown else "",
    )


@blueprint.get("/benchmark")
def benchmark() -> str:
    store = _store()
    repo, name, bench = _arg("repo"), _arg("job"), _arg("name")
    series = store.series(repo, name, bench)
    flagged = store.flagged(repo, name, bench)
    if not series and not flagged:
        abort(404, f"no runs of {bench} in {repo} {name}")
    changes = change_points(bench, series)
    marked = [c.run_id for c in changes]
    return render_template(
        "benchmark.html",
        repo=repo,
        job=name,
        name=bench,
        chart=charts.trend(bench, series, changes=marked) if series else "",
        points=len(series),
        changes=list(reversed(changes)),
        flagged=flagged,
    )


@blueprint.get("/changes")
def changes() -> str:
    """Where main moved lately, across all of a job's benchmarks: the change points of each
    benchmark's series over the last CHANGE_POINT_RUNS main-branch runs, newest first; the
    page says how many runs there were, not the most it would look at."""
    store = _store()
    repo, name = _arg("repo"), _arg("job")
    series = store.recent_series(repo, name, runs_back=CHANGE_POINT_RUNS)
    seen = len({p.run_id for points in series.values() for p in points})
    return render_template(
        "changes.html",
        repo=repo,
        job=name,
        runs=CHANGE_POINT_RUNS,
        seen=seen,
        changes=across(series),
    )
