"""The Markdown report, ready for a PR comment (and a check run's summary).

One summary line with an icon; a table of the changed benchmarks, largest change first; a
mermaid `xychart-beta` bar chart of those changes; the unchanged benchmarks folded in
`<details>`; notes. Benchmark names come from the PR's own code, so every name is escaped into
inert text: no table-breaking `|`, no HTML, no @mention, no closing of the mermaid fence.
"""

from __future__ import annotations

import math

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.verdicts import Verdict

TITLES = {
    Verdict.REGRESSED: "Regression",
    Verdict.IMPROVED: "Improvement",
    Verdict.UNCHANGED: "No significant change",
}
SUMMARY = "{icon} **{title}**: {counts} · {geomean} over {compared} benchmarks"
HEADER = (
    "| | Benchmark | Base | Head | Change | {confidence} % CI | p (adj.) |\n"
    "|:-:|:--|--:|--:|--:|:-:|--:|"
)
ROW = "| {icon} | <code>{name}</code> | {base} | {head} | {change} | {ci} | {p} |"
CHART = (
    "```mermaid\nxychart-beta\n"
    '    title "Significant changes (size of the change, %)"\n'
    "    x-axis [{labels}]\n"
    '    y-axis "change (%)" 0 --> {top}\n'
    "    bar [{values}]\n```"
)
FOLD = "<details><summary>{summary}</summary>\n\n{body}\n\n</details>"
FOOTER = (
    "<sub>Threshold {threshold:g} % · suite-wise false-alarm rate {alpha:g} (Benjamini-Hochberg)"
    " · change: Hodges-Lehmann estimate, p: Mann-Whitney U"
    " · ±: spread relative to the median</sub>"
)
MAX_NAME = 120
MAX_LABEL = 30
MAX_CHART_BARS = 20
INERT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "`": "&#96;",
        "\\": "&#92;",
        "*": "&#42;",
        "_": "&#95;",
        "[": "&#91;",
        "]": "&#93;",
        "~": "&#126;",
        "#": "&#35;",
        "@": "@\u200b",  # a zero-width space: no @mention, no team ping
        "\r": " ",
        "\n": " ",
    }
)
# Inside a quoted mermaid label: no quote, no fence-closing backtick, no entity or markup.
LABEL_UNSAFE = str.maketrans(
    {'"': "'", "`": "'", "<": "‹", ">": "›", "#": "♯", ";": ",", "&": "+", "\\": "/"}
)


def inert(text: str, limit: int = MAX_NAME) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return flat.translate(INERT)


def _row(row: BenchmarkComparison) -> str:
    change = display.percent(row.change)
    return ROW.format(
        icon=display.ICONS[row.verdict],
        name=inert(row.name),
        base=display.side(row.base, row.unit),
        head=display.side(row.head, row.unit),
        change=f"**{change}**" if row.verdict.is_change else change,
        ci=display.interval(row),
        p=display.pvalue(row.p_adjusted).replace("<", "&lt;"),
    )


def _table(rows: list[BenchmarkComparison], confidence: float) -> str:
    header = HEADER.format(confidence=round(confidence * 100))
    return "\n".join([header, *(_row(r) for r in rows)])


def chart(rows: list[BenchmarkComparison]) -> str:
    """Bars are sizes of change (mermaid draws bars up from the axis, so a signed bar would
    mislead); each label carries the icon and the signed change."""
    shown = [r for r in rows if r.change is not None and math.isfinite(r.change)]
    shown = shown[:MAX_CHART_BARS]
    if not shown:
        return ""
    sizes = [round(abs(r.change or 0.0) * 100, 1) for r in shown]
    labels = []
    for r in shown:
        name = " ".join(r.name.split()).translate(LABEL_UNSAFE)
        if len(name) > MAX_LABEL:
            name = name[: MAX_LABEL - 1] + "…"
        labels.append(f'"{display.ICONS[r.verdict]} {name} ({display.percent(r.change)})"')
    return CHART.format(
        labels=", ".join(labels),
        top=max(1, int(max(sizes) * 1.15) + 1),
        values=", ".join(f"{s:g}" for s in sizes),
    )


def _note(name: str | None, warning: str) -> str:
    where = "" if name is None else f"<code>{inert(name)}</code>: "
    return f"- ⚠️ {where}{inert(warning, 500)}"


def render_markdown(comparison: Comparison) -> str:
    options = comparison.options
    parts = [
        SUMMARY.format(
            icon=display.SUMMARY_ICONS[comparison.verdict],
            title=TITLES[comparison.verdict],
            counts=display.summary_counts(comparison.counts),
            geomean=display.geomean(comparison.geomean_change),
            compared=comparison.compared,
        )
    ]
    changed = comparison.changed()
    if changed:
        parts += [_table(changed, options.confidence), chart(changed)]
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
    notes = display.notes(comparison)
    if notes:
        parts.append("**Notes**\n\n" + "\n".join(_note(name, warning) for name, warning in notes))
    parts.append(FOOTER.format(threshold=options.threshold * 100, alpha=options.alpha))
    return "\n\n".join(p for p in parts if p) + "\n"
