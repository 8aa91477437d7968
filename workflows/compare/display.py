"""Numbers as people read them, shared by the text, Markdown and HTML reports.

Values are stored in canonical units (seconds, bytes, per second); here they get a prefix that
keeps three or four significant digits readable (`12.31 ms`, `48.1 MB/s`, `1.23M items/s`).
"""

from __future__ import annotations

import math

from workflows.compare.engine import (
    RANK_TEST,
    ROUNDS_TEST,
    SUMMARY_TEST,
    SUMMED_UP,
    BenchmarkComparison,
    Comparison,
    SideStats,
)
from workflows.compare.verdicts import Finding, Open, Verdict

TIME_SCALES = ((1.0, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"))
DECIMAL_SCALES = ((1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""))
ICONS = {
    Verdict.REGRESSED: "🔴",
    Verdict.IMPROVED: "🟢",
    Verdict.UNCHANGED: "⚪",
    Verdict.INCONCLUSIVE: "🟡",
    Verdict.ADDED: "➕",
    Verdict.REMOVED: "➖",
}
SUMMARY_ICONS = {
    Verdict.REGRESSED: "🔴",
    Verdict.IMPROVED: "🟢",
    Verdict.UNCHANGED: "✅",
    Verdict.INCONCLUSIVE: "🟡",
}
LEGENDS = {
    ROUNDS_TEST: (
        "rounds are the unit: Base and Head are the geometric means of the paired rounds'"
        " medians (± the samples' robust spread), so Change, the mean per-round ratio head/base"
        " (rounds paired), is Head/Base; with its {confidence} % interval; p: paired t-test over"
        " rounds"
    ),
    RANK_TEST: (
        "one file of samples: Base and Head are medians (± robust spread), slow outliers set"
        " aside; Change is the Hodges-Lehmann estimate of head/base with its {confidence} %"
        " interval; p: Mann-Whitney U"
    ),
    SUMMARY_TEST: (
        "summary statistics only: Base and Head are the published centers (± stddev / mean);"
        " Change is the ratio of means with its {confidence} % interval; p: Welch's t-test"
    ),
}


def _number(value: float) -> str:
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"


def _scale(amount: float, scales: tuple[tuple[float, str], ...]) -> tuple[float, str]:
    """The largest scale not above the amount (the smallest one for tiny amounts)."""
    return next(((s, p) for s, p in scales if abs(amount) >= s), scales[-1])


def value(amount: float, unit: str) -> str:
    """`0.01231` s -> `12.31 ms`; `4.81e7` B/s -> `48.1 MB/s`; `1.23e6` items/s ->
    `1.23M items/s`; units perfbot does not know are shown as they are."""
    top, _, bottom = unit.partition("/")
    if amount == 0 or not math.isfinite(amount):
        return f"{amount:g} {unit}"
    if top == "s" and bottom != "s":  # a time, or a time per operation
        scale, prefix = _scale(amount, TIME_SCALES)
        return f"{_number(amount / scale)} {prefix}{unit}"
    scale, prefix = _scale(amount, DECIMAL_SCALES)
    if top == "B":
        return f"{_number(amount / scale)} {prefix}{unit}"
    if prefix:
        return f"{_number(amount / scale)}{prefix} {unit}"
    return f"{_number(amount)} {unit}"


def side(stats: SideStats | None, unit: str) -> str:
    """`12.31 ms ±1.2 %`: the center, and the spread relative to it."""
    if stats is None:
        return "–"
    text = value(stats.center, unit)
    spread = stats.relative_spread
    return text if spread is None else f"{text} ±{spread * 100:.1f} %"


def percent(change: float | None) -> str:
    if change is None or math.isnan(change):
        return "–"
    if math.isinf(change):
        return "new (base 0)" if change > 0 else "-∞"
    return _signed(change * 100)


def _signed(amount: float) -> str:
    """`+1.2 %`, `-3.4 %`; a change that rounds to zero is `±0.0 %`, never `-0.0 %`."""
    return "±0.0 %" if round(amount, 1) == 0 else f"{amount:+.1f} %"


def interval(row: BenchmarkComparison) -> str:
    if row.ci_low is None or row.ci_high is None:
        return "–"
    return interval_of(row.ci_low, row.ci_high)


def interval_of(low: float, high: float) -> str:
    """`-1.3 … +1.1 %`; a bound that rounds to zero keeps its sign with more digits
    (`-0.04 … +64.5 %`), since which side of zero it lies on is what the interval says."""
    return f"{_bound(low * 100)} … {_bound(high * 100)} %"


def _bound(amount: float) -> str:
    if amount == 0:
        return "0.0"
    if round(amount, 1) == 0:
        return f"{amount:+.2g}"
    return f"{amount:+.1f}"


def magnitude(amount: float) -> str:
    """`138.5 %`: an unsigned size, such as the smallest change a run could detect."""
    return f"{amount * 100:.1f} %"


def pvalue(p: float | None) -> str:
    if p is None:
        return "–"
    return "<0.0001" if p < 1e-4 else f"{p:.2g}"


def notes(comparison: Comparison, limit: int = 20) -> list[tuple[str | None, str]]:
    """(benchmark name or None, warning): the suite's warnings, then the per-benchmark ones
    they do not already sum up; at most `limit`, the last one saying how many were left out."""
    found: list[tuple[str | None, str]] = [(None, w) for w in comparison.warnings]
    found += [
        (row.name, w)
        for row in comparison.benchmarks
        for w in row.warnings
        if not w.startswith(SUMMED_UP)
    ]
    if len(found) > limit:
        found = [*found[: limit - 1], (None, f"… and {len(found) - limit + 1} more notes")]
    return found


def summary_counts(counts: dict[Verdict, int]) -> str:
    """`1 regressed, 1 improved, 38 unchanged` (inconclusive, added and removed only when there
    are any)."""
    shown = [
        f"{counts[v]} {v}"
        for v in Verdict
        if counts[v] or v in (Verdict.REGRESSED, Verdict.IMPROVED, Verdict.UNCHANGED)
    ]
    return ", ".join(shown)


def open_counts(comparison: Comparison) -> str:
    """`2 too noisy, 1 unconfirmed`: the reasons behind the inconclusive count."""
    return ", ".join(f"{n} {reason}" for reason, n in comparison.open.items())


def geomean(change: float | None) -> str:
    if change is None:
        return "geomean: –"
    word = "worse" if change > 0 else "better"
    return f"geomean {change * 100:+.1f} % ({word})" if abs(change) >= 5e-4 else "geomean ±0.0 %"


def center(row: BenchmarkComparison, stats: SideStats | None) -> str:
    """The per-side summary that goes with the row's test, so Base, Head and Change tell one
    story: the median of the round medians when rounds are the unit, else the median."""
    if stats is None:
        return "–"
    if stats.round_median is not None:  # the rounds path, tested or too few to test
        text, spread = value(stats.shown_center, row.unit), stats.relative_spread
    elif row.method == SUMMARY_TEST and stats.mean:
        text = value(stats.mean, row.unit)
        spread = None if stats.stddev is None else stats.stddev / abs(stats.mean)
    else:
        return side(stats, row.unit)
    return text if spread is None else f"{text} ±{spread * 100:.1f} %"


def legend(comparison: Comparison) -> list[str]:
    """One line per test the comparison used: what Base/Head show and what Change is."""
    used = {row.method for row in comparison.benchmarks if row.method}
    confidence = round(comparison.options.confidence * 100)
    return [
        line.format(confidence=confidence) for method, line in LEGENDS.items() if method in used
    ]


def noisy(row: BenchmarkComparison) -> str:
    """`could detect only a change of 14.2 % or more; about 23 rounds a side needed`: why a
    row was not judged."""
    if row.detectable_change is None or math.isinf(row.detectable_change):
        seen = "no change of any size could reach significance"
    else:
        seen = f"could detect only a change of {magnitude(row.detectable_change)} or more"
    units = "rounds" if row.method == ROUNDS_TEST else "samples"
    return seen + (f"; about {row.needed} {units} a side needed" if row.needed else "")


TOO_NOISY_WORD = str(Open.TOO_NOISY)
UNCONFIRMED_WORD = str(Open.UNCONFIRMED)
WHY_OPEN = {
    Open.TOO_FEW_ROUNDS: "fewer paired rounds than a test needs",
    Open.TOO_FEW_SAMPLES: "fewer samples a side than a test needs",
    Open.NOT_COMPARABLE: "base and head ran on different machines",
    Open.NO_TEST: "these inputs allow no test",
    Open.MIXED: "the slow tail grew while the centre got better",
}


def why_open(row: BenchmarkComparison) -> str:
    """One phrase saying why an inconclusive row could not be judged."""
    if row.reason is Open.TOO_NOISY:
        return noisy(row)
    if row.reason is Open.UNCONFIRMED:
        again = row.confirmation or {}
        return f"the confirmation found {percent(again.get('change'))}"
    return WHY_OPEN.get(row.reason, "not judged") if row.reason else "not judged"


def label(row: BenchmarkComparison) -> str:
    """The row's verdict word; for an inconclusive row its reason (`too noisy`, `unconfirmed`
    ...), and `slow tail grew` for a regression found in the slow tail, not the centre."""
    if row.verdict is Verdict.INCONCLUSIVE and row.reason is not None:
        return str(row.reason)
    if row.finding is Finding.SLOW_TAIL:
        return str(Finding.SLOW_TAIL)
    return str(row.verdict)


def headline_counts(comparison: Comparison) -> str:
    """`1 regressed, 1 improved, 3 unchanged, 2 inconclusive (1 too noisy, 1 unconfirmed)`:
    what could not be judged is counted apart from what is unchanged, with its reasons."""
    text = summary_counts(comparison.counts)
    reasons = open_counts(comparison)
    return text + (f" ({reasons})" if reasons else "")


def tail_counts(row: BenchmarkComparison) -> str:
    """`head 24 of 383 slow (6 of 10 rounds), base 1 of 331 (1 round)`: a tail finding's
    evidence, the counts it was decided on."""
    tail = row.tail or {}
    text = (
        f"head {tail.get('head')} of {tail.get('head_n')} slow, "
        f"base {tail.get('base')} of {tail.get('base_n')}"
    )
    rounds = tail.get("rounds")
    if rounds:
        text += (
            f"; slow samples in {tail.get('head_rounds')} of {rounds} head rounds, "
            f"{tail.get('base_rounds')} of {rounds} base rounds"
        )
    return text


def ordered(comparison: Comparison) -> list[BenchmarkComparison]:
    """What could not be judged first (by reason), then changes by size, slow-tail findings,
    unchanged, added and removed in input order: the order of every table and chart."""
    rest = comparison.of(Verdict.UNCHANGED, Verdict.ADDED, Verdict.REMOVED)
    group = {Verdict.UNCHANGED: 0, Verdict.ADDED: 1, Verdict.REMOVED: 1}
    return [
        *comparison.inconclusive(),
        *comparison.changed(),
        *comparison.tails(),
        *sorted(rest, key=lambda r: group[r.verdict]),
    ]


METRICS_TITLE = "Metrics (one verdict per benchmark, on the metric that decides)"
MEASURED_TITLE = "Measured by perfbot around the benchmark command (not in the verdict)"


def metric_reading(row: BenchmarkComparison) -> str:
    """`cpu +4.9 % (+3.8 … +6.0 %), regressed, decides` or `wall +8.1 % (...), too noisy,
    not in the verdict`: one metric of a benchmark, its change, interval and reading, and whether it
    decided the verdict, so a CPU-time verdict never passes for a wall-time one."""
    role = "decides" if row.in_verdict else "not in the verdict"
    ci = interval(row)
    shown = percent(row.change) + ("" if ci == "–" else f" ({ci})")
    return f"{row.metric or 'wall'} {shown}, {label(row)}, {role}"


def metric_lines(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """(benchmark, readings) for every judged benchmark with more than one metric or whose
    verdict is not on wall time: the deciding metric first, then the others."""
    found = []
    for row in comparison.benchmarks:
        if row.metric is None or (not row.beside and row.metric == "wall"):
            continue
        found.append((row.name, [metric_reading(r) for r in (row, *row.beside)]))
    return found


def measured_lines(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """(benchmark, readings) of perfbot's own figures that no rule chose to judge."""
    return [
        (row.name, [metric_reading(r) for r in (row, *row.beside)]) for row in comparison.measured
    ]
