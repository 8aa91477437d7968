"""Units, normalised so that a benchmark in ms on one side and in s on the other compares.

Every importer passes the unit it read through `normalise`; values are multiplied by the
returned factor. Canonical units: seconds for time, bytes for sizes, "per second" for rates.
A compound unit keeps its denominator (`ns/op` becomes `s/op`, `MB/s` becomes `B/s`), so two
units compare exactly when their canonical strings are equal. Unknown units (`allocs/op`,
`widgets`) pass through unchanged: they compare only with themselves.

The default direction follows the unit, as benchstat does: a rate (anything per unit of time)
is higher-is-better, everything else (time, size, counts per operation) lower-is-better.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Direction(StrEnum):
    LOWER = "lower"  # time, memory: smaller is better
    HIGHER = "higher"  # throughput: bigger is better


TIME: dict[str, float] = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,  # MICRO SIGN
    "μs": 1e-6,  # GREEK SMALL LETTER MU
    "ms": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "min": 60.0,
    "h": 3600.0,
}
# Decimal prefixes for kB/MB/GB (Go's MB/s is 10^6 bytes), binary ones for KiB/MiB/GiB.
BYTES: dict[str, float] = {
    "B": 1.0,
    "byte": 1.0,
    "bytes": 1.0,
    "kB": 1e3,
    "KB": 1e3,
    "MB": 1e6,
    "GB": 1e9,
    "KiB": 1024.0,
    "MiB": 1024.0**2,
    "GiB": 1024.0**3,
}


@dataclass(frozen=True)
class Unit:
    canonical: str  # what values are expressed in after multiplying by `factor`
    factor: float
    kind: str  # "time", "bytes", "rate" or "other": how reports format values
    direction: Direction  # the default when the input does not say

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"


def _numerator(text: str) -> tuple[str, float, str]:
    if text in TIME:
        return "s", TIME[text], "time"
    if text in BYTES:
        return "B", BYTES[text], "bytes"
    return text, 1.0, "other"


def normalise(unit: str) -> Unit:
    """`ms` -> s x 1e-3; `ns/op` -> s/op x 1e-9; `MB/s` -> B/s x 1e6; `ops/ms` -> ops/s x 1e3."""
    text = unit.strip()
    top, _, bottom = text.partition("/")
    top, bottom = top.strip(), bottom.strip()
    if not bottom:
        name, factor, kind = _numerator(top)
        return Unit(name, factor, kind, Direction.LOWER)
    if bottom in TIME and top:  # a rate: something per unit of time
        name, factor, _ = _numerator(top)
        return Unit(f"{name}/s", factor / TIME[bottom], "rate", Direction.HIGHER)
    name, factor, kind = _numerator(top)
    if kind == "other":
        return Unit(text, 1.0, "other", Direction.LOWER)
    return Unit(f"{name}/{bottom}", factor, kind, Direction.LOWER)
