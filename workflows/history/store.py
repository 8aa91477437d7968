"""The results store: the one interface through which runs are written and read back.

Writers (the bot at each callback, `perfbot run --local --record`) call `record`; readers (the
dashboard, `perfbot history`, the noise-from-history note) use the queries below. Nothing
outside this package writes SQL, so SQLite and PostgreSQL behave the same behind it.

`record` is idempotent per repository and workflow name: a redelivered callback replaces the
run it already wrote (in one transaction, so a reader never sees half of it), and the `exit`
callback that follows a `result` updates how the run ended without losing its benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from workflows.history import database
from workflows.history.ordering import in_commit_order
from workflows.history.records import BenchmarkRecord, RunRecord, now
from workflows.history.tables import benchmarks, runs, samples

MAIN_KINDS = ("push", "local")  # runs of a branch, not of a pull request: the trend's points


def mainline() -> ColumnElement[bool]:
    """The runs that are the main branch's points: pushes (the bot runs only those to the
    default branch) and local runs of a branch (not of a tag or a bare commit, which record no
    branch), never an A/A run, whose base and head are one commit and say nothing about it."""
    return and_(
        runs.c.kind.in_(MAIN_KINDS),
        runs.c.base_sha != runs.c.head_sha,
        or_(runs.c.kind == "push", runs.c.branch.is_not(None)),
    )


FLAGGING = ("regressed", "improved")


@dataclass(frozen=True)
class StoredRun:
    id: int
    repo: str
    job: str
    kind: str
    pr: int | None
    branch: str | None
    base_ref: str
    base_sha: str
    head_ref: str | None
    head_sha: str
    workflow_name: str
    status: str
    verdict: str | None
    parameters: Mapping[str, Any]
    environment: Mapping[str, Any]
    started_at: datetime | None
    finished_at: datetime | None
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("started_at", "finished_at", "recorded_at"):
            data[key] = _iso(data[key])
        return data


@dataclass(frozen=True)
class Point:
    """One main-branch run's value of one benchmark: the head's median, in canonical units."""

    run_id: int
    head_sha: str
    recorded_at: datetime
    value: float | None
    change: float | None
    verdict: str
    unit: str
    base_sha: str = ""  # the commit it was compared with: what puts it in commit order

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "recorded_at": _iso(self.recorded_at)}


# A series point's columns, in Point's order (recorded_at made aware by `_point`).
POINT_COLUMNS = (
    runs.c.id,
    runs.c.head_sha,
    runs.c.recorded_at,
    benchmarks.c.head_median,
    benchmarks.c.change,
    benchmarks.c.verdict,
    benchmarks.c.unit,
    runs.c.base_sha,
)


def _point(row: Any) -> Point:
    run_id, head_sha, recorded_at, *rest = row
    return Point(run_id, head_sha, _utc(recorded_at), *rest)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, target: str) -> Store:
        """Open (and migrate) the store at a path or URL; raises StoreError."""
        engine = database.open_engine(target)
        database.migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # writing

    def record(self, run: RunRecord) -> int:
        """Write a run (see the module's docstring for replacing); returns its id."""
        values = _run_values(run)
        try:
            with self.engine.begin() as connection:
                found = connection.execute(
                    select(runs.c.id).where(
                        runs.c.repo == run.repo, runs.c.workflow_name == run.workflow_name
                    )
                ).scalar()
                if found is None:
                    run_id = connection.execute(insert(runs).values(**values)).inserted_primary_key[
                        0
                    ]
                else:
                    run_id = found
                    if run.benchmarks is None:  # only how it ended: keep what it measured
                        values = {
                            k: v
                            for k, v in values.items()
                            if k in ("status", "finished_at", "recorded_at") and v is not None
                        }
                    connection.execute(update(runs).where(runs.c.id == run_id).values(**values))
                if run.benchmarks is not None:
                    connection.execute(delete(benchmarks).where(benchmarks.c.run_id == run_id))
                    _insert_benchmarks(connection, run_id, run.benchmarks)
        except SQLAlchemyError as exc:
            raise database.StoreError(
                f"cannot record {run.workflow_name}: {exc.orig or exc}"
            ) from None
        return int(run_id)

    # reading

    def runs(
        self,
        *,
        repo: str | None = None,
        job: str | None = None,
        main_only: bool = False,
        limit: int = 50,
    ) -> list[StoredRun]:
        """Newest first."""
        query = select(*_RUN_COLUMNS).order_by(runs.c.recorded_at.desc(), runs.c.id.desc())
        if repo is not None:
            query = query.where(runs.c.repo == repo)
        if job is not None:
            query = query.where(runs.c.job == job)
        if main_only:
            query = query.where(mainline())
        with self.engine.connect() as connection:
            rows = connection.execute(query.limit(limit)).mappings().all()
        return [_stored(row) for row in rows]

    def run_id_of_workflow(self, workflow_name: str) -> int | None:
        """The newest stored run of the workflow `workflow_name`, or None."""
        query = (
            select(runs.c.id)
            .where(runs.c.workflow_name == workflow_name)
            .order_by(runs.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            found = connection.execute(query).scalar()
        return None if found is None else int(found)

    def run(self, run_id: int) -> StoredRun | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(*_RUN_COLUMNS).where(runs.c.id == run_id)).mappings()
            found = row.first()
        return None if found is None else _stored(found)

    def report(self, run_id: int) -> tuple[dict[str, Any] | None, str | None]:
        """The run's JSON report and its markdown, as the callback brought them."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(runs.c.report, runs.c.report_markdown).where(runs.c.id == run_id)
            ).first()
        return (None, None) if row is None else (row[0], row[1])

    def benchmarks(self, run_id: int) -> list[BenchmarkRecord]:
        with self.engine.connect() as connection:
            rows = (
                connection.execute(
                    select(benchmarks)
                    .where(benchmarks.c.run_id == run_id)
                    .order_by(benchmarks.c.id)
                )
                .mappings()
                .all()
            )
            sample_rows = (
                connection.execute(
                    select(samples)
                    .join(benchmarks, samples.c.benchmark_id == benchmarks.c.id)
                    .where(benchmarks.c.run_id == run_id)
                    .order_by(samples.c.benchmark_id, samples.c.side, samples.c.position)
                )
                .mappings()
                .all()
            )
        by_benchmark: dict[int, list[Any]] = {}
        for sample in sample_rows:
            by_benchmark.setdefault(sample["benchmark_id"], []).append(sample)
        return [_benchmark(row, by_benchmark.get(row["id"], [])) for row in rows]

    def series(self, repo: str, job: str, benchmark: str, *, limit: int = 200) -> list[Point]:
        """The benchmark over the main branch's runs in commit order (the last `limit`
        recorded)."""
        query = (
            select(*POINT_COLUMNS)
            .join(benchmarks, benchmarks.c.run_id == runs.c.id)
            .where(
                runs.c.repo == repo,
                runs.c.job == job,
                mainline(),
                benchmarks.c.name == benchmark,
            )
            .order_by(runs.c.recorded_at.desc(), runs.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return in_commit_order([_point(r) for r in reversed(rows)])

    def recent_series(self, repo: str, job: str, *, runs_back: int) -> dict[str, list[Point]]:
        """Every benchmark's series over the last `runs_back` main-branch runs, in one query,
        each in commit order."""
        recent = (
            select(runs.c.id)
            .where(runs.c.repo == repo, runs.c.job == job, mainline())
            .order_by(runs.c.recorded_at.desc(), runs.c.id.desc())
            .limit(runs_back)
            .subquery()
        )
        query = (
            select(benchmarks.c.name, *POINT_COLUMNS)
            .join(benchmarks, benchmarks.c.run_id == runs.c.id)
            .where(runs.c.id.in_(select(recent.c.id)))
            .order_by(runs.c.recorded_at, runs.c.id)
        )
        series: dict[str, list[Point]] = {}
        with self.engine.connect() as connection:
            for r in connection.execute(query):
                series.setdefault(r[0], []).append(_point(r[1:]))
        return {name: in_commit_order(points) for name, points in series.items()}

    def flagged(self, repo: str, job: str, benchmark: str, *, limit: int = 50) -> list[StoredRun]:
        """The runs (pull requests and pushes) whose verdict on this benchmark was a change."""
        query = (
            select(*_RUN_COLUMNS)
            .join(benchmarks, benchmarks.c.run_id == runs.c.id)
            .where(
                runs.c.repo == repo,
                runs.c.job == job,
                benchmarks.c.name == benchmark,
                benchmarks.c.verdict.in_(FLAGGING),
            )
            .order_by(runs.c.recorded_at.desc(), runs.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [_stored(row) for row in rows]

    def latest_per_job(self) -> list[StoredRun]:
        """Each repository's jobs with their newest run, by repository and job."""
        newest = (
            select(runs.c.repo, runs.c.job, func.max(runs.c.id).label("id"))
            .group_by(runs.c.repo, runs.c.job)
            .subquery()
        )
        query = (
            select(*_RUN_COLUMNS)
            .join(newest, and_(runs.c.id == newest.c.id))
            .order_by(runs.c.repo, runs.c.job)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [_stored(row) for row in rows]

    def benchmark_names(self, repo: str, job: str) -> list[str]:
        query = (
            select(benchmarks.c.name)
            .join(runs, benchmarks.c.run_id == runs.c.id)
            .where(runs.c.repo == repo, runs.c.job == job)
            .distinct()
            .order_by(benchmarks.c.name)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())


_RUN_COLUMNS = [c for c in runs.c if c.name not in ("report", "report_markdown")]


def _run_values(run: RunRecord) -> dict[str, Any]:
    return {
        "repo": run.repo,
        "job": run.job,
        "kind": run.kind,
        "pr": run.pr or None,
        "branch": run.branch,
        "base_ref": run.base_ref,
        "base_sha": run.base_sha,
        "head_ref": run.head_ref,
        "head_sha": run.head_sha,
        "workflow_name": run.workflow_name,
        "status": run.status,
        "verdict": run.verdict,
        "parameters": dict(run.parameters),
        "environment": dict(run.environment),
        "report": None if run.report is None else dict(run.report),
        "report_markdown": run.report_markdown,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "recorded_at": now(),
    }


def _insert_benchmarks(connection: Any, run_id: int, records: Iterable[BenchmarkRecord]) -> None:
    """All benchmark rows in one statement, then all sample rows in one: row by row, 10,000
    benchmarks took 14 s in SQLite (SQLAlchemy's per-statement work, not the database's)."""
    records = list(records)
    if not records:
        return
    rows = [
        {
            "run_id": run_id,
            "name": record.name,
            "unit": record.unit,
            "direction": record.direction,
            "verdict": record.verdict,
            "change": record.change,
            "ci_low": record.ci_low,
            "ci_high": record.ci_high,
            "p_value": record.p_value,
            "p_adjusted": record.p_adjusted,
            "method": record.method,
            "base_median": record.side("base", "median"),
            "head_median": record.side("head", "median"),
            "base_n": record.side("base", "n"),
            "head_n": record.side("head", "n"),
            "base_rounds": record.side("base", "rounds"),
            "head_rounds": record.side("head", "rounds"),
            "summary": dict(record.summary),
        }
        for record in records
    ]
    returning = insert(benchmarks).returning(benchmarks.c.id, sort_by_parameter_order=True)
    ids = connection.execute(returning, rows).scalars().all()
    sample_rows = [
        {
            "benchmark_id": benchmark_id,
            "side": s.side,
            "position": s.position,
            "round": s.round,
            "value": s.value,
        }
        for benchmark_id, record in zip(ids, records, strict=True)
        for s in record.samples
    ]
    if sample_rows:
        connection.execute(insert(samples), sample_rows)


def _stored(row: Mapping[str, Any]) -> StoredRun:
    values = dict(row)
    for key in ("started_at", "finished_at", "recorded_at"):
        values[key] = _utc(values[key])
    return StoredRun(**values)


def _benchmark(row: Mapping[str, Any], sample_rows: list[Any]) -> BenchmarkRecord:
    from workflows.history.records import SampleRecord

    return BenchmarkRecord(
        name=row["name"],
        unit=row["unit"],
        direction=row["direction"],
        verdict=row["verdict"],
        change=row["change"],
        ci_low=row["ci_low"],
        ci_high=row["ci_high"],
        p_value=row["p_value"],
        p_adjusted=row["p_adjusted"],
        method=row["method"],
        summary=row["summary"] or {},
        samples=tuple(
            SampleRecord(s["side"], s["position"], s["round"], s["value"]) for s in sample_rows
        ),
    )
