"""What a delivery does after GitHub has its answer: acknowledgements and superseding.

A delivery is answered once the run is durable, that is once the Argo Server holds it. The
reaction, the check run `in_progress`, the reply with the Argo link and the stops of the runs
it supersedes are cosmetic or can be redone, so they wait in a small bounded pool instead of
making GitHub wait. If the process dies before they are done they are lost, the run is not:
its callback still writes the report and completes (or creates) the check run, and a
redelivery meets "already exists" (docs/bot.md, "Answering fast, and what a crash loses").

`Followups` are one delivery's steps, run in the order they were added; a failing step is
logged and the next one still runs (a reply matters even when the reaction failed).
`FollowupPool` runs them, bounded both in threads and in waiting deliveries: when the queue is
full the acknowledgements are dropped and logged rather than held in memory without limit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.shared import deadline
from bot.shared.metrics import Metrics

log = logging.getLogger(__name__)

Step = Callable[[], object]


class Followups:
    def __init__(self, delivery: str) -> None:
        self.delivery = delivery
        self._steps: list[tuple[str, Step]] = []

    def add(self, what: str, step: Step) -> None:
        """`what` completes "could not ..." in the log line written when the step fails."""
        self._steps.append((what, step))

    def discard(self) -> None:
        """Nothing to acknowledge after all (a redelivery of a run already started)."""
        self._steps.clear()

    def __len__(self) -> int:
        return len(self._steps)

    def run(self) -> int:
        """Run every step; returns how many failed."""
        failed = 0
        for what, step in self._steps:
            try:
                step()
            except Exception as exc:  # one failing step must not stop the others
                failed += 1
                log.error("delivery %s: could not %s: %s", self.delivery, what, exc)
        return failed


class FollowupPool:
    def __init__(self, *, workers: int, capacity: int, budget: float, metrics: Metrics) -> None:
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="perfbot-followup")
        self._slots = threading.BoundedSemaphore(capacity)
        self._budget = budget
        self._metrics = metrics
        self._pending = 0
        self._idle = threading.Condition()
        self._closed = False

    @property
    def budget(self) -> float:
        """Seconds a queued `Followups` may take (`deadline.within`)."""
        return self._budget

    def offer(self, followups: Followups) -> bool:
        """Queue `followups` if there is room; False (nothing logged or counted) when there is
        none, for a caller that must then do the work itself (a callback's history write)."""
        if not followups:
            return True
        if self._closed or not self._slots.acquire(blocking=False):
            return False
        with self._idle:
            self._pending += 1
        self._executor.submit(self._run, followups)
        return True

    def submit(self, followups: Followups) -> bool:
        """Queue a delivery's follow-ups; False when they were dropped (queue full, closing)."""
        if self.offer(followups):
            return True
        if followups:
            log.error(
                "delivery %s: %d acknowledgement step(s) dropped: the follow-up queue is full",
                followups.delivery,
                len(followups),
            )
            self._metrics.followups.labels(outcome="dropped").inc()
        return False

    def _run(self, followups: Followups) -> None:
        try:
            with deadline.within(self._budget):
                failed = followups.run()
            self._metrics.followups.labels(outcome="failed" if failed else "done").inc()
        finally:
            self._slots.release()
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued follow-up ran; False if some are still going at `timeout`."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float) -> bool:
        """Refuse new work, give the queued work `timeout` seconds, then let go of the rest."""
        self._closed = True
        drained = self.wait_idle(timeout)
        self._executor.shutdown(wait=False, cancel_futures=True)
        if not drained:
            log.warning("follow-ups still pending at shutdown were dropped")
        return drained
