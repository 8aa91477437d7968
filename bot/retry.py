"""One bounded retry policy for every outbound call (GitHub and the Argo Server).

urllib3 retries connection failures for any method (nothing was sent), but read failures and
bad statuses only for idempotent methods (GET, PUT, ...), so a comment or a submission is never
sent twice because an answer got lost. `Retry-After` is not obeyed: a delivery must be answered
within GitHub's 10 s, and waiting minutes would only make GitHub give up on it.
"""

from __future__ import annotations

from collections.abc import Collection

from urllib3.util import Retry

from bot.settings import BotSettings


def bounded_retry(retries: int, settings: BotSettings, statuses: Collection[int]) -> Retry:
    return Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=settings.retry_backoff,
        backoff_max=settings.retry_backoff_max,
        status_forcelist=tuple(statuses),
        respect_retry_after_header=False,
        raise_on_status=False,
    )
