"""The text report: what `perfbot compare` prints by default and `perfbot run --local` shows.

Changes first (largest first), then everything else in input order, in aligned columns; then
the notes. Plain words rather than icons, since a terminal may not render emoji.
"""

from __future__ import annotations

from workflows.compare import display
from workflows.compare.engine import BenchmarkComparison, Comparison
from workflows.compare.verdicts import Verdict

HEADLINES = {
    Verdict.REGRESSED: "REGRESSION",
    Verdict.IMPROVED: "IMPROVEMENT",
    Verdict.UNCHANGED: "NO SIGNIFICANT CHANGE",
}
COLUMNS = ("verdict", "benchmark", "base", "head", "change", "{confidence} % CI", "p (adj.)")
MAX_NAME = 60
FOOTER = (
    "threshold {threshold:g} %, suite-wise false-alarm rate {alpha:g} (Benjamini-Hochberg); "
    "change = Hodges-Lehmann estimate, ± = spread relative to the median"
)


def _name(name: str) -> str:
    flat = " ".join(name.split())
    return flat if len(flat) <= MAX_NAME else flat[: MAX_NAME - 1] + "…"


def _cells(row: BenchmarkComparison) -> tuple[str, ...]:
    return (
        str(row.verdict),
        _name(row.name),
        display.side(row.base, row.unit),
        display.side(row.head, row.unit),
        display.percent(row.change),
        display.interval(row),
        display.pvalue(row.p_adjusted),
    )


def ordered(comparison: Comparison) -> list[BenchmarkComparison]:
    """Changes by size, then unchanged, added and removed in input order."""
    rest = comparison.of(Verdict.UNCHANGED, Verdict.ADDED, Verdict.REMOVED)
    return comparison.changed() + sorted(rest, key=lambda r: r.verdict is not Verdict.UNCHANGED)


def render_text(comparison: Comparison) -> str:
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

    out = [
        f"perfbot compare: base {comparison.base_source} vs head {comparison.head_source}",
        f"{HEADLINES[comparison.verdict]}: {display.summary_counts(comparison.counts)}; "
        f"{display.geomean(comparison.geomean_change)} over {comparison.compared} benchmarks",
        "",
        *(line(r) for r in rows),
    ]
    notes = [w if n is None else f"{_name(n)}: {w}" for n, w in display.notes(comparison)]
    if notes:
        out += ["", "notes:", *(f"  - {note}" for note in notes)]
    out += ["", FOOTER.format(threshold=options.threshold * 100, alpha=options.alpha)]
    return "\n".join(out) + "\n"
