"""The JSON report: the contract the pipeline, the bot and other tools read.

    {"schema_version": 2,
     "summary": {"verdict": "inconclusive", "counts": {"regressed": 0, "improved": 1,
                 "unchanged": 37, "inconclusive": 2, "added": 0, "removed": 0},
                 "open": {"too noisy": 1, "unconfirmed": 1},
                 "compared": 40, "geomean_change": 0.004},
     "benchmarks": [{"name": ..., "verdict": ..., "reason": null, "finding": "centre",
                     "change": 0.12, "ci_low": ..., "ci_high": ...,
                     "p_value": ..., "p_adjusted": ..., "method": "mann-whitney-u",
                     "unit": "s", "direction": "lower", "base": {...}, "head": {...},
                     "warnings": [...]}],
     "options": {"threshold": ..., "alpha": ..., "min_samples": ..., "confidence": ...},
     "base": {"source": ..., "metadata": {...}}, "head": {...}, "warnings": [...]}

- `verdict` is one of regressed, improved, unchanged, inconclusive, added, removed; the suite's
  is `regressed` if any benchmark regressed, else `inconclusive` if any benchmark could not be
  judged, else `improved` or `unchanged`. An inconclusive benchmark's `reason` says why (too
  noisy, too few rounds, too few samples, unconfirmed, not comparable, no test, tail against
  centre); `summary.open` counts them by reason. `finding` says what decided a change:
  `centre`, or `slow tail grew` (then the tail test's p-values in `tail` decided it, not
  `p_value`/`p_adjusted`, which stay the centre test's).
- Schema 2 (this one) against schema 1: in schema 1 a benchmark that could not be judged was
  `"verdict": "unchanged"` (with `too_noisy` true, or an `unconfirmed: ...` warning, or no
  p-value) and counted as unchanged, and the suite was `unchanged` when nothing changed; there
  was no `inconclusive`, `reason`, `finding` or `summary.open`.
- `change` is relative: 0.10 means the value grew by 10 % (a time got slower, a throughput got
  better: `direction` says which is good). null when it cannot be computed (only one side, or a
  base of 0).
- `p_value` is the benchmark's own, `p_adjusted` the Benjamini-Hochberg one compared with alpha.
- `geomean_change` is the geometric mean of head/base over benchmarks on both sides, with
  higher-is-better metrics inverted, so > 0 always means worse overall.
- `base`/`head` summaries: n, median, mean, stddev, iqr, min, max in `unit`; `raw` false when
  only summary statistics were published. null for the missing side of added/removed.
- Benchmarks are in input order (base's, then the ones only in head); names as in the input.
- Added in schema 1 without a version change (readers of the fields above are unaffected):
  per benchmark `threshold`, `detectable_change` (null when no change could have been
  detected: JSON has no inf, and `too_noisy` says what that means), `too_noisy`, `needed`,
  `paired_rounds`, `order_effect`, `tail`, `settings`, `measurement`; per side `rounds`,
  `set_aside`, `round_median`; top level `not_comparable`, `ignored`, `provenance`
  (docs/results-format.md has each one); per benchmark and top level `confirmation` (null
  without a confirmation run; workflows/compare/confirm.py); per benchmark `metric` (which
  metric of the benchmark decided: wall, cpu, ...; null for a benchmark without metrics),
  `in_verdict` and `beside` (its other metrics, each a row of this shape judged alone, outside
  the suite's family and verdict), and top level `measured` (perfbot's own figures around the
  benchmark command, shown, not judged, unless a rule chose their metric).
- Added in schema 2 without a version change: per benchmark `modes` (null, or the side whose
  process medians fell into two groups: `side`, `processes`, `slow` (how many in the slower
  group), `low`/`high` (the groups' centres in `unit`), `gap` (high / low - 1) and `needed`
  (processes a round that would average the draw out; null: more than 100)); top level `busy`
  (null, or the sentence saying the machine's load or steal was above what a run can bear).
"""

from __future__ import annotations

import json
import math
from typing import Any

from workflows.compare.engine import BenchmarkComparison, Comparison, SideStats
from workflows.compare.provenance import RunFacts, provenance

SCHEMA_VERSION = 2


def _number(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _side(stats: SideStats | None) -> dict[str, Any] | None:
    if stats is None:
        return None
    return {
        "n": stats.n,
        "median": _number(stats.median),
        "mean": _number(stats.mean),
        "stddev": _number(stats.stddev),
        "iqr": _number(stats.iqr),
        "min": _number(stats.minimum),
        "max": _number(stats.maximum),
        "raw": stats.raw,
        "rounds": stats.rounds,
        "set_aside": stats.set_aside,
        "round_median": _number(stats.round_median),
        "round_center": _number(stats.round_center),
    }


def _benchmark(row: BenchmarkComparison) -> dict[str, Any]:
    return {
        "name": row.name,
        "verdict": str(row.verdict),
        "reason": None if row.reason is None else str(row.reason),
        "finding": None if row.finding is None else str(row.finding),
        "change": _number(row.change),
        "ci_low": _number(row.ci_low),
        "ci_high": _number(row.ci_high),
        "p_value": _number(row.p_value),
        "p_adjusted": _number(row.p_adjusted),
        "method": row.method,
        "unit": row.unit,
        "direction": str(row.direction),
        "base": _side(row.base),
        "head": _side(row.head),
        "warnings": list(row.warnings),
        "threshold": row.threshold,
        "detectable_change": _number(row.detectable_change),
        "too_noisy": row.too_noisy,
        "needed": row.needed,
        "paired_rounds": row.paired_rounds,
        "order_effect": _number(row.order_effect),
        "tail": None if row.tail is None else {k: _plain(v) for k, v in row.tail.items()},
        "modes": None
        if row.modes is None
        else {k: _plain(v) for k, v in row.modes.to_dict().items()},
        "settings": {k: _plain(v) for k, v in row.settings.items()},
        "measurement": row.measurement,
        "confirmation": _mapping(row.confirmation),
        "metric": row.metric,
        "in_verdict": row.in_verdict,
        "beside": [_benchmark(other) for other in row.beside],
    }


def _mapping(value: Any) -> dict[str, Any] | None:
    return None if value is None else {k: _plain(v) for k, v in value.items()}


def _plain(value: Any) -> Any:
    """Numbers JSON can hold (no inf or NaN); anything else as it is."""
    return _number(value) if isinstance(value, float) else value


def report_dict(comparison: Comparison, facts: RunFacts | None = None) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": {
            "verdict": str(comparison.verdict),
            "counts": {str(v): n for v, n in comparison.counts.items()},
            "open": {str(reason): n for reason, n in comparison.open.items()},
            "compared": comparison.compared,
            "geomean_change": _number(comparison.geomean_change),
        },
        "benchmarks": [_benchmark(row) for row in comparison.benchmarks],
        "options": comparison.options.to_dict(),
        "base": {"source": comparison.base_source, "metadata": dict(comparison.base_metadata)},
        "head": {"source": comparison.head_source, "metadata": dict(comparison.head_metadata)},
        "warnings": list(comparison.warnings),
        "not_comparable": comparison.not_comparable,
        "busy": comparison.busy,
        "ignored": list(comparison.ignored),
        "provenance": provenance(comparison, facts).to_dict(),
        "confirmation": _mapping(comparison.confirmation),
        "measured": [_benchmark(row) for row in comparison.measured],
    }


def render_json(comparison: Comparison, facts: RunFacts | None = None) -> str:
    document = report_dict(comparison, facts)
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
