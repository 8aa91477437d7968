"""What the round manifests (`metadata["rounds"]`, see `workflows.results.manifest`) say about
the experiment: which side ran second in each round, whether both sides met one machine, and
whether that machine was too busy (load, steal) for its figures to be about the code.

Interleaving removes drift in time, not a difference between machines: two nodes of one pool
differ by a few per cent (CPU stepping, thermal state, a noisy neighbour), which reads as a
regression. So base and head measured on different nodes or CPU models are not compared unless
the caller allows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CHECKED = (("node", "node"), ("cpu", "CPU model"))


def _rows(metadata: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rows = metadata.get("rounds")
    return [r for r in rows if isinstance(r, Mapping)] if isinstance(rows, list) else []


def head_second(head_metadata: Mapping[str, Any]) -> dict[int, bool] | None:
    """Round -> True where head ran second in that round; None when the manifest is missing."""
    found = {
        int(r["round"]): r["position"] == 2
        for r in _rows(head_metadata)
        if isinstance(r.get("round"), int) and r.get("position") in (1, 2)
    }
    return found or None


def _values(metadata: Mapping[str, Any], key: str) -> set[str]:
    return {str(r[key]) for r in _rows(metadata) if r.get(key)}


def _listed(values: set[str]) -> str:
    return ", ".join(sorted(values))


def mismatch(base_metadata: Mapping[str, Any], head_metadata: Mapping[str, Any]) -> str | None:
    """Why the two sides did not run on the same machine, or None when they did (or when a
    side's manifest does not say)."""
    for key, label in CHECKED:
        base, head = _values(base_metadata, key), _values(head_metadata, key)
        if base and head and base != head:
            return f"base ran on {label} {_listed(base)}, head on {_listed(head)}"
    return None


def machines(metadata: Mapping[str, Any]) -> dict[str, list[str]]:
    """Nodes, CPU models, kernels and images a side's rounds ran on, for the reports."""
    keys = ("node", "cpu", "kernel", "image")
    return {key: sorted(_values(metadata, key)) for key in keys if _values(metadata, key)}


LOAD_PER_CPU = 1.0  # more runnable threads than CPUs: something competes with the benchmark
STEAL_SHARE = 5.0  # per cent of CPU time the hypervisor gave to other guests
BUSY = "this machine was busy: {figures}; the figures say as much about the machine as the code"
LOAD = "load {load:.1f} on {cpus} CPUs {when} ({per:.1f} a CPU, above {limit:g})"
STEAL = "the hypervisor took {steal:.1f} % of the CPU time {when} (above {limit:g} %)"


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def busy(base_metadata: Mapping[str, Any], head_metadata: Mapping[str, Any]) -> str | None:
    """The sentence that says the machine was the problem, naming the highest load a CPU and
    the highest steal the driver read (rounds.tsv), or None when both stayed within what a run
    can bear (or the manifests do not say)."""
    loads: list[tuple[float, float, int, str]] = []
    steals: list[tuple[float, str]] = []
    for label, metadata in (("base", base_metadata), ("head", head_metadata)):
        for row in _rows(metadata):
            where = f"round {row.get('round')} ({label})"
            cpus = _number(row.get("cpus"))
            for key, moment in (("load_before", "before"), ("load_during", "during")):
                load = _number(row.get(key))
                if cpus and load is not None:
                    loads.append((load / cpus, load, int(cpus), f"{moment} {where}"))
            steal = _number(row.get("steal"))
            if steal is not None:
                steals.append((steal, f"during {where}"))
    figures = []
    if loads:
        per, load, cpus, when = max(loads, key=lambda found: found[0])
        if per > LOAD_PER_CPU:
            figures.append(
                LOAD.format(load=load, cpus=cpus, when=when, per=per, limit=LOAD_PER_CPU)
            )
    if steals:
        steal, when = max(steals, key=lambda found: found[0])
        if steal > STEAL_SHARE:
            figures.append(STEAL.format(steal=steal, when=when, limit=STEAL_SHARE))
    return BUSY.format(figures="; ".join(figures)) if figures else None
