"""`perfbot history`: the recorded runs, and one benchmark's main-branch series.

It reads the same store the bot writes (a SQLite file, or the cluster's PostgreSQL by URL),
without Flask: `perfbot history --store perfbot-out/history.sqlite` after `make demo`.
With `--benchmark NAME` (and `--repo`, `--job` when the store holds several) it prints the
benchmark's series over the main branch's runs instead. With `--change-points` it prints where
main moved (workflows/changepoints): that benchmark's change points, or without `--benchmark`
every benchmark's, newest first, over the last `--limit` main-branch runs (default
CHANGE_POINT_RUNS: E-Divisive needs runs on both sides of a step). Exit 2 for a store that
cannot be opened or a benchmark without a series.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from workflows.errors import BadInput

if TYPE_CHECKING:
    from workflows.history import Store, StoredRun

STORE_ENV = "PERFBOT_HISTORY_URL"
DEFAULT_STORE = "perfbot-out/history.sqlite"
AMBIGUOUS = "the store holds several jobs ({}): name one with --repo and --job"
NO_SERIES = "no main-branch series of {!r} in {} {}"
RUN_LINE = "{id:>5}  {when}  {repo} {job}  {what:<14} {head}  {verdict}"
POINT_LINE = "{when}  {head}  {value}  {verdict}"
CHANGE_LINE = (
    "{when}  {previous}..{commit}  {magnitude:+.1f} %  {before} → {after} {unit}  p={p:.3f}"
)
RUNS_SHOWN = 20
CHANGE_POINT_RUNS = 200


def _what(run: StoredRun) -> str:
    if run.pr:
        return f"PR #{run.pr}"
    return run.kind if run.kind == "push" else f"{run.kind} {run.branch or ''}".strip()


def _job(store: Store, repo: str | None, job: str | None) -> tuple[str, str]:
    if repo and job:
        return repo, job
    jobs = [
        (r.repo, r.job)
        for r in store.latest_per_job()
        if (repo is None or r.repo == repo) and (job is None or r.job == job)
    ]
    if len(jobs) != 1:
        raise BadInput(AMBIGUOUS.format(", ".join(f"{r} {j}" for r, j in jobs) or "none"))
    return jobs[0]


store_option = click.option(
    "--store",
    envvar=STORE_ENV,
    show_envvar=True,
    default=DEFAULT_STORE,
    show_default=True,
    help="The history: a SQLite file or a postgresql:// URL.",
)


@click.command(name="history")
@store_option
@click.option("--repo", default=None, help="Only this repository (owner/name, as in the config).")
@click.option("--job", default=None, help="Only this job.")
@click.option("--benchmark", default=None, help="Print this benchmark's main-branch series.")
@click.option("--main-only", is_flag=True, help="Only runs of the main branch (pushes, local).")
@click.option(
    "--change-points",
    is_flag=True,
    help="Where main moved: the change points of --benchmark, or of every benchmark.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=None,
    help=f"Runs to list or read [default: {RUNS_SHOWN}; {CHANGE_POINT_RUNS} for --change-points]",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def command(
    store: str,
    repo: str | None,
    job: str | None,
    benchmark: str | None,
    main_only: bool,
    change_points: bool,
    limit: int | None,
    fmt: str,
) -> None:
    """List recorded runs, a benchmark's series on the main branch, or where main moved."""
    from workflows.history.opening import open_store

    opened = open_store(store)
    try:
        if change_points:
            _change_points(opened, repo, job, benchmark, limit or CHANGE_POINT_RUNS, fmt)
            return
        limit = limit or RUNS_SHOWN
        if benchmark is not None:
            _series(opened, repo, job, benchmark, limit, fmt)
        else:
            runs = opened.runs(repo=repo, job=job, main_only=main_only, limit=limit)
            if fmt == "json":
                click.echo(json.dumps({"runs": [r.to_dict() for r in runs]}, indent=2))
                return
            for run in runs:
                click.echo(
                    RUN_LINE.format(
                        id=run.id,
                        when=run.recorded_at.strftime("%Y-%m-%d %H:%M"),
                        repo=run.repo,
                        job=run.job,
                        what=_what(run),
                        head=run.head_sha[:12],
                        verdict=run.verdict or run.status,
                    )
                )
    finally:
        opened.close()


def _series(
    store: Store, repo: str | None, job: str | None, benchmark: str, limit: int, fmt: str
) -> None:
    repo, job = _job(store, repo, job)
    points = store.series(repo, job, benchmark, limit=limit)
    if not points:
        raise BadInput(NO_SERIES.format(benchmark, repo, job))
    if fmt == "json":
        document = {
            "repo": repo,
            "job": job,
            "benchmark": benchmark,
            "points": [p.to_dict() for p in points],
        }
        click.echo(json.dumps(document, indent=2))
        return
    click.echo(f"{benchmark} · {repo} {job} · {len(points)} main-branch runs ({points[0].unit})")
    for point in points:
        click.echo(
            POINT_LINE.format(
                when=point.recorded_at.strftime("%Y-%m-%d %H:%M"),
                head=point.head_sha[:12],
                value="—" if point.value is None else f"{point.value:.6g}",
                verdict=point.verdict,
            )
        )


def _change_points(
    store: Store, repo: str | None, job: str | None, benchmark: str | None, limit: int, fmt: str
) -> None:
    from workflows.changepoints.detect import across, change_points
    from workflows.history.units import scale

    repo, job = _job(store, repo, job)
    if benchmark is None:
        found = across(store.recent_series(repo, job, runs_back=limit))
        what = f"{repo} {job}"
    else:
        points = store.series(repo, job, benchmark, limit=limit)
        if not points:
            raise BadInput(NO_SERIES.format(benchmark, repo, job))
        found = list(reversed(change_points(benchmark, points)))
        what = f"{benchmark} · {repo} {job}"
    if fmt == "json":
        document = {
            "repo": repo,
            "job": job,
            "benchmark": benchmark,
            "runs": limit,
            "change_points": [c.to_dict() for c in found],
        }
        click.echo(json.dumps(document, indent=2))
        return
    count = f"{len(found)} change point{'' if len(found) == 1 else 's'}" if found else "none"
    click.echo(f"{what} · last {limit} main-branch runs · change points: {count}")
    for change in found:
        if benchmark is None:
            click.echo(change.benchmark)
        factor, unit = scale(change.unit, [change.before, change.after])
        click.echo(
            "  "
            + CHANGE_LINE.format(
                when=change.recorded_at.strftime("%Y-%m-%d %H:%M"),
                previous=change.previous[:12],
                commit=change.commit[:12],
                magnitude=change.magnitude * 100,
                before=f"{change.before / factor:.4g}",
                after=f"{change.after / factor:.4g}",
                unit=unit,
                p=change.p_value,
            )
        )
