"""The picture of a run: one small SVG per benchmark with a mark for every round of each side.

A median hides how it came about: a benchmark that drifted fivefold over the run, one that
jumps between two levels, or one bad round look like any other in a table. So each round is
drawn where it ran (base and head in their run order, from the round manifest; base first in a
round whose order is unknown) at its median, the two sides joined by a line each, with the
round's samples as faint dots and the slow outliers that the test set aside as hollow red rings.
A single file of samples has no rounds: its samples are drawn in file order, base then head.

The outliers are found with the rule the engine uses (`outliers.slow_outliers`, per side, on
the logs), so the rings are the samples the test left out. The axis spans the samples the test
kept, not the outliers: one sample 400 times slower would otherwise squash every round to a flat
line at the bottom. An outlier beyond the axis is ringed at its edge, its value in its title;
when the kept samples span more than a factor of LOG_SPAN the axis is logarithmic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from html import escape

import numpy as np

from workflows.compare import display, outliers
from workflows.compare.engine import BenchmarkComparison
from workflows.compare.estimates import slow_sign
from workflows.results import Benchmark

WIDTH = 340
HEIGHT = 110
PAD_LEFT = 64
PAD_RIGHT = 8
PAD_Y = 10
COLORS = {"base": "#0969da", "head": "#bc4c00"}
SET_ASIDE = "#d1242f"
SET_ASIDE_TITLE = "set aside: a slow outlier the test left out"


LOG_SPAN = 10.0  # kept samples spanning more than this factor get a logarithmic axis
BEYOND = "above the axis"
BELOW = "below the axis"
MAX_DOTS = 40  # faint dots a round: evenly spaced order statistics of its kept samples
MAX_RINGS = 10  # set-aside rings a round (a file: a side); the rest are counted in a title
MAX_FILE_POINTS = 200  # marks a side for a file without rounds; beyond, runs of samples


@dataclass(frozen=True)
class Slot:
    """One round of one side (or one sample, or one run of samples, of a file without rounds),
    at its place in the run."""

    side: str
    round: int | None  # None: a single file of samples
    kept: tuple[float, ...]
    set_aside: tuple[float, ...]
    dots: tuple[float, ...] = ()  # what is drawn of `kept`: all of it, or a thinned picture
    more: int = 0  # set-aside samples not drawn as rings

    @cached_property
    def center(self) -> float | None:
        return float(np.median(self.kept)) if self.kept else None


def _thinned(values: np.ndarray, most: int) -> tuple[float, ...]:
    """At most `most` evenly spaced order statistics: a round of 2,000 samples drawn as 2,000
    dots made a 150 MB page that showed no more than 40 do."""
    if values.size <= most:
        return tuple(float(v) for v in values)
    ordered = np.sort(values)
    return tuple(float(v) for v in ordered[np.linspace(0, ordered.size - 1, most).astype(int)])


def _kept_mask(bench: Benchmark, slow: int) -> np.ndarray:
    values = bench.values
    if values.size == 0 or values.min() <= 0:
        return np.ones(values.size, dtype=bool)  # the engine sets nothing aside there either
    return ~outliers.slow_outliers(np.log(values), slow)


def _file_slots(side: str, values: np.ndarray, keep: np.ndarray) -> list[Slot]:
    """A file without rounds: one slot a sample, or beyond MAX_FILE_POINTS one a run of
    consecutive samples; at most MAX_RINGS rings a side, the first ones in file order."""
    size = max(1, -(-values.size // MAX_FILE_POINTS))
    found, rings = [], MAX_RINGS
    for start in range(0, values.size, size):
        chunk, kept = values[start : start + size], keep[start : start + size]
        aside = chunk[~kept]
        drawn = aside[:rings]
        rings -= drawn.size
        found.append(
            Slot(side, None, tuple(chunk[kept].tolist()), tuple(drawn.tolist()),
                 more=int(aside.size - drawn.size))
        )  # fmt: skip
    return found


def _side_slots(side: str, bench: Benchmark, slow: int) -> list[Slot]:
    keep = _kept_mask(bench, slow)
    values = bench.values
    if not bench.rounds:
        return _file_slots(side, values, keep)
    numbers = bench.round_numbers
    order = np.argsort(numbers, kind="stable")
    bounds = np.flatnonzero(np.diff(numbers[order])) + 1
    slots = []
    for members in np.split(order, bounds):
        kept, aside = values[members][keep[members]], values[members][~keep[members]]
        drawn = _thinned(aside, MAX_RINGS)
        slots.append(
            Slot(
                side, int(numbers[members[0]]), tuple(kept.tolist()), drawn,
                dots=_thinned(kept, MAX_DOTS), more=int(aside.size - len(drawn)),
            )
        )  # fmt: skip
    return slots


def slots(
    row: BenchmarkComparison,
    base: Benchmark,
    head: Benchmark,
    head_second: Mapping[int, bool] | None,
) -> list[Slot]:
    """Every round of both sides in run order."""
    slow = slow_sign(row.direction)
    found = _side_slots("base", base, slow) + _side_slots("head", head, slow)
    order = head_second or {}

    def when(slot: Slot) -> tuple[int, int]:
        if slot.round is None:
            return (0, 0) if slot.side == "base" else (1, 0)
        head_later = order.get(slot.round, True)
        first = (slot.side == "base") == head_later
        return (slot.round, 0 if first else 1)

    return sorted(found, key=when)  # stable: samples of a file keep their order


def svg(
    row: BenchmarkComparison,
    base: Benchmark,
    head: Benchmark,
    head_second: Mapping[int, bool] | None,
) -> str:
    """The chart of one benchmark; "" when a side has no raw samples."""
    if not base.samples or not head.samples:
        return ""
    placed = slots(row, base, head, head_second)
    kept = [v for s in placed for v in s.kept] or [v for s in placed for v in s.set_aside]
    low, high = min(kept), max(kept)
    if high == low:
        low, high = low * 0.95 or -1.0, high * 1.05 or 1.0
    log = low > 0 and high / low > LOG_SPAN
    scale = np.log if log else (lambda v: v)
    bottom, top = float(scale(low)), float(scale(high))
    plot = WIDTH - PAD_LEFT - PAD_RIGHT
    step = plot / max(1, len(placed))

    def x(i: int) -> float:
        return PAD_LEFT + step * (i + 0.5)

    def y(v: float) -> float:
        """Beyond the axis: at its edge (the ring's title says so)."""
        if v > high:
            return PAD_Y / 2
        if v < low:
            return HEIGHT - PAD_Y / 2
        return PAD_Y + (top - float(scale(v))) / (top - bottom) * (HEIGHT - 2 * PAD_Y)

    kind = "round" if placed[0].round is not None else "sample"
    label = f"{row.name}: every {kind} in run order, base and head"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rounds" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}">',
        f'<line x1="{PAD_LEFT}" x2="{PAD_LEFT}" y1="{PAD_Y}" y2="{HEIGHT - PAD_Y}" '
        'stroke="#d1d9e0"/>',
    ]
    for v in (low, high):
        parts.append(
            f'<text x="{PAD_LEFT - 4}" y="{y(v) + 4:.1f}" text-anchor="end">'
            f"{escape(display.value(v, row.unit))}</text>"
        )
    if log:
        parts.append(
            f'<text x="{PAD_LEFT - 4}" y="{HEIGHT / 2 + 4:.1f}" text-anchor="end">log</text>'
        )
    for side, color in COLORS.items():
        points = [
            f"{x(i):.1f},{y(c):.1f}"
            for i, s in enumerate(placed)
            if s.side == side and (c := s.center) is not None
        ]
        if len(points) > 1:
            parts.append(
                f'<polyline class="trend {side}" points="{" ".join(points)}" fill="none" '
                f'stroke="{color}" stroke-opacity="0.45"/>'
            )
    for i, s in enumerate(placed):
        color = COLORS[s.side]
        if s.round is not None:
            parts += [
                f'<circle class="sample {s.side}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="1.5" '
                f'fill="{color}" opacity="0.35"/>'
                for v in s.dots
            ]
        center = s.center
        if center is not None:
            where = f"round {s.round}" if s.round is not None else "sample"
            parts.append(
                f'<circle class="{kind} {s.side}" cx="{x(i):.1f}" cy="{y(center):.1f}" r="3.5" '
                f'fill="{color}"><title>{s.side} {where}: '
                f"{escape(display.value(center, row.unit))}</title></circle>"
            )
        parts += [_ring(s.side, x(i), y(v), v, high, low, row.unit) for v in s.set_aside]
        if s.more:
            parts.append(
                f'<text x="{x(i):.1f}" y="{PAD_Y - 2}" text-anchor="middle" fill="{SET_ASIDE}">'
                f"+<title>{s.more} more set aside, not drawn</title></text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _ring(side: str, cx: float, cy: float, value: float, high: float, low: float, unit: str) -> str:
    """A set-aside sample's ring; beyond the axis it sits at the edge and says where it is."""
    where = BEYOND if value > high else BELOW if value < low else ""
    title = f"{SET_ASIDE_TITLE}: {display.value(value, unit)}" + (f" ({where})" if where else "")
    return (
        f'<circle class="set-aside {side}{" beyond" if where else ""}" cx="{cx:.1f}" '
        f'cy="{cy:.1f}" r="3.5" fill="none" stroke="{SET_ASIDE}" stroke-width="1.5">'
        f"<title>{escape(title)}</title></circle>"
    )
