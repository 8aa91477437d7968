"""The reads one delivery needs, started early and run side by side, each made at most once.

A `/run-perf` needs the author's permission, the pull request and the base ref's commit. They
do not depend on each other (the ref's name is known from the comment, or guessed from the
repository's default branch until the pull request says otherwise), so they are asked at the
same time: the answer costs one round trip to GitHub instead of three. Reads never change
anything, so starting them before the permission is known is safe; what a run changes (the
submission, every comment) still waits for it.

`start(call, *args)` queues a read on the app's bounded thread pool; `get(call, *args)` waits
for it (or makes it here if nobody started it) within the delivery's deadline and returns its
result or raises its exception. The same call with the same arguments is one read.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from bot.shared import deadline

T = TypeVar("T")
GRACE = 0.5  # a read is bounded by its own timeouts; this only catches one that is not


class Reads:
    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self._futures: dict[tuple[Hashable, ...], Future[Any]] = {}

    def start(self, call: Callable[..., Any], *args: Any) -> None:
        key = _key(call, args)
        if key not in self._futures:
            self._futures[key] = self._pool.submit(deadline.run_with_context(call), *args)

    def get(self, call: Callable[..., T], *args: Any) -> T:
        future = self._futures.get(_key(call, args))
        if future is None:
            return call(*args)
        left = deadline.remaining()
        try:
            return future.result(timeout=None if left is None else left + GRACE)
        except FutureTimeout:
            raise deadline.OutOfTime(f"{_name(call)} did not answer in time") from None

    def cancel_pending(self) -> None:
        """Reads nobody will use (the author may not run, the arguments were bad)."""
        for future in self._futures.values():
            future.cancel()


def _key(call: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Hashable, ...]:
    """Equal for the same call on the same objects (clients need not be hashable)."""
    return tuple(_identity(value) for value in (call, *args))


def _identity(value: Any) -> Hashable:
    if hasattr(value, "__func__") and hasattr(value, "__self__"):  # a bound method
        return (value.__func__, id(value.__self__))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return value


def _name(call: Callable[..., Any]) -> str:
    return getattr(call, "__name__", "a read").replace("_", " ")
