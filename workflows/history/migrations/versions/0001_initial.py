"""The first schema: runs, benchmarks, samples.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("repo", sa.String(200), nullable=False),
        sa.Column("job", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("pr", sa.Integer, nullable=True),
        sa.Column("branch", sa.String(200), nullable=True),
        sa.Column("base_ref", sa.String(200), nullable=False),
        sa.Column("base_sha", sa.String(64), nullable=False),
        sa.Column("head_ref", sa.String(200), nullable=True),
        sa.Column("head_sha", sa.String(64), nullable=False),
        sa.Column("workflow_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("verdict", sa.String(64), nullable=True),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("environment", sa.JSON, nullable=False),
        sa.Column("report", sa.JSON, nullable=True),
        sa.Column("report_markdown", sa.Text, nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("repo", "workflow_name", name="uq_runs_repo_workflow"),
    )
    op.create_index("ix_runs_repo_job_recorded", "runs", ["repo", "job", "recorded_at"])
    op.create_table(
        "benchmarks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("change", sa.Float, nullable=True),
        sa.Column("ci_low", sa.Float, nullable=True),
        sa.Column("ci_high", sa.Float, nullable=True),
        sa.Column("p_value", sa.Float, nullable=True),
        sa.Column("p_adjusted", sa.Float, nullable=True),
        sa.Column("method", sa.String(64), nullable=True),
        sa.Column("base_median", sa.Float, nullable=True),
        sa.Column("head_median", sa.Float, nullable=True),
        sa.Column("base_n", sa.Integer, nullable=True),
        sa.Column("head_n", sa.Integer, nullable=True),
        sa.Column("base_rounds", sa.Integer, nullable=True),
        sa.Column("head_rounds", sa.Integer, nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
    )
    op.create_index("ix_benchmarks_name_run", "benchmarks", ["name", "run_id"])
    op.create_index("ix_benchmarks_run", "benchmarks", ["run_id"])
    op.create_table(
        "samples",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "benchmark_id",
            sa.Integer,
            sa.ForeignKey("benchmarks.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("side", sa.String(4), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("round", sa.Integer, nullable=True),
        sa.Column("value", sa.Float, nullable=False),
    )
    op.create_index("ix_samples_benchmark", "samples", ["benchmark_id"])


def downgrade() -> None:
    op.drop_table("samples")
    op.drop_table("benchmarks")
    op.drop_table("runs")
