"""`render_html(comparison)`: one self-contained page, written as `report.html` by local runs.

Inline CSS and an inline SVG chart, no script, font or image from anywhere: the file opens from
disk, from an artifact store or offline, and shows the same thing everywhere. The chart draws
every benchmark compared on both sides (the largest changes when there are many): a bar for the
change, a whisker for its interval, dashed lines at the threshold. Every piece of input text is
HTML-escaped.
"""

from __future__ import annotations

import math
from html import escape

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.text_report import ordered
from workflows.compare.verdicts import Verdict

MAX_CHART_ROWS = 60
ROW_HEIGHT = 22
LABEL_WIDTH = 300
PLOT_WIDTH = 440
VALUE_WIDTH = 90
MARGIN = 24
COLORS = {
    Verdict.REGRESSED: "#d1242f",
    Verdict.IMPROVED: "#1a7f37",
    Verdict.UNCHANGED: "#8c959f",
    Verdict.ADDED: "#0969da",
    Verdict.REMOVED: "#0969da",
}
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
 color:#1f2328;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.4rem;margin:0 0 .3rem}
.summary{font-size:1.1rem;margin:.5rem 0 1rem}
.meta{color:#59636e;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{padding:.3rem .5rem;border-bottom:1px solid #d1d9e0;text-align:right;white-space:nowrap}
th:nth-child(2),td:nth-child(2),th:first-child,td:first-child{text-align:left}
td:nth-child(2){white-space:normal;word-break:break-all;font-family:ui-monospace,monospace}
tr.regressed td:first-child{color:#d1242f;font-weight:600}
tr.improved td:first-child{color:#1a7f37;font-weight:600}
tr.unchanged td{color:#59636e}
svg text{font:12px ui-monospace,monospace;fill:#1f2328}
ul.notes{color:#59636e}
"""


def _svg(rows: list[BenchmarkComparison], threshold: float) -> str:
    rows = [r for r in rows if r.change is not None and math.isfinite(r.change)]
    rows = sorted(rows, key=lambda r: abs(r.badness), reverse=True)[:MAX_CHART_ROWS]
    if not rows:
        return ""
    ends = [abs(r.change or 0.0) for r in rows] + [threshold * 1.5]
    ends += [abs(e) for r in rows for e in (r.ci_low, r.ci_high) if e is not None]
    span = min(max(ends), 2.0)  # beyond +-200 %, bars are clipped rather than squashing the rest
    half = PLOT_WIDTH / 2
    zero = LABEL_WIDTH + half

    def x(change: float) -> float:
        return zero + max(-1.0, min(1.0, change / span)) * half

    height = MARGIN * 2 + ROW_HEIGHT * len(rows)
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="change per benchmark">'
    ]
    for edge in (-threshold, threshold):
        parts.append(
            f'<line x1="{x(edge):.1f}" x2="{x(edge):.1f}" y1="{MARGIN - 6}" '
            f'y2="{height - MARGIN + 6}" stroke="#bbb" stroke-dasharray="4 3"/>'
        )
    parts.append(
        f'<line x1="{zero}" x2="{zero}" y1="{MARGIN - 8}" y2="{height - MARGIN + 8}" '
        'stroke="#555"/>'
    )
    for edge in (-span, span):
        parts.append(
            f'<text x="{x(edge):.1f}" y="{height - 6}" text-anchor="middle">'
            f"{edge * 100:+.0f} %</text>"
        )
    for i, row in enumerate(rows):
        top = MARGIN + i * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        change = row.change or 0.0
        left, right = sorted((x(0.0), x(change)))
        name = " ".join(row.name.split())
        label = name if len(name) <= 40 else name[:39] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle + 4:.1f}" text-anchor="end">'
            f"<title>{escape(row.name)}</title>{escape(label)}</text>"
        )
        parts.append(
            f'<rect x="{left:.1f}" y="{top + 4}" width="{max(right - left, 1):.1f}" '
            f'height="{ROW_HEIGHT - 8}" fill="{COLORS[row.verdict]}" opacity="0.85"/>'
        )
        if row.ci_low is not None and row.ci_high is not None:
            parts.append(
                f'<line x1="{x(row.ci_low):.1f}" x2="{x(row.ci_high):.1f}" y1="{middle:.1f}" '
                f'y2="{middle:.1f}" stroke="#1f2328" stroke-width="1.2"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + PLOT_WIDTH + 6}" y="{middle + 4:.1f}">'
            f"{escape(display.percent(row.change))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _table(comparison: Comparison) -> str:
    confidence = round(comparison.options.confidence * 100)
    head = "".join(
        f"<th>{escape(c)}</th>"
        for c in (
            "Verdict",
            "Benchmark",
            "Base",
            "Head",
            "Change",
            f"{confidence} % CI",
            "p (adj.)",
        )
    )
    body = []
    for row in ordered(comparison):
        cells = (
            str(row.verdict),
            row.name,
            display.side(row.base, row.unit),
            display.side(row.head, row.unit),
            display.percent(row.change),
            display.interval(row),
            display.pvalue(row.p_adjusted),
        )
        body.append(
            f'<tr class="{row.verdict}">'
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(comparison: Comparison) -> str:
    options = comparison.options
    verdict = comparison.verdict
    summary = (
        f"{display.SUMMARY_ICONS[verdict]} <strong>{escape(str(verdict))}</strong>: "
        f"{escape(display.summary_counts(comparison.counts))} · "
        f"{escape(display.geomean(comparison.geomean_change))} "
        f"over {comparison.compared} benchmarks"
    )
    notes = "".join(
        f"<li>{escape(w) if n is None else f'<code>{escape(n)}</code>: {escape(w)}'}</li>"
        for n, w in display.notes(comparison, limit=50)
    )
    meta = (
        f"base <code>{escape(comparison.base_source)}</code> · head "
        f"<code>{escape(comparison.head_source)}</code><br>threshold {options.threshold * 100:g} %"
        f" · suite-wise false-alarm rate {options.alpha:g} (Benjamini-Hochberg) · change: "
        "Hodges-Lehmann estimate with its interval (whiskers), p: Mann-Whitney U · dashed lines: "
        "the threshold"
    )
    both = [r for r in comparison.benchmarks if r.base is not None and r.head is not None]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>perfbot: {escape(str(verdict))}</title><style>{STYLE}</style></head><body>\n"
        f'<h1>perfbot compare</h1><p class="summary">{summary}</p>'
        f'<p class="meta">{meta}</p>\n'
        f"{_svg(both, options.threshold)}\n{_table(comparison)}\n"
        + (f'<ul class="notes">{notes}</ul>\n' if notes else "")
        + "</body></html>\n"
    )
