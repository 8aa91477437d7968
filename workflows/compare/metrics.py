"""Several metrics of one benchmark, and which of them decides its verdict.

A benchmark can be measured more than one way: its wall time (what the tool reports), the CPU
time its process spent, its peak memory, the instructions it retired. Each is a result row of
its own (`<name> [cpu]`) that names the benchmark it belongs to in `metadata["metric_of"]` and
its metric in `metadata["metric"]`. Judging each as a benchmark of its own would put every
extra metric into the suite's false-discovery family and widen every benchmark's detectable
change (adding CPU time doubled the family); so a benchmark gets one verdict, on one metric,
and the others are shown beside it, each tested alone (unadjusted), never counted in the
suite's verdict.

Wall time decides by default; a rule's `metric` (compare.benchmarks in perfbot.yaml) chooses
another, for example CPU time on a busy machine, where wall time mostly measures the load. The
figures perfbot measures itself around the benchmark command (`workflows.results.measured`)
are shown but judged only when a rule chooses their metric: a run that did not ask for them
never gets a verdict, or an inconclusive one, from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workflows.results import Benchmark
from workflows.results.measured import METRIC, METRIC_OF, PERFBOT_MEASURED

WALL = "wall"
NOT_MEASURED = (
    "metric {metric!r} was asked for (rule {rules}) but not measured on both sides: "
    "decided on {decider}"
)
DECIDED = "decided on {metric} (rule {rules}); {others} shown beside it, not in the verdict"
TIME_UNITS = ("s", "s/op")


@dataclass(frozen=True)
class Group:
    """The metrics of one benchmark present on both sides: the primary (the tool's own figure)
    first; `decider` is None when the group is shown but not judged."""

    primary: str
    members: tuple[str, ...]
    labels: Mapping[str, str]
    decider: str | None
    note: str | None = None

    def others(self, name: str) -> list[str]:
        return [m for m in self.members if m != name]


def label(bench: Benchmark) -> str:
    """A metric's name: as the results say, else wall for a time, else its unit."""
    found = bench.metadata.get(METRIC)
    if isinstance(found, str) and found:
        return found
    return WALL if bench.unit in TIME_UNITS else bench.unit


def groups(
    common: Sequence[str],
    benchmarks: Mapping[str, Benchmark],
    settings: Mapping[str, Mapping[str, Any]],
) -> dict[str, Group]:
    """Each member's group, for the benchmarks that have metrics (or carry a metric name);
    benchmarks without any are absent and judged as before."""
    present = set(common)
    members: dict[str, list[str]] = {}
    for name in common:
        owner = benchmarks[name].metadata.get(METRIC_OF)
        if isinstance(owner, str) and owner in present and owner != name:
            members.setdefault(owner, [owner]).append(name)
        elif METRIC in benchmarks[name].metadata:
            members.setdefault(name, [name])
    found: dict[str, Group] = {}
    for primary, names in members.items():
        group = _group(primary, names, benchmarks, settings.get(primary, {}))
        found.update((name, group) for name in names)
    return found


def _group(
    primary: str,
    names: list[str],
    benchmarks: Mapping[str, Benchmark],
    rule: Mapping[str, Any],
) -> Group:
    labels = {name: label(benchmarks[name]) for name in names}
    wanted = rule.get("metric")
    rules = ", ".join(repr(r) for r in rule.get("rules", []))
    chosen = next((n for n in names if labels[n] == wanted), None)
    own = bool(benchmarks[primary].metadata.get(PERFBOT_MEASURED))
    if chosen is not None:
        note = None
        if chosen != primary or len(names) > 1:
            others = ", ".join(labels[n] for n in names if n != chosen)
            note = DECIDED.format(metric=wanted, rules=rules, others=others or "nothing")
        return Group(primary, tuple(names), labels, chosen, note)
    if own:
        return Group(primary, tuple(names), labels, None)
    note = None
    if wanted is not None:
        note = NOT_MEASURED.format(metric=wanted, rules=rules, decider=labels[primary])
    return Group(primary, tuple(names), labels, primary, note)
