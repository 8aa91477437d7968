"""The HTTP session the bot's Argo client uses: bounded retries, attempts cut at the deadline.

`workflows.argo.ArgoClient` gives every request the same timeout. Inside a delivery that is
too generous near the end of its budget, so the adapter shortens each attempt to the time the
delivery has left (`bot.shared.deadline`); the retry policy (`bot.outbound.retry`) decides whether
another attempt fits at all.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from bot.outbound.environment import pin_environment
from bot.outbound.retry import bounded_retry
from bot.shared import deadline
from bot.shared.settings import BotSettings

ARGO_RETRY_STATUSES = (500, 502, 503, 504)  # only ever retried for reads and stops
MIN_ATTEMPT = 0.05  # seconds; less than this cannot get an answer from anything


class NoTimeLeft(requests.exceptions.Timeout):
    """The delivery's budget is spent; the request was not sent."""


class DeadlineAdapter(HTTPAdapter):
    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        timeout = kwargs.get("timeout")
        if not isinstance(timeout, tuple):
            timeout = deadline.clamp(timeout)
            if timeout is not None and timeout < MIN_ATTEMPT:
                raise NoTimeLeft("no time left in this delivery's budget", request=request)
            kwargs["timeout"] = timeout
        return super().send(request, *args, **kwargs)


def argo_session(settings: BotSettings, server: str) -> requests.Session:
    """`server` is the Argo Server's URL, for the proxy settings that apply to it."""
    retry = bounded_retry(
        settings.argo_retries, settings, ARGO_RETRY_STATUSES, reserve=settings.argo_timeout
    )
    adapter = DeadlineAdapter(max_retries=retry, pool_maxsize=settings.read_threads)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return pin_environment(session, server)
