"""Writes the fixed result sets the golden reports are made from (`inputs/`), once.

The inputs are committed; this script says how they were made, so a new case is added the same
way: `python -m tests.compare.golden.make_inputs` rewrites them (and then the goldens must be
regenerated with `PERFBOT_REGENERATE=1`, see `test_golden_reports.py`).

`rounds`: ten interleaved rounds a side with a round manifest, as the pipeline writes them: a
regression, an improvement, an unchanged benchmark, a noisy one, one that drifts fivefold over
the run on both sides, and one with slow outliers in a single round. `samples`: one file a side,
no rounds, with slow outliers that the rank test sets aside.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent / "inputs"
ROUNDS = 10
PER_ROUND = 5
START = 1_764_000_000  # a fixed Unix time, so the reports' dates do not move
MANIFEST = ("round", "position", "started", "finished", "node", "cpu", "kernel", "image")
MACHINE = ("node-a", "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "6.1.0-28-amd64", "perfbot:0.1")


def _lognormal(rng: np.random.Generator, center: float, cv: float, n: int) -> list[float]:
    sigma = math.sqrt(math.log1p(cv**2))
    return [round(float(v), 9) for v in center * np.exp(sigma * rng.standard_normal(n))]


def _round_values(rng: np.random.Generator, name: str, side: str, index: int) -> list[float]:
    """Samples of one benchmark in one round (index from 0) on one side, in milliseconds."""
    shift = rng.normal(0, 0.01)  # what one invocation shares: its machine state
    if name == "test_parse_small":
        center = 2.0 * (1.15 if side == "head" else 1.0)
    elif name == "test_render_page":
        center = 8.0 * (0.8 if side == "head" else 1.0)
    elif name == "test_serialize":
        center = 1.2
    elif name == "test_network_roundtrip":
        return _lognormal(rng, 20.0 * math.exp(rng.normal(0, 0.35)), 0.05, PER_ROUND)
    elif name == "test_cache_warmup":
        center = 3.0 * 5 ** (index / (ROUNDS - 1))  # drifts fivefold over the run, both sides
    else:  # test_flatten_nested_structures: one bad round on head with slow outliers
        center = 5.0
        values = _lognormal(rng, center * math.exp(shift), 0.02, PER_ROUND)
        if side == "head" and index == 6:
            values[1:3] = [round(v * 4, 9) for v in values[1:3]]
        return values
    return _lognormal(rng, center * math.exp(shift), 0.02, PER_ROUND)


NAMES = (
    "test_parse_small",
    "test_render_page",
    "test_serialize",
    "test_network_roundtrip",
    "test_cache_warmup",
    "test_flatten_nested_structures",
)


def _write_rounds(rng: np.random.Generator) -> None:
    for side in ("base", "head"):
        out = HERE / "rounds" / side
        out.mkdir(parents=True, exist_ok=True)
        lines = ["\t".join(MANIFEST)]
        for index in range(ROUNDS):
            first = (index % 2 == 0) == (side == "base")
            started = START + index * 120 + (0 if first else 60)
            lines.append(
                "\t".join(
                    str(v) for v in (index + 1, 1 if first else 2, started, started + 55, *MACHINE)
                )
            )
            document = {
                "schema_version": 1,
                "metadata": {"tool": "golden"},
                "benchmarks": [
                    {"name": name, "unit": "ms", "samples": _round_values(rng, name, side, index)}
                    for name in NAMES
                ],
            }
            text = json.dumps(document, indent=1) + "\n"
            (out / f"round-{index + 1:03d}.json").write_text(text, encoding="utf-8")
        (out / "rounds.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_samples(rng: np.random.Generator) -> None:
    out = HERE / "samples"
    out.mkdir(parents=True, exist_ok=True)
    for side in ("base", "head"):
        slow = _lognormal(rng, 4.0 * (1.1 if side == "head" else 1.0), 0.02, 20)
        slow[3] *= 3.0
        slow[11] *= 2.5
        document = {
            "schema_version": 1,
            "metadata": {"machine": "dev-laptop"},
            "benchmarks": [
                {"name": "GET /search", "unit": "ms", "samples": slow},
                {"name": "GET /item", "unit": "ms", "samples": _lognormal(rng, 1.5, 0.02, 20)},
                {
                    "name": "POST /upload",
                    "unit": "MB/s",
                    "direction": "higher",
                    "samples": _lognormal(rng, 80 * (1.2 if side == "head" else 1.0), 0.02, 20),
                },
            ],
        }
        text = json.dumps(document, indent=1) + "\n"
        (out / f"{side}.json").write_text(text, encoding="utf-8")


def main() -> None:
    rng = np.random.default_rng(14)
    _write_rounds(rng)
    _write_samples(rng)


if __name__ == "__main__":
    main()
