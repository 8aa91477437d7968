"""Which benchmarks a bisection measures: named by the user, or the regressions of a report.

Names come from benchmark output (a report's rows), so they are checked before they become a
workflow parameter (one a line: a name with a line break would become two) or reach a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from workflows.compare.report_reading import row_verdict
from workflows.untrusted import clean

MAX_NAME = 200
MAX_BENCHMARKS = 50
_BREAKS = str.maketrans("\n\r\t", "   ")


class NoTargets(ValueError):
    """No benchmark to bisect, or a name that cannot be passed on; the message says which."""


def checked(names: Iterable[str]) -> tuple[str, ...]:
    """The names, deduplicated in order; NoTargets for none, too many, or an unusable one."""
    unique = tuple(dict.fromkeys(names))
    if not unique:
        raise NoTargets("no benchmark to bisect")
    if len(unique) > MAX_BENCHMARKS:
        raise NoTargets(f"{len(unique)} benchmarks: a bisection follows at most {MAX_BENCHMARKS}")
    for name in unique:
        if not name.strip() or len(name) > MAX_NAME or not name.isprintable():
            shown = clean(name)[:60].translate(_BREAKS)
            raise NoTargets(
                f"benchmark name {shown!r} cannot be bisected (empty, longer than {MAX_NAME} "
                "characters, or with control characters)"
            )
    return unique


def regressed(report: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of the report's regressed benchmarks, in report order (none: empty)."""
    rows = report.get("benchmarks")
    if not isinstance(rows, list):
        return ()
    return tuple(
        row["name"]
        for row in rows
        if isinstance(row, Mapping)
        and isinstance(row.get("name"), str)
        and row_verdict(row)[0] == "regressed"
    )


def from_report(path: Path) -> tuple[str, ...]:
    """The regressions of a JSON report on disk; NoTargets when it cannot be read or has none."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoTargets(
            f"no report at {path}: name the benchmarks with --benchmark, or pass --report"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NoTargets(f"{path}: not a JSON report ({exc})") from None
    names = regressed(report) if isinstance(report, Mapping) else ()
    if not names:
        raise NoTargets(f"{path} reports no regression to bisect")
    return checked(names)


def verdicts(report: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    """Each named benchmark's verdict in a step's report; `missing` when it has no row."""
    rows = report.get("benchmarks")
    found = {
        row["name"]: row_verdict(row)[0]
        for row in (rows if isinstance(rows, list) else [])
        if isinstance(row, Mapping) and isinstance(row.get("name"), str)
    }
    return {name: found.get(name, "missing") for name in names}
