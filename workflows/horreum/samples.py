"""Every sample of a run with its round, in a form a callback and a run document can carry.

The JSON report keeps summaries only; Horreum is where a team goes back to the raw data months
later, so the upload carries each side's samples, the round each was measured in and the
driver's round manifest (nodes, image digests, start and end of each round).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from workflows.results import ResultSet, load_results

SIDES = ("base", "head")


def _finite(values: Any) -> list[float | None]:
    return [v if isinstance(v, int | float) and math.isfinite(v) else None for v in values]


def side_samples(results: ResultSet) -> dict[str, Any]:
    """`{"benchmarks": {name: {unit, direction, samples, rounds}}, "metadata": {...}}`."""
    benchmarks = {
        name: {
            "unit": bench.unit,
            "direction": str(bench.direction),
            "samples": _finite(bench.samples),
            "rounds": list(bench.rounds),
        }
        for name, bench in results.benchmarks.items()
    }
    return {"benchmarks": benchmarks, "metadata": dict(results.metadata)}


def collect(base: Path, head: Path, input_format: str | None = None) -> dict[str, Any]:
    """Both sides' samples, read from result files or round directories; raises ResultsError."""
    paths = {"base": base, "head": head}
    return {side: side_samples(load_results(paths[side], input_format)) for side in SIDES}
