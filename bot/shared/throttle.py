"""At most one use per key per interval, in memory: the limit on `/perf-bot status`.

`/perf-bot status` is open to everyone and makes the bot read Argo, post a reply and update
check runs. One per pull request per `PERFBOT_STATUS_INTERVAL` seconds is enough for people
and caps what anyone can make the bot do. The state is per process: with several gunicorn
workers and replicas the limit is per worker (a few answers per interval, not one), which is
still a bound; keys are forgotten oldest first beyond `capacity`, so memory is bounded too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from time import monotonic


class Throttle:
    def __init__(self, interval: float, *, capacity: int = 10_000) -> None:
        self.interval = interval
        self.capacity = capacity
        self._last: OrderedDict[Hashable, float] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: Hashable) -> bool:
        """True (and the use recorded) when `key` was not used in the last `interval` s."""
        now = monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.interval:
                return False
            self._last[key] = now
            self._last.move_to_end(key)
            while len(self._last) > self.capacity:
                self._last.popitem(last=False)
            return True

    def __len__(self) -> int:
        return len(self._last)
