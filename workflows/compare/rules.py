"""Per-benchmark settings: `compare.benchmarks` in perfbot.yaml, `--benchmark-config` on the CLI.

A suite is rarely uniform: one benchmark is known to be noisy and needs a wider threshold, one
counter's direction is not what its unit suggests, one is a warm-up nobody should judge. Each
rule names benchmarks by a glob (`fnmatch`, case-sensitive) and sets any of `threshold`,
`direction`, `ignore` and `metric` (which of a benchmark's metrics decides its verdict: `wall`,
the default, or `cpu`, `instructions`, `max-rss` where they were measured; on a busy machine
CPU time or instructions can judge what wall time cannot). Every rule that matches applies,
in order, a later one overriding an earlier one key by key, so a broad glob can come first and
an exception after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from workflows.results import Direction

KEYS = ("threshold", "direction", "ignore", "metric")
METRIC_NAME = re.compile(r"[a-z][a-z0-9/-]{0,39}")  # wall, cpu, max-rss, instructions, B/op


@dataclass(frozen=True)
class BenchmarkRule:
    match: str
    threshold: float | None = None
    direction: Direction | None = None
    ignore: bool | None = None
    metric: str | None = None

    def __post_init__(self) -> None:
        if self.metric is not None and not METRIC_NAME.fullmatch(self.metric):
            raise ValueError(
                f"rule {self.match!r}: metric must be a metric's name (wall, cpu, max-rss, "
                f"instructions), got {self.metric!r}"
            )
        if not self.match:
            raise ValueError("a benchmark rule needs a non-empty `match` (a name or a glob)")
        if self.threshold is not None and not 0 <= self.threshold < 10:
            raise ValueError(
                f"rule {self.match!r}: threshold must be from 0 to 10 (0.05 = 5 %), "
                f"got {self.threshold}"
            )

    @classmethod
    def from_dict(cls, entry: Mapping[str, Any], where: str) -> BenchmarkRule:
        unknown = set(entry) - {"match", *KEYS}
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        match = entry.get("match")
        if not isinstance(match, str):
            raise ValueError(f"{where}: `match` must be a string (a benchmark name or a glob)")
        threshold = entry.get("threshold")
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, int | float)
        ):
            raise ValueError(f"{where}: threshold must be a number (0.05 = 5 %)")
        direction = entry.get("direction")
        if direction is not None and direction not in tuple(Direction):
            raise ValueError(f"{where}: direction must be 'lower' or 'higher', got {direction!r}")
        ignore = entry.get("ignore")
        if ignore is not None and not isinstance(ignore, bool):
            raise ValueError(f"{where}: ignore must be true or false")
        metric = entry.get("metric")
        if metric is not None and not isinstance(metric, str):
            raise ValueError(f"{where}: metric must be a string (wall, cpu, ...)")
        try:
            return cls(
                match,
                float(threshold) if threshold is not None else None,
                Direction(direction) if direction is not None else None,
                ignore,
                metric,
            )
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"match": self.match}
        for key in KEYS:
            value = getattr(self, key)
            if value is not None:
                found[key] = str(value) if key == "direction" else value
        return found


def rules_from_list(entries: Any, where: str) -> tuple[BenchmarkRule, ...]:
    if not isinstance(entries, list):
        raise ValueError(f"{where} must be a list of rules ({{match: ..., threshold: ...}})")
    rules = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ValueError(f"{where}[{index}] must be a mapping with `match`")
        rules.append(BenchmarkRule.from_dict(entry, f"{where}[{index}]"))
    return tuple(rules)


def settings_for(name: str, rules: Sequence[BenchmarkRule]) -> dict[str, Any]:
    """The non-default settings of benchmark `name` (threshold, direction, ignore, metric), with the
    rules they came from under `rules`; {} when no rule matches."""
    found: dict[str, Any] = {}
    matched = []
    for rule in rules:
        if not fnmatchcase(name, rule.match):
            continue
        matched.append(rule.match)
        for key in KEYS:
            value = getattr(rule, key)
            if value is not None:
                found[key] = value
    if matched:
        found["rules"] = matched
    return found
