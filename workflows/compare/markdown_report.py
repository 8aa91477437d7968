"""The Markdown report, ready for a PR comment (and a check run's summary).

Verdict first: one line (verdict, counts, geomean, how many benchmarks were analysed), then
the provenance (repository, job, refs as asked and commits as resolved, linked; rounds and
samples; machine; date; perfbot version); a numbered table of the changed benchmarks, largest
change first; a mermaid `xychart-beta` chart of those changes by table number, signed so that
improvements fall below zero; the benchmarks too noisy to judge, listed as such; the unchanged
ones folded in `<details>`; notes; a legend saying what Base, Head and Change are for the tests
used. Benchmark names, units, warnings and refs come from the PR's side, so every one is escaped
into inert text (`workflows.untrusted.markdown_text`): no table-breaking `|` or newline, no
HTML, no link or image, no @mention, no autolink, no closing of the mermaid fence.
"""

from __future__ import annotations

import math

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.provenance import RunFacts, provenance
from workflows.compare.provenance_markdown import provenance_markdown
from workflows.compare.verdicts import Verdict
from workflows.results import Direction
from workflows.untrusted import markdown_text

TITLES = {
    Verdict.REGRESSED: "Regression",
    Verdict.IMPROVED: "Improvement",
    Verdict.UNCHANGED: "No significant change",
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
    '    title "Significant changes by # (above 0: worse, below 0: better)"\n'
    "    x-axis [{labels}]\n"
    '    y-axis "worse (+) / better (-), %" {low} --> {high}\n'
    "    line [{values}]\n"
    "    line [{zeros}]\n```"
)
NOISY_HEADER = "**Too noisy to judge** ({count}): no verdict either way, this run could not tell"
NOISY_ROW = "- <code>{name}</code>: {change} ({ci}); {why}"
FOLD = "<details><summary>{summary}</summary>\n\n{body}\n\n</details>"
FOOTER = (
    "<sub>{legend} · threshold {threshold:g} % · suite-wise false-alarm rate {alpha:g}"
    " (Benjamini-Hochberg)</sub>"
)
MAX_NAME = 120
NOISY_NOTE = "too noisy to judge"  # listed on their own, not again among the notes
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
        p=display.pvalue(row.p_adjusted).replace("<", "&lt;"),
    )


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
    """The changes of the table, in its order and labelled by its `#` column, signed so that
    improvements fall below zero. Points on a line with a zero line, not bars: mermaid draws a
    bar up from the bottom of the axis, never from zero, so a negative bar would read as a
    short positive one."""
    shown = [r for r in rows[:MAX_CHART_BARS] if r.change is not None and math.isfinite(r.change)]
    if not shown:
        return ""
    values = [round(worse(r), 1) for r in shown]
    low, high = min(0.0, *values), max(0.0, *values)
    pad = max(1.0, (high - low) * 0.1)
    return CHART.format(
        labels=", ".join(f'"{i}"' for i, r in enumerate(rows, start=1) if r in shown),
        low=math.floor(low - pad if low < 0 else 0),
        high=math.ceil(high + pad if high > 0 else 0),
        values=", ".join(f"{v:g}" for v in values),
        zeros=", ".join("0" for _ in values),
    )


def _note(name: str | None, warning: str) -> str:
    where = "" if name is None else f"<code>{inert(name)}</code>: "
    return f"- ⚠️ {where}{inert(warning, 500)}"


def _noisy(rows: list[BenchmarkComparison]) -> str:
    lines = [NOISY_HEADER.format(count=len(rows))]
    lines += [
        NOISY_ROW.format(
            name=inert(r.name),
            change=display.percent(r.change),
            ci=display.interval(r),
            why=inert(display.noisy(r), 200),
        )
        for r in rows
    ]
    return "\n".join(lines)


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


def render_markdown(comparison: Comparison, facts: RunFacts | None = None) -> str:
    options = comparison.options
    origin = provenance_markdown(provenance(comparison, facts), inert)
    parts = [headline(comparison), f"<sub>{origin}</sub>"]
    changed = comparison.changed()
    if changed:
        parts += [_table(changed, options.confidence, numbered=True), chart(changed)]
    noisy = comparison.too_noisy
    if noisy:
        parts.append(_noisy(noisy))
    unchanged = [r for r in comparison.of(Verdict.UNCHANGED) if not r.too_noisy]
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
    notes = [(n, w) for n, w in display.notes(comparison) if not w.startswith(NOISY_NOTE)]
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
