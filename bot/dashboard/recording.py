"""The callback's part in the history: every run's result and end, written after the answer.

Writing a 10,000-benchmark run takes seconds (it took 13-37 s before the rows were written in
batches), and `perfbot notify` waits 10 s for the answer, so the write is a follow-up
(`bot.callback.followups`), not part of the answer. A store that fails (the database
restarting) must not cost the pull request its comment, and must not lose the run either:
the write is tried `ATTEMPTS` times with a pause between, then reported (an error in the log
naming the workflow, and `perfbot_history_writes_total{outcome="failed"}`). Recording is
idempotent per workflow, so a later callback of the same run writes it again.

The comment's link to the run's dashboard page names the workflow (`/runs/by-workflow/<name>`),
not the stored id, so the comment need not wait for the write either.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from bot.shared.metrics import Metrics
from workflows.callback import CallbackPayload
from workflows.history import Store, StoreError
from workflows.history.sources import from_callback

log = logging.getLogger(__name__)

ATTEMPTS = 3
PAUSES = (0.2, 1.0)  # seconds before the second and the third attempt


def record(
    store: Store, payload: CallbackPayload, metrics: Metrics, *, pauses: tuple[float, ...] = PAUSES
) -> int | None:
    """The stored run's id; None when every attempt failed (logged and counted)."""
    run = from_callback(payload)
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(pauses[min(attempt - 1, len(pauses) - 1)])
        try:
            run_id = store.record(run)
        except StoreError as exc:
            last = exc
            log.warning("history: attempt %d of %d: %s", attempt + 1, ATTEMPTS, exc)
            continue
        metrics.history_writes.labels(outcome="stored").inc()
        return run_id
    metrics.history_writes.labels(outcome="failed").inc()
    log.error(
        "history: %s was not stored after %d attempts: %s", payload.workflow_name, ATTEMPTS, last
    )
    return None


HISTORY_LINE = "History and main-branch trends of these benchmarks: [perfbot dashboard]({url})"


def history_line(public_url: str, dashboard: str, workflow: str, stored: bool) -> str | None:
    """The PR report's link to this run's dashboard page (its benchmarks' main-branch trends
    with this head beside them), when the dashboard is public and a store keeps the runs."""
    if not stored or dashboard != "public":
        return None
    url = f"{public_url.rstrip('/')}/runs/by-workflow/{quote(workflow, safe='')}"
    return HISTORY_LINE.format(url=url)
