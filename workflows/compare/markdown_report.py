"""The Markdown report, ready for a PR comment (and a check run's summary).

Verdict first: one line (verdict, counts, geomean, how many benchmarks were analysed), then the
provenance (repository, job, refs as asked and commits as resolved, linked; rounds and samples;
machine; date; perfbot version); then what could not be judged, each with its reason (too noisy,
too few rounds, ...), and the unconfirmed changes as their own table with both measurements side
by side; a numbered table of the changed benchmarks, largest change first; mermaid
`xychart-beta` bar charts of those changes by table number, regressions and improvements apart,
each bar from zero; slow-tail findings with their counts (never charted: the charts are of
centre changes); the unchanged ones folded in `<details>`; notes; a legend saying what Base,
Head and Change are for the tests used. Benchmark names, units, warnings and refs come from the
PR's side, so every one is escaped into inert text (`workflows.untrusted.markdown_text`): no
table-breaking `|` or newline, no HTML, no link or image, no @mention, no autolink, no closing
of the mermaid fence.
"""

from __future__ import annotations

import math

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.provenance import RunFacts, provenance
from workflows.compare.provenance_markdown import provenance_markdown
from workflows.compare.verdicts import Open, Verdict
from workflows.results import Direction
from workflows.untrusted import markdown_text

TITLES = {
    Verdict.REGRESSED: "Regression",
    Verdict.IMPROVED: "Improvement",
    Verdict.UNCHANGED: "No significant change",
    Verdict.INCONCLUSIVE: "Inconclusive",
}
NOT_COMPARABLE_TITLE = "Not comparable"
NOT_COMPARABLE_ICON = "⚠️"
SUMMARY = "{icon} **{title}** · {counts} · {geomean} · {compared} benchmarks analysed"
HEADER = (
    "| # | | Benchmark | Base | Head | Change | {confidence} % CI | p (adj.) |\n"
    "|--:|:-:|:--|--:|--:|--:|:-:|--:|"
)
ROW = "| {number} | {icon} | <code>{name}</code> | {base} | {head} | {change} | {ci} | {p} |"
CHART = (
    "```mermaid\nxychart-beta\n"
    '    title "{title} by # in the table, % {word}"\n'
    "    x-axis [{labels}]\n"
    '    y-axis "% {word}" 0 --> {high}\n'
    "    bar [{values}]\n```"
)
CHART_SIDES = (("Regressions", "worse", 1.0), ("Improvements", "better", -1.0))
OPEN_HEADER = (
    "**Could not be judged** ({count}: {reasons}): no verdict either way, this run cannot say "
    "whether they changed"
)
OPEN_ROW = "- {label}: <code>{name}</code>: {change} ({ci}); {why}"
UNCONFIRMED_HEADER = (
    "**Unconfirmed** ({count}): flagged by the first measurement, not repeated by the "
    "confirmation\n\n"
    "| Benchmark | First measurement | p (adj.) | Confirmation | p (adj.) |\n"
    "|:--|--:|--:|--:|--:|"
)
UNCONFIRMED_ROW = "| <code>{name}</code> | {first} | {p_first} | {second} | {p_second} |"
TAIL_HEADER = (
    "**Slow tail grew** ({count}): more slow samples in head, the centre not better; Change "
    "is the centre's, not what decided\n\n"
    "| | Benchmark | Slow samples | Centre change | p (adj., tail) |\n"
    "|:-:|:--|:--|--:|--:|"
)
TAIL_ROW = "| {icon} | <code>{name}</code> | {counts} | {change} | {p} |"
FOLD = "<details><summary>{summary}</summary>\n\n{body}\n\n</details>"
FOOTER = (
    "<sub>{legend} · threshold {threshold:g} % · suite-wise false-alarm rate {alpha:g}"
    " (Benjamini-Hochberg)</sub>"
)
MAX_NAME = 120
# listed in their own groups, not again among the notes
LISTED_NOTES = ("too noisy to judge", "unconfirmed: ", "slow tail grew: ")
MAX_CHART_BARS = 20
UNIT_CELL = 80  # a value with its unit; the unit comes from the results, so it is bounded too


def inert(text: str, limit: int = MAX_NAME) -> str:
    """The comment's one escaping rule for text from results (`workflows.untrusted`)."""
    return markdown_text(text, limit)


def _row(row: BenchmarkComparison, number: int | None = None) -> str:
    change = display.percent(row.change)
    return ROW.format(
        number="" if number is None else number,
        icon=display.ICONS[row.verdict],
        name=inert(row.name),
        base=inert(display.center(row, row.base), UNIT_CELL),
        head=inert(display.center(row, row.head), UNIT_CELL),
        change=f"**{change}**" if row.verdict.is_change else change,
        ci=display.interval(row),
        p=_p(row.shown_p),
    )


def _p(p: float | None) -> str:
    return display.pvalue(p).replace("<", "&lt;")


def _table(rows: list[BenchmarkComparison], confidence: float, numbered: bool = False) -> str:
    """`numbered`: a `#` column, which the chart's labels refer to."""
    header = HEADER.format(confidence=round(confidence * 100))
    lines = [*header.splitlines(), *(_row(r, i) for i, r in enumerate(rows, start=1))]
    if not numbered:
        lines = ["|" + line.split("|", 2)[2] for line in lines]  # without the `#` column
    return "\n".join(lines)


def worse(row: BenchmarkComparison) -> float:
    """The change in per cent, signed so that above zero is worse for any direction."""
    change = (row.change or 0.0) * 100
    return change if row.direction is Direction.LOWER else -change


def chart(rows: list[BenchmarkComparison]) -> str:
    """The changes of the table, labelled by its `#` column: one bar chart of the regressions
    (% worse) and one of the improvements (% better), each in the table's order. Bars, since
    the benchmarks are unrelated (a line joining them would suggest a trend); apart, since
    mermaid draws a bar up from the bottom of the axis, never from zero, so only an axis that
    starts at zero draws every bar its true size."""
    charts = []
    for title, word, sign in CHART_SIDES:
        shown = [
            (number, round(sign * worse(r), 1))
            for number, r in enumerate(rows, start=1)
            if number <= MAX_CHART_BARS and r.change is not None and math.isfinite(r.change)
        ]
        shown = [(number, size) for number, size in shown if size > 0]
        if not shown:
            continue
        high = max(size for _, size in shown)
        charts.append(
            CHART.format(
                title=title,
                word=word,
                labels=", ".join(f'"{number}"' for number, _ in shown),
                high=math.ceil(high + max(1.0, high * 0.1)),
                values=", ".join(f"{size:g}" for _, size in shown),
            )
        )
    return "\n\n".join(charts)


def _note(name: str | None, warning: str) -> str:
    where = "" if name is None else f"<code>{inert(name)}</code>: "
    return f"- ⚠️ {where}{inert(warning, 500)}"


def _measured(change: float | None, low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return display.percent(change)
    return f"{display.percent(change)} ({display.interval_of(low, high)})"


def _unconfirmed(rows: list[BenchmarkComparison]) -> str:
    """Both measurements side by side: what the first saw, what the confirmation saw."""
    lines = [UNCONFIRMED_HEADER.format(count=len(rows))]
    for r in rows:
        again = r.confirmation or {}
        second = "not measured again"
        if again.get("verdict") is not None:
            second = _measured(again.get("change"), again.get("ci_low"), again.get("ci_high"))
            if again.get("rounds"):
                second += f", {again['rounds']} rounds"
        lines.append(
            UNCONFIRMED_ROW.format(
                name=inert(r.name),
                first=_measured(r.change, r.ci_low, r.ci_high),
                p_first=_p(r.p_adjusted),
                second=second,
                p_second=_p(again.get("p_adjusted")),
            )
        )
    return "\n".join(lines)


def _open(comparison: Comparison) -> str:
    """What could not be judged, first in the report: each row with its reason; the
    unconfirmed ones as their own table with both measurements."""
    rows = comparison.inconclusive()
    if not rows:
        return ""
    listed = [r for r in rows if r.reason is not Open.UNCONFIRMED]
    unconfirmed = [r for r in rows if r.reason is Open.UNCONFIRMED]
    parts = [OPEN_HEADER.format(count=len(rows), reasons=display.open_counts(comparison))]
    if listed:
        parts[0] += "\n" + "\n".join(
            OPEN_ROW.format(
                label=display.label(r),
                name=inert(r.name),
                change=display.percent(r.change),
                ci=display.interval(r),
                why=inert(display.why_open(r), 200),
            )
            for r in listed
        )
    if unconfirmed:
        parts.append(_unconfirmed(unconfirmed))
    return "\n\n".join(parts)


def _tails(rows: list[BenchmarkComparison]) -> str:
    """Slow-tail findings with the counts that decided them; never charted as a centre change."""
    lines = [TAIL_HEADER.format(count=len(rows))]
    lines += [
        TAIL_ROW.format(
            icon=display.ICONS[r.verdict],
            name=inert(r.name),
            counts=inert(display.tail_counts(r), 300),
            change=display.percent(r.change),
            p=_p(r.shown_p),
        )
        for r in rows
    ]
    return "\n".join(lines)


def _metrics(title: str, lines: list[tuple[str, list[str]]]) -> str:
    """Each benchmark's metrics on one line, the deciding one first and in bold."""
    items = []
    for name, readings in lines:
        shown = " · ".join(
            f"**{inert(r, 200)}**" if r.endswith(", decides") else inert(r, 200) for r in readings
        )
        items.append(f"- <code>{inert(name)}</code>: {shown}")
    return f"**{title}**\n\n" + "\n".join(items)


def headline(comparison: Comparison) -> str:
    if comparison.not_comparable:
        icon, title = NOT_COMPARABLE_ICON, NOT_COMPARABLE_TITLE
    else:
        icon = display.SUMMARY_ICONS[comparison.verdict]
        title = TITLES[comparison.verdict]
    return SUMMARY.format(
        icon=icon,
        title=title,
        counts=display.headline_counts(comparison),
        geomean=display.geomean(comparison.geomean_change),
        compared=comparison.compared,
    )


def _busy(comparison: Comparison) -> str:
    """The machine's load or steal, right under the verdict: it qualifies everything below."""
    return f"⚠️ {inert(comparison.busy, 500)}" if comparison.busy else ""


def render_markdown(comparison: Comparison, facts: RunFacts | None = None) -> str:
    options = comparison.options
    origin = provenance_markdown(provenance(comparison, facts), inert)
    parts = [headline(comparison), _busy(comparison), f"<sub>{origin}</sub>", _open(comparison)]
    changed = comparison.changed()
    if changed:
        parts += [_table(changed, options.confidence, numbered=True), chart(changed)]
    tails = comparison.tails()
    if tails:
        parts.append(_tails(tails))
    unchanged = comparison.of(Verdict.UNCHANGED)
    if unchanged:
        parts.append(
            FOLD.format(
                summary=f"{len(unchanged)} unchanged benchmark{'s' * (len(unchanged) != 1)}",
                body=_table(unchanged, options.confidence),
            )
        )
    one_sided = comparison.of(Verdict.ADDED, Verdict.REMOVED)
    if one_sided:
        counts = comparison.counts
        parts.append(
            FOLD.format(
                summary=f"{counts[Verdict.ADDED]} added, {counts[Verdict.REMOVED]} removed",
                body=_table(one_sided, options.confidence),
            )
        )
    for title, lines in (
        (display.METRICS_TITLE, display.metric_lines(comparison)),
        (display.MEASURED_TITLE, display.measured_lines(comparison)),
    ):
        if lines:
            parts.append(_metrics(title, lines))
    notes = [(n, w) for n, w in display.notes(comparison) if not w.startswith(LISTED_NOTES)]
    if notes:
        parts.append("**Notes**\n\n" + "\n".join(_note(name, warning) for name, warning in notes))
    parts.append(
        FOOTER.format(
            legend=" · ".join(inert(line, 500) for line in display.legend(comparison)),
            threshold=options.threshold * 100,
            alpha=options.alpha,
        )
    )
    return "\n\n".join(p for p in parts if p) + "\n"
