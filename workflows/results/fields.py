"""Checked access to parsed input, so every importer reports a bad shape the same way.

Helpers raise `ShapeError` with the location inside the document (`results[2].times[5]`); the
loader adds the file name and the format, giving one line the user can act on.
"""

from __future__ import annotations

import math
from typing import Any


class ShapeError(ValueError):
    """The document parsed but is not what the format promises."""


def mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(f"{where} must be an object")
    return value


def items(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(f"{where} must be a list")
    return value


def text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ShapeError(f"{where} must be a non-empty string")
    return value


def number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ShapeError(f"{where} must be a finite number, got {_shown(value)}")
    try:
        result = float(value)  # an integer of 400 digits is valid JSON and no float
    except OverflowError:
        raise ShapeError(f"{where} is too large: an integer of {len(str(value))} digits") from None
    if not math.isfinite(result):
        raise ShapeError(f"{where} must be a finite number, got {value!r}")
    return result


def _shown(value: Any) -> str:
    """`value` for a message: a long string or list is cut, so the line stays one line."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def optional_number(value: Any, where: str) -> float | None:
    return None if value is None else number(value, where)


def numbers(value: Any, where: str) -> list[float]:
    values = items(value, where)
    if len(values) > FAST_FROM and all(type(v) is float or type(v) is int for v in values):
        try:
            checked = [float(v) for v in values]
        except OverflowError:  # a huge integer: the slow path names it
            checked = []
        if checked and all(map(math.isfinite, checked)):
            return checked  # the common case of 20,000 samples, without a message per value
    return [number(v, f"{where}[{i}]") for i, v in enumerate(values)]


FAST_FROM = 64  # list length from which plain floats and ints are checked in one pass


def count(value: Any, where: str) -> int:
    result = number(value, where)
    if result < 1 or result != int(result):
        raise ShapeError(f"{where} must be a whole number of at least 1, got {value!r}")
    return int(result)
