"""`confirm(first, second)`: a change is reported only when a second measurement repeats it.

A single measurement with a suite-wide false-alarm rate p alarms on unchanged code about p of
the time, and people who are paged for noise stop reading the reports. The pipeline therefore
measures the benchmarks the first comparison flagged once more, in fresh interleaved rounds
(`confirm_rounds`), and compares those on their own: `second` is that comparison, so its
Benjamini-Hochberg correction runs over the benchmarks the confirmation measured, not over the
first suite, and its verdicts need the same significance and threshold as any other.

A flagged row stands when `second` gives it the same verdict (same direction, a change on the
second's own data). Otherwise it becomes `inconclusive` for the reason `unconfirmed`, with an
`unconfirmed: ...` warning that gives both measurements: a change that does not repeat is
reported as an open question, neither as a regression nor as "unchanged", which the two
measurements together do not show either. Independent measurements multiply: a false alarm
survives with about p x p', while a real change survives with the power of both
(bench/confirmation.py measures both figures).
Every flagged row keeps the second measurement in `confirmation`; the comparison keeps which
rows were confirmed in its own `confirmation`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.verdicts import Open, Verdict

UNCONFIRMED_PREFIX = "unconfirmed: "
NOT_MEASURED = (
    UNCONFIRMED_PREFIX + "{verdict} by {change} in the first measurement; not measured again"
)
NOT_REPEATED = (
    UNCONFIRMED_PREFIX + "{verdict} by {change} in the first measurement; the confirmation "
    "({rounds} rounds) found {second_change} ({second_verdict}, p adj. {p})"
)
NOT_COMPARABLE = "; the confirmation is not comparable: {reason}"
NO_TEST = "; no verdict there: {reason}"
SUMMARY = (
    "confirmation: {confirmed} of {flagged} flagged benchmark(s) repeated in a second measurement"
)


def flagged(comparison: Comparison) -> list[str]:
    """The benchmarks a confirmation run must measure again: every regression and improvement."""
    return [row.name for row in comparison.benchmarks if row.verdict.is_change]


def flagged_in_report(report: Any) -> list[str]:
    """The same from a JSON report (`benchmarks[].verdict`), for the pipeline's `flagged` step."""
    rows = report.get("benchmarks") if isinstance(report, dict) else None
    changes = (str(Verdict.REGRESSED), str(Verdict.IMPROVED))
    return [
        row["name"]
        for row in rows or []
        if isinstance(row, dict) and isinstance(row.get("name"), str)
        and row.get("verdict") in changes
    ]  # fmt: skip


def _record(row: BenchmarkComparison, again: BenchmarkComparison | None) -> dict[str, Any]:
    confirmed = again is not None and again.verdict is row.verdict
    if again is None:
        return {"confirmed": False, "first_verdict": str(row.verdict), "verdict": None}
    return {
        "confirmed": confirmed,
        "first_verdict": str(row.verdict),
        "verdict": str(again.verdict),
        "change": again.change,
        "ci_low": again.ci_low,
        "ci_high": again.ci_high,
        "p_value": again.p_value,
        "p_adjusted": again.p_adjusted,
        "method": again.method,
        "rounds": _rounds(again),
    }


def _rounds(row: BenchmarkComparison) -> int | None:
    if row.paired_rounds is not None:
        return row.paired_rounds
    return None if row.head is None else row.head.rounds


def _warning(
    row: BenchmarkComparison, again: BenchmarkComparison | None, second: Comparison
) -> str:
    first = {"verdict": str(row.verdict), "change": display.percent(row.change)}
    if again is None:
        return NOT_MEASURED.format(**first)
    text = NOT_REPEATED.format(
        **first,
        rounds=_rounds(again) or "?",
        second_change=display.percent(again.change),
        second_verdict=display.label(again),
        p=display.pvalue(again.p_adjusted),
    )
    if second.not_comparable:
        text += NOT_COMPARABLE.format(reason=second.not_comparable)
    elif again.p_adjusted is None and again.warnings:
        text += NO_TEST.format(reason=again.warnings[0])
    return text


def confirm(first: Comparison, second: Comparison) -> Comparison:
    """`first` with every flagged row that `second` does not repeat turned `inconclusive`."""
    again = {row.name: row for row in second.benchmarks}
    rows, confirmed, unconfirmed = [], [], []
    for row in first.benchmarks:
        if not row.verdict.is_change:
            rows.append(row)
            continue
        other = again.get(row.name)
        record = _record(row, other)
        if record["confirmed"]:
            confirmed.append(row.name)
            rows.append(replace(row, confirmation=record))
            continue
        unconfirmed.append(row.name)
        rows.append(
            replace(
                row,
                verdict=Verdict.INCONCLUSIVE,
                reason=Open.UNCONFIRMED,
                finding=None,
                warnings=(*row.warnings, _warning(row, other, second)),
                confirmation=record,
            )
        )
    flagged_count = len(confirmed) + len(unconfirmed)
    warnings = list(first.warnings)
    if flagged_count:
        warnings.append(SUMMARY.format(confirmed=len(confirmed), flagged=flagged_count))
    return replace(
        first,
        benchmarks=tuple(rows),
        warnings=tuple(warnings),
        confirmation={
            "base_source": second.base_source,
            "head_source": second.head_source,
            "measured": second.compared,
            "confirmed": confirmed,
            "unconfirmed": unconfirmed,
            "not_comparable": second.not_comparable,
        },
    )
