"""What the round manifests (`metadata["rounds"]`, see `workflows.results.manifest`) say about
the experiment: which side ran second in each round, and whether both sides met one machine.

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
