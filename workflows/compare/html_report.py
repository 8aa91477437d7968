"""`render_html(comparison)`: one self-contained page, written as `report.html` by local runs.

Inline CSS and inline SVG, no script, font or image from anywhere: the file opens from disk,
from an artifact store or offline, and shows the same thing everywhere. The verdict icons are
SVG too, not emoji, which a browser without an emoji font (headless Chromium in CI, a bare
server) draws as empty boxes. The page reads top down: the verdict line, the provenance, the
change chart and the table in one order, the legend, then the picture of the run (every round
of every benchmark, `round_chart`) and the notes. Every piece of input text is HTML-escaped;
the only links are to commits on GitHub (`Provenance.commit_url`).
"""

from __future__ import annotations

from html import escape

from workflows.compare import change_chart, display, environment, round_chart
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.provenance import Provenance, RunFacts, provenance
from workflows.compare.provenance_line import ARROW, SEPARATOR, Fact, facts
from workflows.compare.verdicts import Finding, Open, Verdict

MAX_ROUND_CHARTS = 60
OPEN_COLOR = change_chart.COLORS[Verdict.INCONCLUSIVE]
ICON_COLORS = {
    **change_chart.COLORS,
    **{str(reason): OPEN_COLOR for reason in Open},
    str(Finding.SLOW_TAIL): change_chart.COLORS[Verdict.REGRESSED],
}
OPEN_TITLE = "Could not be judged ({count}: {reasons})"
TITLE = "perfbot compare"
RUNS_TITLE = "Every round, in run order"
RUNS_LEGEND = (
    "Each mark is one round's median at its place in the run (base and head alternate); faint "
    "dots are that round's samples; hollow red rings are slow outliers the test set aside."
)
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
 color:#1f2328;margin:2rem auto;max-width:1100px;padding:0 1rem}
h1{font-size:1.4rem;margin:0 0 .3rem}
h2{font-size:1.1rem;margin:1.5rem 0 .3rem}
.summary{font-size:1.1rem;margin:.5rem 0 .3rem}
.meta,.legend{color:#59636e;font-size:.85rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{padding:.3rem .5rem;border-bottom:1px solid #d1d9e0;text-align:right;white-space:nowrap}
th:nth-child(2),td:nth-child(2),th:first-child,td:first-child{text-align:left}
td:nth-child(2){white-space:normal;overflow-wrap:anywhere;min-width:14rem;
 font-family:ui-monospace,monospace}
td:first-child{white-space:normal;min-width:8rem}
.why{display:block;font-weight:normal;font-size:.85em;color:#59636e}
.scroll{overflow-x:auto}
tr.regressed td:first-child{color:#d1242f;font-weight:600}
tr.improved td:first-child{color:#1a7f37;font-weight:600}
tr.unchanged td,tr.inconclusive td{color:#59636e}
tr.inconclusive td:first-child{color:#9a6700;font-weight:600}
tr.slow-tail td:first-child{color:#d1242f;font-weight:600}
svg text{font:12px ui-monospace,monospace;fill:#1f2328}
svg.icon{vertical-align:-2px;margin-right:.3rem}
.runs{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:.8rem}
.runs figure{margin:0}
.runs figcaption{font:12px ui-monospace,monospace;overflow-wrap:anywhere}
.nowrap{white-space:nowrap}
.key{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin:0 .2rem 0 .6rem}
ul.notes{color:#59636e}
div.open{border-left:3px solid #9a6700;padding:.2rem .8rem;margin:.5rem 0}
"""


def icon(word: str) -> str:
    """A coloured disc (a tick for `unchanged`): drawn by any browser, no font needed."""
    color = ICON_COLORS.get(word, "#8c959f")
    mark = (
        '<path d="M4 8.5l2.5 2.5L12 5.5" stroke="#fff" stroke-width="2" fill="none"/>'
        if word == str(Verdict.UNCHANGED)
        else ""
    )
    return (
        f'<svg class="icon" xmlns="http://www.w3.org/2000/svg" width="16" height="16" '
        f'viewBox="0 0 16 16" role="img" aria-label="{escape(word)}">'
        f'<circle cx="8" cy="8" r="7" fill="{color}"/>{mark}</svg>'
    )


def _fact(fact: Fact) -> str:
    text = escape(fact.text)
    if fact.code:
        text += f" <code>{escape(fact.code)}</code>"
    if fact.resolved:
        sha = f"<code>{escape(fact.resolved)}</code>"
        linked = f'<a href="{escape(fact.url)}">{sha}</a>' if fact.url else sha
        text += f"{ARROW}{linked}" if fact.code else f" {linked}"
    return text


def provenance_html(prov: Provenance) -> str:
    return SEPARATOR.join(_fact(f) for f in facts(prov))


def _table(comparison: Comparison) -> str:
    confidence = round(comparison.options.confidence * 100)
    columns = ("Verdict", "Benchmark", "Base", "Head", "Change", f"{confidence} % CI", "p (adj.)")
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for row in display.ordered(comparison):
        word, why = display.label(row), ""
        cells = (
            display.center(row, row.base),
            display.center(row, row.head),
            display.percent(row.change),
            display.interval(row),
            display.pvalue(row.shown_p),
        )
        if row.verdict is Verdict.INCONCLUSIVE:
            why = display.why_open(row)
        elif row.finding is Finding.SLOW_TAIL:
            why = display.tail_counts(row)
        kind = "slow-tail" if row.finding is Finding.SLOW_TAIL else str(row.verdict)
        body.append(
            f'<tr class="{kind}"><td>{icon(display.label(row))}{escape(word)}'
            + (f'<span class="why">{escape(why)}</span>' if why else "") + "</td>"
            f"<td>{escape(row.name)}</td>" + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + "</tr>"
        )  # fmt: skip
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="scroll">{table}</div>'  # a narrow window scrolls it, not the page


def _runs(comparison: Comparison, rows: list[BenchmarkComparison]) -> str:
    base, head = comparison.base_results, comparison.head_results
    if base is None or head is None:
        return ""
    order = environment.head_second(comparison.head_metadata)
    figures = []
    for row in rows[:MAX_ROUND_CHARTS]:
        b, h = base.benchmarks.get(row.name), head.benchmarks.get(row.name)
        chart = round_chart.svg(row, b, h, order) if b is not None and h is not None else ""
        if chart:
            figures.append(
                f'<figure class="benchmark"><figcaption>{escape(row.name)} · '
                f'<span class="nowrap">{escape(display.label(row))} '
                f"{escape(display.percent(row.change))}</span></figcaption>{chart}</figure>"
            )
    if not figures:
        return ""
    keys = "".join(
        f'<span class="key" style="background:{color}"></span>{side}'
        for side, color in round_chart.COLORS.items()
    )
    return (
        f"<h2>{escape(RUNS_TITLE)}</h2>"
        f'<p class="legend">{escape(RUNS_LEGEND)}{keys}</p>'
        f'<div class="runs">{"".join(figures)}</div>'
    )


def _headline(comparison: Comparison) -> str:
    word = "not comparable" if comparison.not_comparable else str(comparison.verdict)
    return (
        f"{icon(word)}<strong>{escape(word)}</strong> · "
        f"{escape(display.headline_counts(comparison))} · "
        f"{escape(display.geomean(comparison.geomean_change))} · "
        f"{comparison.compared} benchmarks analysed"
    )


def _open(comparison: Comparison) -> str:
    """What could not be judged, right under the verdict line: each row with its reason."""
    unjudged = comparison.inconclusive()
    if not unjudged:
        return ""
    title = OPEN_TITLE.format(count=len(unjudged), reasons=display.open_counts(comparison))
    items = "".join(
        f"<li>{escape(display.label(r))}: <code>{escape(r.name)}</code>: "
        f"{escape(display.why_open(r))}</li>"
        for r in unjudged
    )
    return f'<div class="open"><strong>{escape(title)}</strong><ul>{items}</ul></div>\n'


def _metrics(comparison: Comparison) -> str:
    """Each benchmark's metrics, the deciding one first and in bold; perfbot's own apart."""
    found = ""
    for title, lines in (
        (display.METRICS_TITLE, display.metric_lines(comparison)),
        (display.MEASURED_TITLE, display.measured_lines(comparison)),
    ):
        if not lines:
            continue
        items = "".join(
            f"<li><code>{escape(name)}</code>: "
            + " · ".join(
                f"<strong>{escape(r)}</strong>" if r.endswith(", decides") else escape(r)
                for r in readings
            )
            + "</li>"
            for name, readings in lines
        )
        found += f'<h2>{escape(title)}</h2><ul class="metrics">{items}</ul>\n'
    return found


def render_html(comparison: Comparison, facts: RunFacts | None = None) -> str:
    options = comparison.options
    rows = [r for r in display.ordered(comparison) if r.base is not None and r.head is not None]
    notes = "".join(
        f"<li>{escape(w) if n is None else f'<code>{escape(n)}</code>: {escape(w)}'}</li>"
        for n, w in display.notes(comparison, limit=50)
    )
    legend = " ".join(escape(line) + "." for line in display.legend(comparison))
    legend += (
        f" Threshold {options.threshold * 100:g} % (dashed lines) · suite-wise false-alarm"
        f" rate {options.alpha:g} (Benjamini-Hochberg) · whiskers: the interval."
    )
    verdict = "not comparable" if comparison.not_comparable else str(comparison.verdict)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>perfbot: {escape(verdict)}</title><style>{STYLE}</style></head><body>\n"
        f'<h1>{TITLE}</h1><p class="summary">{_headline(comparison)}</p>'
        + (f'<p class="busy">{escape(comparison.busy)}</p>' if comparison.busy else "")
        + f"{_open(comparison)}"
        f'<p class="meta provenance">{provenance_html(provenance(comparison, facts))}</p>\n'
        f'<div class="scroll">{change_chart.svg(rows, options.threshold)}</div>\n'
        f"{_table(comparison)}\n"
        f'<p class="legend">{legend}</p>\n{_metrics(comparison)}{_runs(comparison, rows)}\n'
        + (f'<ul class="notes">{notes}</ul>\n' if notes else "")
        + "</body></html>\n"
    )
