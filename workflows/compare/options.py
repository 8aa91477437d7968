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

Measured (40 benchmarks, 10 samples a side, CV 1-3 %, a few slow outliers): with 0.04 and 0.02,
0.1 % of unchanged suites show any alarm and 98.9 % of 6-10 % changes are found with the right
sign. A threshold of 0.03 lets 0.9 % of unchanged suites alarm; 0.05 finds only 97.7 %; alpha
0.01 finds 97.5 %, alpha 0.05 gives up the guarantee for 0.6 % more found.
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
