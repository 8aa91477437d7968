"""Runs as their two writers see them: a workflow's callback (the bot) and a local run.

A callback's run is a pull request's (`pr` > 0) or a push to the default branch's (`pr` 0, see
`bot.triggers.pushes`); the pushes make the main-branch trend. A local run recorded with
`perfbot run --local --record` is a branch's run too: it is how a team without a cluster, and
the demo, build a history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflows.callback import CallbackPayload
from workflows.compare.report_reading import suite_verdict
from workflows.history.records import (
    RunRecord,
    benchmarks_of,
    environment_of,
    now,
    times_of,
    with_payload_samples,
    with_samples,
)
from workflows.results import ResultSet


def parameters_of(report: Mapping[str, Any]) -> dict[str, Any]:
    options = report.get("options")
    return {"compare": dict(options)} if isinstance(options, Mapping) else {}


def from_callback(payload: CallbackPayload) -> RunRecord:
    run = payload.run
    report = payload.report if payload.kind == "result" else None
    started, finished = times_of(report) if report is not None else (None, None)
    return RunRecord(
        repo=run.repo,
        job=run.job,
        kind="pr" if run.pr else "push",
        pr=run.pr or None,
        workflow_name=payload.workflow_name,
        base_ref=run.base_ref,
        base_sha=run.base_sha,
        head_sha=run.head_sha,
        status="Succeeded" if payload.kind == "result" else (payload.status or "unknown"),
        verdict=suite_verdict(report) if report is not None else payload.verdict,
        parameters=parameters_of(report or {}),
        environment=environment_of(report) if report is not None else {},
        report=report,
        report_markdown=payload.report_markdown,
        started_at=started,
        finished_at=finished or now(),
        benchmarks=(
            with_payload_samples(benchmarks_of(report), payload.samples)
            if report is not None
            else None
        ),
    )


def from_local(
    report: Mapping[str, Any],
    base: ResultSet,
    head: ResultSet,
    *,
    repo: str,
    job: str,
    branch: str | None,
    base_ref: str,
    head_ref: str,
    run_name: str,
    markdown: str | None = None,
) -> RunRecord:
    provenance = report.get("provenance") if isinstance(report.get("provenance"), Mapping) else {}

    def sha(side: str) -> str:
        facts = provenance.get(side)
        return str(facts.get("sha") or "") if isinstance(facts, Mapping) else ""

    started, finished = times_of(report)
    return RunRecord(
        repo=repo,
        job=job,
        kind="local",
        branch=branch,
        workflow_name=run_name,
        base_ref=base_ref,
        base_sha=sha("base") or base_ref,
        head_ref=head_ref,
        head_sha=sha("head") or head_ref,
        status="Succeeded",
        verdict=suite_verdict(report),
        parameters=parameters_of(report),
        environment=environment_of(report),
        report=dict(report),
        report_markdown=markdown,
        started_at=started,
        finished_at=finished or now(),
        benchmarks=with_samples(benchmarks_of(report), base, head),
    )
