"""The results history's schema, as SQLAlchemy Core tables: runs, their benchmarks, samples.

The tables are the one description of the schema that the code queries against; the Alembic
migrations (`migrations/versions/`) are how a database gets there, and a test checks that the
two agree, so a column added here without a migration fails before it reaches an operator.

A run is unique per repository and Argo workflow name: the `result` and `exit` callbacks of
one workflow, and their redeliveries, land on the same row instead of adding runs.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("repo", String(200), nullable=False),
    Column("job", String(100), nullable=False),
    Column("kind", String(16), nullable=False),  # pr, push, local (see records.RUN_KINDS)
    Column("pr", Integer, nullable=True),  # null for runs of a branch (pushes, local records)
    Column("branch", String(200), nullable=True),
    Column("base_ref", String(200), nullable=False),
    Column("base_sha", String(64), nullable=False),
    Column("head_ref", String(200), nullable=True),
    Column("head_sha", String(64), nullable=False),
    Column("workflow_name", String(200), nullable=False),
    Column("status", String(32), nullable=False),  # recorded, Succeeded, Failed, Error
    Column("verdict", String(64), nullable=True),
    Column("parameters", JSON, nullable=False),
    Column("environment", JSON, nullable=False),  # {"base": {...}, "head": {...}}
    Column("report", JSON, nullable=True),  # the JSON report of `perfbot compare`
    Column("report_markdown", Text, nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("repo", "workflow_name", name="uq_runs_repo_workflow"),
    Index("ix_runs_repo_job_recorded", "repo", "job", "recorded_at"),
)

benchmarks = Table(
    "benchmarks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(500), nullable=False),
    Column("unit", String(32), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("verdict", String(32), nullable=False),
    Column("change", Float, nullable=True),
    Column("ci_low", Float, nullable=True),
    Column("ci_high", Float, nullable=True),
    Column("p_value", Float, nullable=True),
    Column("p_adjusted", Float, nullable=True),
    Column("method", String(64), nullable=True),
    Column("base_median", Float, nullable=True),
    Column("head_median", Float, nullable=True),
    Column("base_n", Integer, nullable=True),
    Column("head_n", Integer, nullable=True),
    Column("base_rounds", Integer, nullable=True),
    Column("head_rounds", Integer, nullable=True),
    Column("summary", JSON, nullable=False),  # the report's per-side summaries, as they are
    Index("ix_benchmarks_name_run", "name", "run_id"),
    Index("ix_benchmarks_run", "run_id"),
)

samples = Table(
    "samples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "benchmark_id", Integer, ForeignKey("benchmarks.id", ondelete="CASCADE"), nullable=False
    ),
    Column("side", String(4), nullable=False),  # base, head
    Column("position", Integer, nullable=False),  # order within the side, from 0
    Column("round", Integer, nullable=True),  # null for a file of samples without rounds
    Column("value", Float, nullable=False),  # in the benchmark's canonical unit
    Index("ix_samples_benchmark", "benchmark_id"),
)
