"""Verdicts read back from a JSON report of either schema, for the history store and the
dashboard, which keep reports written before schema 2.

Schema 1 wrote a benchmark that could not be judged as `"verdict": "unchanged"` (with
`too_noisy` true, or an `unconfirmed: ...` warning) and the suite as `unchanged` when nothing
changed. Read back as they were written, those runs would still say "unchanged" where the run
could not tell; read here, they say `inconclusive` with the reason, as schema 2 does. No
compare engine is imported: the dashboard reads reports, it does not compute them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

UNKNOWN = "unknown"
INCONCLUSIVE = "inconclusive"
SCHEMA_1_OPEN = (("too_noisy", "too noisy"),)
UNCONFIRMED = ("unconfirmed: ", "unconfirmed")
SUITE_ORDER = ("regressed", INCONCLUSIVE, "improved", "unchanged")


def row_verdict(row: Mapping[str, Any]) -> tuple[str, str | None]:
    """(verdict, reason) of one benchmark row; reason None unless the row is inconclusive."""
    verdict = row.get("verdict")
    if not isinstance(verdict, str) or not verdict:
        return UNKNOWN, None
    if verdict == INCONCLUSIVE:
        reason = row.get("reason")
        return verdict, reason if isinstance(reason, str) and reason else None
    if verdict != "unchanged":
        return verdict, None
    for key, reason in SCHEMA_1_OPEN:
        if row.get(key) is True:
            return INCONCLUSIVE, reason
    warnings = row.get("warnings")
    if isinstance(warnings, list) and any(
        isinstance(w, str) and w.startswith(UNCONFIRMED[0]) for w in warnings
    ):
        return INCONCLUSIVE, UNCONFIRMED[1]
    return verdict, None


def suite_verdict(report: Mapping[str, Any]) -> str:
    """The suite's verdict: the report's own, made `inconclusive` when a schema-1 report
    called the suite unchanged or improved while one of its rows was open."""
    summary = report.get("summary")
    written = summary.get("verdict") if isinstance(summary, Mapping) else None
    if not isinstance(written, str) or not written:
        return UNKNOWN
    rows = report.get("benchmarks")
    words = (
        [row_verdict(r)[0] for r in rows if isinstance(r, Mapping)]
        if isinstance(rows, list)
        else []
    )
    for verdict in SUITE_ORDER:
        if verdict == written or verdict in words:
            return verdict
    return written
