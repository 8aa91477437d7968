"""The dashboard's charts: server-side SVG drawn by pygal, so pages need no script to show them.

A trend is the main branch's series of one benchmark (each run's head median), oldest to
newest; a run page adds the run's own head as a last, differently coloured point beside it,
which is how a reviewer sees a pull request against the branch's history at a glance.
Values are stored in canonical units (seconds, bytes); the chart shows them in the unit that
keeps the numbers readable.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from pygal.style import Style

from workflows.history import Point
from workflows.history.units import scale

WIDTH = 760
HEIGHT = 260
MAIN_TITLE = "main branch"
HEAD_TITLE = "this run's head"
CHANGE_TITLE = "change point (first run at the new level)"
STYLE = Style(
    background="white",
    plot_background="white",
    colors=("#0969da", "#bc4c00", "#cf222e"),
    font_family="DejaVu Sans, sans-serif",
)


def trend(
    title: str,
    points: Sequence[Point],
    head: float | None = None,
    changes: Sequence[int] = (),
) -> str:
    """The series as an SVG element (with `head`, the run's point after it; with `changes`,
    the runs of these ids marked as change points)."""
    values = [p.value for p in points if p.value is not None]
    unit = points[0].unit if points else "s"
    factor, shown_unit = scale(unit, values + ([head] if head is not None else []))
    chart = pygal.Line(
        width=WIDTH,
        height=HEIGHT,
        style=STYLE,
        js=[],  # no script from elsewhere: the SVG stands alone
        title=f"{title} ({shown_unit})",
        show_legend=head is not None or bool(changes),
        legend_at_bottom=True,
        x_label_rotation=30,
        show_minor_x_labels=False,
        truncate_label=-1,
        dots_size=3,
        allow_interruptions=True,
        y_labels_major_count=5,  # a label every few grid lines: 13 of them overlapped
        show_minor_y_labels=False,
    )
    labels = [p.head_sha[:7] for p in points]
    main = [None if p.value is None else p.value / factor for p in points]
    if head is not None:
        labels.append("head")
        main.append(None)
    chart.x_labels = labels
    chart.x_labels_major = labels[:: max(1, len(labels) // 10)]
    chart.add(MAIN_TITLE, main)
    if changes:
        marked = [m if p.run_id in changes else None for p, m in zip(points, main, strict=False)]
        chart.add(CHANGE_TITLE, marked + [None] * (len(main) - len(points)), dots_size=7)
    if head is not None:
        chart.add(HEAD_TITLE, [None] * len(points) + [head / factor], dots_size=6)
    return chart.render(is_unicode=True, disable_xml_declaration=True)
