"""The main branch's runs in commit order, from the runs alone.

A trend is read left to right as the branch's history, so its points must follow the commits,
not the moments their results arrived: a push's workflow that finished late, or a local run
recorded after a later one, would otherwise sit in the wrong place. The store has no
repository to ask (the dashboard runs in the bot), but each main-branch run compares a commit
with the one before it (a push: before -> after; `perfbot run --local --base HEAD~1`: parent ->
commit), so the runs link up: a run follows the run whose head is its base. Points are put in
that order; runs that link to no other run (a local run against an older base, a gap in the
history) keep the order they were recorded in relative to the rest (a stable topological sort,
with the recorded order breaking ties).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Protocol, TypeVar


class Linked(Protocol):
    @property
    def base_sha(self) -> str: ...

    @property
    def head_sha(self) -> str: ...


T = TypeVar("T", bound=Linked)


def in_commit_order(points: Sequence[T]) -> list[T]:
    """`points` (in recorded order) reordered so that a run comes after the run whose head is
    its base; otherwise in recorded order."""
    by_head: dict[str, list[int]] = {}
    for index, point in enumerate(points):
        by_head.setdefault(point.head_sha, []).append(index)
    after: dict[int, list[int]] = {i: [] for i in range(len(points))}
    waiting = [0] * len(points)
    for index, point in enumerate(points):
        for before in by_head.get(point.base_sha, ()):
            if before != index and point.base_sha != point.head_sha:
                after[before].append(index)
                waiting[index] += 1
    ready = [i for i, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    placed = set()
    while len(order) < len(points):
        if not ready:  # a cycle (a commit measured against its own descendant): recorded order
            ready = [min(i for i in range(len(points)) if i not in placed)]
        index = heapq.heappop(ready)
        if index in placed:
            continue
        order.append(index)
        placed.add(index)
        for later in after[index]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, later)
    return [points[i] for i in order]
