"""The time a piece of work has left, shared by every outbound call made on its behalf.

GitHub waits 10 s for a delivery's answer. Per-call timeouts and retry counts alone cannot
keep that promise: three calls that each time out after 4 s, retried twice, take 36 s. So a
delivery (and a callback, and each follow-up task) runs `within(budget)`, and the transport
layers ask this module before they start an attempt (`fits`), how long an attempt may last
(`clamp`), and whether a retry is still affordable. The deadline is a context variable, so it
follows the work into the threads that run its concurrent reads (`run_with_context`).
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# Outside any `within` (a CLI, a test calling a client directly) nothing is bounded by a
# deadline, but nobody should wait this long for a retry either.
UNBOUNDED_WAIT = 30.0

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "perfbot_deadline", default=None
)


class OutOfTime(Exception):
    """The work's budget was spent before an answer came; the message says waiting for what."""


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Bound everything done inside to `seconds` from now (or less, if already bounded)."""
    end = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(end if outer is None else min(end, outer))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left (never negative); None outside any `within`."""
    end = _deadline.get()
    return None if end is None else max(0.0, end - time.monotonic())


def fits(seconds: float) -> bool:
    """Is there time for something that may take `seconds`?"""
    left = remaining()
    return seconds <= (UNBOUNDED_WAIT if left is None else left)


def clamp(timeout: float | None) -> float | None:
    """A per-attempt timeout that does not outlast the deadline."""
    left = remaining()
    if left is None:
        return timeout
    return left if timeout is None else min(timeout, left)


def run_with_context(call: Callable[..., T]) -> Callable[..., T]:
    """`call` bound to the caller's context (and so its deadline), for another thread."""
    context = contextvars.copy_context()

    def run(*args: Any, **kwargs: Any) -> T:
        return context.run(call, *args, **kwargs)

    return run
