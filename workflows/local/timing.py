"""Argo's durations and retry backoff, shortened for a run on one machine.

A cluster backs off for tens of seconds because a node or registry may need that long to
recover; a local step that failed will usually fail again the same way, so the local runner
keeps Argo's shape (duration x factor^n, capped) scaled by `LOCAL_BACKOFF_SCALE` and never
waits more than `LOCAL_BACKOFF_CAP` seconds between attempts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

LOCAL_BACKOFF_SCALE = 0.1
LOCAL_BACKOFF_CAP = 2.0

_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)")
_UNIT = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0,
         "d": 86400.0}  # fmt: skip


def seconds(value: Any, what: str) -> float:
    """`30`, `"30"`, `"90s"`, `"1m30s"`, `"2h"` to seconds; ValueError naming `what`."""
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected a duration, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = _PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{what}: expected a duration such as 30s, 5m or 1h, got {value!r}")
    return sum(float(number) * _UNIT[unit] for number, unit in parts)


def retry_limit(strategy: Mapping[str, Any] | None, what: str) -> int:
    """How many retries after the first attempt (Argo's `limit`; no limit given: 0 here)."""
    if not strategy:
        return 0
    limit = strategy.get("limit")
    if limit is None:
        return 0
    try:
        return max(0, int(str(limit)))
    except ValueError:
        raise ValueError(f"{what}: retryStrategy.limit must be a number, got {limit!r}") from None


def backoff_delay(strategy: Mapping[str, Any] | None, retry: int, what: str) -> float:
    """Seconds to wait before retry number `retry` (1 for the first retry), locally scaled."""
    backoff = (strategy or {}).get("backoff") or {}
    if not backoff.get("duration"):
        return 0.0
    base = seconds(backoff["duration"], f"{what}: backoff.duration")
    factor = float(str(backoff.get("factor", 2) or 2))
    delay = base * factor ** (retry - 1)
    if backoff.get("cap"):
        delay = min(delay, seconds(backoff["cap"], f"{what}: backoff.cap"))
    return min(delay * LOCAL_BACKOFF_SCALE, LOCAL_BACKOFF_CAP)


def retries_on(strategy: Mapping[str, Any] | None, phase: str) -> bool:
    """Whether Argo's `retryPolicy` retries a node that ended in `phase` (Failed or Error)."""
    policy = (strategy or {}).get("retryPolicy") or "OnFailure"
    if policy == "Always":
        return True
    if policy == "OnError":
        return phase == "Error"
    if policy == "OnTransientError":
        return False  # nothing local is a transient cluster error
    return phase == "Failed"  # OnFailure, Argo's default
