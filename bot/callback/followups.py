"""What a callback does after its answer: the history write and the Horreum upload.

The answer waits only for what the pull request shows: the sticky comment and the check run.
The rest, whose cost grows with the suite (a 10,000-benchmark run is seconds of database
writes and an upload), runs from the follow-up pool in one ordered `Followups`: the history
first, then Horreum (which edits the comment again with its outcome).

Nothing is dropped. The pool drops work when its queue is full (acknowledgements of commands
can be lost); a callback's work cannot, so when the pool has no room it is done before the
answer instead, which is slower but keeps the run. A step that fails is retried inside the
step (`bot.dashboard.recording`, Horreum's own retries) and then reported; a crash between
the answer and the write still loses it (docs/bot.md, "Answering fast, and what a crash
loses").
"""

from __future__ import annotations

import logging
from functools import partial

from bot.dashboard import recording
from bot.shared import deadline
from bot.shared.followups import Followups, Step
from bot.shared.services import Services
from workflows.callback import CallbackPayload
from workflows.history import Store

log = logging.getLogger(__name__)


def after_answer(
    svc: Services, payload: CallbackPayload, store: Store | None, horreum: Step | None
) -> bool:
    """Queue the callback's slow work; True when queued, False when it was done here."""
    followups = Followups(f"callback {payload.workflow_name}")
    if store is not None:
        followups.add(
            "record the run in the history",
            partial(recording.record, store, payload, svc.metrics),
        )
    if horreum is not None:
        followups.add("store the run in Horreum", horreum)
    if not followups or svc.followups.offer(followups):
        return True
    log.warning(
        "callback %s: the follow-up queue is full; its history and Horreum work is done "
        "before the answer",
        payload.workflow_name,
    )
    with deadline.within(svc.followups.budget):
        followups.run()
    return False
