"""The callback's part in the history: every run's result and end, written as it arrives.

A store that fails (the database restarting) must not cost the pull request its comment, so
the failure is logged and counted and the callback goes on; the next callback of the same
run (the `exit` after the `result`, or a redelivery) writes the run again, since recording is
idempotent per workflow.
"""

from __future__ import annotations

import logging

from bot.dashboard import current_store
from workflows.callback import CallbackPayload
from workflows.history import StoreError
from workflows.history.sources import from_callback

log = logging.getLogger(__name__)


def record(payload: CallbackPayload) -> int | None:
    """The stored run's id, or None when no store is configured or it failed."""
    store = current_store()
    if store is None:
        return None
    try:
        return store.record(from_callback(payload))
    except StoreError as exc:
        log.error("history: %s", exc)
        return None


HISTORY_LINE = "History and main-branch trends of these benchmarks: [perfbot dashboard]({url})"


def history_line(public_url: str, dashboard: str, run_id: int | None) -> str | None:
    """The PR report's link to this run's dashboard page (its benchmarks' main-branch trends
    with this head beside them), when the dashboard is public and the run was stored."""
    if run_id is None or dashboard != "public":
        return None
    return HISTORY_LINE.format(url=f"{public_url.rstrip('/')}/runs/{run_id}")
