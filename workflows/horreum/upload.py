"""One run's upload, retried with backoff, ending in a line for the PR report either way.

Storing a run in Horreum is worth a few tries (Horreum restarting, a 503 from its proxy), but
never worth the report: the caller runs this after the report is written (the bot, from its
follow-up queue) and shows the outcome as one more line, "Stored in Horreum: run 101" or
"results not stored in Horreum: <reason>". A refusal (400, 401, 403) is final at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workflows.horreum.client import HorreumClient, HorreumError
from workflows.horreum.config import HorreumConfig
from workflows.horreum.document import SCHEMA_URI, run_window

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 4.0, 15.0)  # seconds before the 2nd, 3rd and 4th attempt
STORED = "Stored in Horreum: {links} (test `{test}`)."
STORED_PENDING = "Uploaded to Horreum (test `{test}`); Horreum is still processing it."
NOT_STORED = "results not stored in Horreum: {reason}"


@dataclass(frozen=True)
class UploadResult:
    run_ids: list[int] = field(default_factory=list)
    error: str | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def note(self, config: HorreumConfig) -> str:
        """The report's line (Markdown), for the PR comment or a terminal."""
        if self.error is not None:
            return NOT_STORED.format(reason=self.error)
        if not self.run_ids:
            return STORED_PENDING.format(test=config.test)
        links = ", ".join(f"[run {i}]({config.run_url(i)})" for i in self.run_ids)
        return STORED.format(links=links, test=config.test)


def upload(
    client: HorreumClient,
    config: HorreumConfig,
    document: dict[str, Any],
    *,
    delays: Sequence[float] = RETRY_DELAYS,
    sleep: Callable[[float], None] = time.sleep,
    may_retry: Callable[[float], bool] = lambda delay: True,
) -> UploadResult:
    """Upload `document`; never raises for Horreum's sake, the result says what happened.
    `may_retry(delay)` is asked before each retry: the bot stops when its budget is spent."""
    start, stop = run_window(document_window(document))
    attempts = 0
    last = ""
    for delay in (0.0, *delays):
        if attempts and not may_retry(delay):
            break
        if delay:
            sleep(delay)
        attempts += 1
        try:
            ids = client.upload(
                document,
                test=config.test,
                owner=config.owner,
                access=config.access,
                start=start,
                stop=stop,
                schema=SCHEMA_URI,
            )
        except HorreumError as exc:
            log.warning("Horreum upload attempt %d failed: %s", attempts, exc.reason)
            if not exc.retryable:
                return UploadResult(error=exc.reason, attempts=attempts)
            last = exc.reason
            continue
        return UploadResult(run_ids=ids, attempts=attempts)
    tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
    return UploadResult(error=f"{last} (after {tries})", attempts=attempts)


def document_window(document: dict[str, Any]) -> dict[str, Any]:
    """The document's own `start`/`stop`, shaped as a report's provenance for `run_window`."""
    return {
        "provenance": {"base": {"started": document.get("start"), "finished": document.get("stop")}}
    }
