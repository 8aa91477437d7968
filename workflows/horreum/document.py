"""The run document perfbot uploads to Horreum: one per finished run, under our own `$schema`.

Everything a performance team needs to find the run again and to trust it, without perfbot:
which repository, pull request, job, base and head (as asked and as resolved), the Argo
workflow and its page, per benchmark the verdict, change, interval, p-values, both sides'
summaries and, when the run sent them, every raw sample with its round; then the run's
metadata (nodes, image digests, parameters). The schema URI is versioned: a reader that meets
`urn:perfbot:run:2` knows the layout changed (`workflows.horreum.schema` defines its labels).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workflows.compare.provenance import parse_time, perfbot_version

SCHEMA_URI = "urn:perfbot:run:1"
SIDE_KEYS = ("n", "median", "mean", "stddev", "iqr", "min", "max", "raw", "rounds", "set_aside")


@dataclass(frozen=True)
class RunIdentity:
    """Who ran what: the facts the bot's callback and a local run both know."""

    repository: str
    pr: int  # 0: not a pull request (a push to the default branch, a local run)
    job: str
    base_ref: str
    base_sha: str
    head_sha: str
    head_ref: str = ""
    workflow_name: str = ""
    namespace: str = ""
    workflow_url: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)


def build(
    run: RunIdentity,
    report: dict[str, Any],
    samples: dict[str, Any] | None = None,
    *,
    now: float | None = None,
) -> dict[str, Any]:
    """The document; `report` is `perfbot compare`'s JSON report, `samples` `samples.collect`'s."""
    samples = samples or {}
    start, stop = run_window(report, now=now)
    summary = report.get("summary") if isinstance(report.get("summary"), dict) else {}
    provenance = report.get("provenance") if isinstance(report.get("provenance"), dict) else {}
    return {
        "$schema": SCHEMA_URI,
        "perfbot_version": perfbot_version(),
        "repository": run.repository,
        "pr": run.pr,
        "kind": "pull_request" if run.pr else "branch",
        "job": run.job,
        "base": {"ref": run.base_ref, "sha": run.base_sha},
        "head": {"ref": run.head_ref or _ref(provenance, "head"), "sha": run.head_sha},
        "workflow": {
            "name": run.workflow_name,
            "namespace": run.namespace,
            "url": run.workflow_url,
        },
        "start": _iso(start),
        "stop": _iso(stop),
        "verdict": summary.get("verdict", "unknown"),
        "summary": summary,
        "options": report.get("options") or {},
        "benchmarks": [_benchmark(row, samples) for row in _rows(report)],
        "warnings": list(report.get("warnings") or []),
        "metadata": {
            "parameters": dict(run.parameters),
            "machines": {side: _machines(provenance, side) for side in ("base", "head")},
            "base": _side_metadata(report, samples, "base"),
            "head": _side_metadata(report, samples, "head"),
        },
    }


def run_window(report: dict[str, Any], *, now: float | None = None) -> tuple[int, int]:
    """(start, stop) in epoch milliseconds: the rounds' first start and last end, from the
    report's provenance; the upload time for a run whose manifest says nothing."""
    fallback = int((time.time() if now is None else now) * 1000)
    provenance = report.get("provenance") if isinstance(report.get("provenance"), dict) else {}
    starts, stops = [], []
    for side in ("base", "head"):
        facts = provenance.get(side) if isinstance(provenance.get(side), dict) else {}
        starts += [ms for ms in [_epoch_ms(facts.get("started"))] if ms is not None]
        stops += [ms for ms in [_epoch_ms(facts.get("finished"))] if ms is not None]
    start = min(starts) if starts else fallback
    stop = max(stops) if stops else max(start, fallback)
    return start, max(start, stop)


def _rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = report.get("benchmarks")
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _benchmark(row: dict[str, Any], samples: dict[str, Any]) -> dict[str, Any]:
    name = str(row.get("name", ""))
    confidence = (
        (row.get("settings") or {}).get("confidence")
        if isinstance(row.get("settings"), dict)
        else None
    )
    return {
        "name": name,
        "unit": row.get("unit"),
        "direction": row.get("direction"),
        "verdict": row.get("verdict"),
        "change": row.get("change"),
        "interval": {"low": row.get("ci_low"), "high": row.get("ci_high"), "level": confidence},
        "p_value": row.get("p_value"),
        "p_adjusted": row.get("p_adjusted"),
        "method": row.get("method"),
        "threshold": row.get("threshold"),
        "detectable_change": row.get("detectable_change"),
        "too_noisy": row.get("too_noisy"),
        "warnings": list(row.get("warnings") or []),
        "base": _side(row.get("base"), samples, "base", name),
        "head": _side(row.get("head"), samples, "head", name),
    }


def _side(stats: Any, samples: dict[str, Any], side: str, name: str) -> dict[str, Any] | None:
    raw = ((samples.get(side) or {}).get("benchmarks") or {}).get(name)
    if not isinstance(stats, dict) and raw is None:
        return None
    shown = {k: stats.get(k) for k in SIDE_KEYS} if isinstance(stats, dict) else {}
    shown["samples"] = list(raw.get("samples") or []) if isinstance(raw, dict) else []
    shown["sample_rounds"] = list(raw.get("rounds") or []) if isinstance(raw, dict) else []
    return shown


def _side_metadata(report: dict[str, Any], samples: dict[str, Any], side: str) -> dict[str, Any]:
    from_samples = (samples.get(side) or {}).get("metadata")
    if isinstance(from_samples, dict):
        return from_samples
    holder = report.get(side) if isinstance(report.get(side), dict) else {}
    metadata = holder.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _machines(provenance: dict[str, Any], side: str) -> dict[str, Any]:
    facts = provenance.get(side) if isinstance(provenance.get(side), dict) else {}
    machines = facts.get("machines")
    return machines if isinstance(machines, dict) else {}


def _ref(provenance: dict[str, Any], side: str) -> str:
    facts = provenance.get(side) if isinstance(provenance.get(side), dict) else {}
    ref = facts.get("ref")
    return ref if isinstance(ref, str) else ""


def _epoch_ms(value: Any) -> int | None:
    moment = parse_time(value)
    return None if moment is None else int(moment.timestamp() * 1000)


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
