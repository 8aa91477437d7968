"""What a comparison is asked to tolerate, with defaults measured by bench/compare_accuracy.py.

- `alpha` is the suite-wise false-alarm rate: p-values are adjusted across the whole suite with
  Benjamini-Hochberg at this level. Under unchanged code every benchmark's null hypothesis is
  true, and then controlling the false discovery rate at alpha bounds the chance of *any* alarm
  in the suite by alpha, however many benchmarks it has. 0.02 keeps that guarantee at 2 % even
  for suites far noisier than the simulated ones, where the threshold no longer helps.
- `threshold` is the practical-significance floor: a verdict also needs the estimated change to
  be at least this large. It keeps tiny but real changes of very quiet benchmarks out of the
  report, and pushes the measured false-alarm rate well below alpha.
- `min_samples` per side below which no verdict is attempted (said plainly in the report).
- `confidence` of the reported intervals (informational; verdicts use alpha and threshold).

Measured with `bench/compare_accuracy.py` (40 benchmarks, 10 rounds a side of 5 samples or
one file of 10 samples, CV 1-3 %, 4 % slow outliers x1.1-1.6, with and without round effects,
order effects and drift; 300 suites a row): at 0.04 and 0.02, 0.0-0.3 % of unchanged suites
show any alarm in every shape where the sides alternate, and 97-100 % of 6-10 % changes are
found with the right sign, except where each run of a side has its own 2-4 % effect and
nothing is shared between the sides of a round: 92 % there, where the pairing buys nothing
and costs half the degrees of freedom (an unpaired U test on the round medians finds 96 %, but
only about 75 % of a lone change where round effects are shared, against the paired test's
100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflows.compare.rules import BenchmarkRule

DEFAULT_THRESHOLD = 0.04
DEFAULT_ALPHA = 0.02
DEFAULT_MIN_SAMPLES = 5
DEFAULT_CONFIDENCE = 0.95
MIN_SAMPLES_FLOOR = 2  # a spread needs two values


@dataclass(frozen=True)
class CompareOptions:
    threshold: float = DEFAULT_THRESHOLD
    alpha: float = DEFAULT_ALPHA
    min_samples: int = DEFAULT_MIN_SAMPLES
    confidence: float = DEFAULT_CONFIDENCE
    rules: tuple[BenchmarkRule, ...] = ()  # per-benchmark settings, see `rules`
    allow_different_machines: bool = False  # compare sides the manifests put on two machines

    def __post_init__(self) -> None:
        if not 0 <= self.threshold < 10:
            raise ValueError(f"threshold must be from 0 to 10 (0.05 = 5 %), got {self.threshold}")
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {self.alpha}")
        if self.min_samples < MIN_SAMPLES_FLOOR:
            raise ValueError(
                f"min samples must be at least {MIN_SAMPLES_FLOOR}, got {self.min_samples}"
            )
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, got {self.confidence}")

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "threshold": self.threshold,
            "alpha": self.alpha,
            "min_samples": self.min_samples,
            "confidence": self.confidence,
        }
        if self.rules:
            found["benchmarks"] = [rule.to_dict() for rule in self.rules]
        if self.allow_different_machines:
            found["allow_different_machines"] = True
        return found
