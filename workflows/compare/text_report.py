"""The text report: what `perfbot compare` prints by default and `perfbot run --local` shows.

The provenance first (what was compared, how much, where), then the verdict line and what could
not be judged, then the rows: the inconclusive ones (by reason) first, changes (largest first),
slow-tail findings, and everything else in input order, in aligned columns;
then the notes and a legend saying what the columns are. Plain words rather than icons, since a
terminal may not render emoji.
"""

from __future__ import annotations

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.provenance import RunFacts, provenance
from workflows.compare.provenance_line import plain_line
from workflows.compare.verdicts import Verdict

HEADLINES = {
    Verdict.REGRESSED: "REGRESSION",
    Verdict.IMPROVED: "IMPROVEMENT",
    Verdict.UNCHANGED: "NO SIGNIFICANT CHANGE",
    Verdict.INCONCLUSIVE: "INCONCLUSIVE",
}
OPEN_LINE = "could not judge {count} benchmark(s): {reasons}; they are listed first"
NOT_COMPARABLE = "NOT COMPARABLE"
COLUMNS = ("verdict", "benchmark", "base", "head", "change", "{confidence} % CI", "p (adj.)")
MAX_NAME = 60
FOOTER = "threshold {threshold:g} %, suite-wise false-alarm rate {alpha:g} (Benjamini-Hochberg)"


def _name(name: str) -> str:
    flat = " ".join(name.split())
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"


def _cells(row: BenchmarkComparison) -> tuple[str, ...]:
    return (
        display.label(row),
        _name(row.name),
        display.center(row, row.base),
        display.center(row, row.head),
        display.percent(row.change),
        display.interval(row),
        display.pvalue(row.shown_p),
    )


def ordered(comparison: Comparison) -> list[BenchmarkComparison]:
    return display.ordered(comparison)


def headline(comparison: Comparison) -> str:
    word = NOT_COMPARABLE if comparison.not_comparable else HEADLINES[comparison.verdict]
    return (
        f"{word}: {display.headline_counts(comparison)}; "
        f"{display.geomean(comparison.geomean_change)}; "
        f"{comparison.compared} benchmarks analysed"
    )


def render_text(comparison: Comparison, facts: RunFacts | None = None) -> str:
    options = comparison.options
    header = tuple(c.format(confidence=round(options.confidence * 100)) for c in COLUMNS)
    rows = [header] + [_cells(row) for row in ordered(comparison)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    right = {2, 3, 4, 6}

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = ["perfbot compare: " + plain_line(provenance(comparison, facts)), headline(comparison)]
    if comparison.busy:
        out.append(comparison.busy)
    unjudged = comparison.inconclusive()
    if unjudged:
        out.append(OPEN_LINE.format(count=len(unjudged), reasons=display.open_counts(comparison)))
    out += ["", *(line(r) for r in rows)]
    for title, lines in (
        (display.METRICS_TITLE, display.metric_lines(comparison)),
        (display.MEASURED_TITLE, display.measured_lines(comparison)),
    ):
        if lines:
            out += ["", f"{title}:", *(f"  {_name(n)}: {'; '.join(r)}" for n, r in lines)]
    notes = [w if n is None else f"{_name(n)}: {w}" for n, w in display.notes(comparison)]
    if notes:
        out += ["", "notes:", *(f"  - {note}" for note in notes)]
    out += ["", *display.legend(comparison)]
    out.append(FOOTER.format(threshold=options.threshold * 100, alpha=options.alpha))
    return "\n".join(out) + "\n"
