"""The change chart of the HTML report: per benchmark a bar for the change, a whisker for its
interval, dashed lines at the threshold, in the table's order so the two read together.

Bars start at zero and go left for a smaller value and right for a larger one; the colour says
whether that is better or worse, since for a throughput larger is better. A slow-tail finding's
bar is grey: it shows the centre, which did not decide the verdict.
"""

from __future__ import annotations

import math
from html import escape

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison
from workflows.compare.verdicts import Finding, Verdict

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
    Verdict.INCONCLUSIVE: "#9a6700",
    Verdict.ADDED: "#0969da",
    Verdict.REMOVED: "#0969da",
}


def color(row: BenchmarkComparison) -> str:
    """The bar's colour: the verdict's when the centre decided it; grey for a slow-tail finding,
    whose bar is the centre's change, which is not what decided it."""
    if row.finding is Finding.SLOW_TAIL:
        return COLORS[Verdict.UNCHANGED]
    return COLORS[row.verdict]


def svg(rows: list[BenchmarkComparison], threshold: float) -> str:
    """Rows in the order given (the table's), the first `MAX_CHART_ROWS` with a finite change."""
    rows = [r for r in rows if r.change is not None and math.isfinite(r.change)]
    rows = rows[:MAX_CHART_ROWS]
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
        f'<svg xmlns="http://www.w3.org/2000/svg" class="changes" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="change per benchmark">'
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
            f'<rect class="bar" x="{left:.1f}" y="{top + 4}" width="{max(right - left, 1):.1f}" '
            f'height="{ROW_HEIGHT - 8}" fill="{color(row)}" opacity="0.85"/>'
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
