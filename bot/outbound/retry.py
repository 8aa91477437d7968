"""One retry policy for every outbound call (GitHub and the Argo Server), bounded in time.

urllib3 retries connection failures for any method (nothing was sent), but read failures and
bad statuses only for idempotent methods (GET, PUT, ...), so a comment or a submission is never
sent twice because an answer got lost. On top of urllib3's counts:

- a retry starts only if its pause plus one whole attempt (`reserve`, the call's timeout) still
  fits before the deadline of the work it serves (`bot.shared.deadline`); otherwise the last answer
  or error stands, and the caller says so;
- 403 and 429 are retried only when they are rate limits: `Retry-After`, or
  `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`. GitHub refused such a request before
  doing anything, so even a POST may be sent again. The wait is the one GitHub asked for, which
  usually does not fit in a delivery: then the call gives up at once instead of sleeping in
  vain. A 403 without those headers (a permission problem) is never retried.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from types import TracebackType
from typing import Any, Self

from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util import Retry

from bot.shared import deadline
from bot.shared.settings import BotSettings

RATE_LIMIT_STATUSES = frozenset({403, 429})


def rate_limit_wait(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds GitHub asks to wait before asking again; None if this is not a rate limit."""
    retry_after = (headers.get("Retry-After") or "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    reset = (headers.get("X-RateLimit-Reset") or "").strip()
    if (headers.get("X-RateLimit-Remaining") or "").strip() == "0" and reset.isdigit():
        return max(0.0, int(reset) - (time.time() if now is None else now))
    return None


class BoundedRetry(Retry):
    reserve: float = 0.0  # seconds one more attempt may take (its timeout)

    def new(self, **kw: Any) -> Self:
        retry = super().new(**kw)
        retry.reserve = self.reserve
        return retry

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if status_code in RATE_LIMIT_STATUSES and status_code in (self.status_forcelist or ()):
            return True  # any method: `increment` tells a rate limit from a refusal
        return super().is_retry(method, status_code, has_retry_after)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        refused = response is not None and response.status in RATE_LIMIT_STATUSES
        if refused and rate_limit_wait(response.headers) is None:
            raise MaxRetryError(_pool, url or "", ResponseError("refused, not rate limited"))
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if not deadline.fits(retry.pause(response) + self.reserve):
            reason = error or ResponseError("no time left to retry")
            raise MaxRetryError(_pool, url or "", reason) from error  # as when retries run out
        return retry

    def pause(self, response: Any = None) -> float:
        """Seconds to wait before the next attempt."""
        if response is not None:
            if response.status in RATE_LIMIT_STATUSES:
                return rate_limit_wait(response.headers) or 0.0
            asked = self.get_retry_after(response) if self.respect_retry_after_header else None
            if asked is not None:
                return asked
        return self.get_backoff_time()

    def sleep(self, response: Any = None) -> None:
        wait = self.pause(response)
        if wait > 0:
            time.sleep(wait)


def bounded_retry(
    retries: int, settings: BotSettings, statuses: Collection[int], *, reserve: float
) -> BoundedRetry:
    retry = BoundedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=settings.retry_backoff,
        backoff_max=settings.retry_backoff_max,
        status_forcelist=tuple(statuses),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    retry.reserve = reserve
    return retry
