"""`go test -bench` text output: one line per benchmark run, repeated with `-count=N`.

    BenchmarkDecode/small-8   523412   2291 ns/op   48.10 MB/s   512 B/op   3 allocs/op

Read as the Go benchmark format defines it (golang.org/design/14313-benchmark-format), with
benchstat's idea of what makes two runs the same benchmark:

- A name is kept whole, `-N` (GOMAXPROCS) suffix included, as benchstat's `.fullname`: with
  `-cpu=1,2,4` the runs are three configurations, not three samples of one (a run at 1 has no
  suffix, `go test` omits `-1`). The name of a run depends only on its own line, so a head that
  adds `-cpu` values adds benchmarks and renames none.
- A `pkg:` line in effect qualifies the name, `<pkg>.<name>`, always (not only when a file
  holds several packages): a head that adds a package renames nothing, and in a directory of
  one-package files equal names of different packages stay apart.
- Every `key: value` line (a key starting with a lower-case letter, without spaces or
  upper-case letters) sets configuration for the lines after it, until set again (an empty
  value unsets it): `goos`, `goarch`, `cpu`, but also `note: ...` or anything a script adds.
  Runs of one name under different configurations are not merged: that name gets the keys
  that differ, `BenchmarkX-8 (note=before)`, and a warning says so. Configuration shared by
  the whole file is the result set's metadata.

Each `value unit` pair is its own metric: `ns/op` under the benchmark's name, the others as
`<name> [<unit>]` (`B/op`, `allocs/op`, `MB/s`, custom `b.ReportMetric` units). As in benchstat,
units per time (`MB/s`, `ops/s`) are higher-is-better and everything else lower-is-better. A
rate is computed from the line's time, so it is the same measurement: `metadata["measurement"]`
names the `ns/op` metric. `B/op`, `allocs/op` and other counts per op are measured apart from
the time (and are usually exact counts): their own measurements, no `measurement` key.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from workflows.results.fields import ShapeError
from workflows.results.model import ResultSet, make_benchmark
from workflows.results.units import normalise

NAME = "go-bench"
KIND = "text"
PRIMARY_UNIT = "ns/op"
LINE = re.compile(r"^(?P<name>Benchmark\S*)\s+(?P<iterations>\d+)\s+(?P<metrics>\S.*?)\s*$")
PAIR = re.compile(r"(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s+(?P<unit>\S+)")
PACKAGE_KEY = "pkg"

SPLIT = "{name}: runs differ in {keys}; each configuration is its own benchmark, `{example}`"
NO_PAIRS = "line {number}: no `value unit` pairs after the iteration count"
NO_LINES = "no `Benchmark...` result lines"

Pairs = list[tuple[float, str]]
Row = tuple[dict[str, str], str, Pairs]  # (configuration in effect, name as written, pairs)


def _config_line(line: str) -> tuple[str, str] | None:
    """(key, value) of a configuration line, per the format's rules; None for any other line."""
    key, colon, rest = line.partition(":")
    if not colon or not key or not key[0].islower():
        return None
    if any(c.isspace() or c.isupper() for c in key):
        return None
    if rest and rest[0] not in " \t":
        return None
    return key, rest.strip()


def detect(text: str) -> bool:
    return any(LINE.match(line) and PAIR.search(line) for line in text.splitlines())


def _rows(text: str) -> list[Row]:
    config: dict[str, str] = {}
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if found := LINE.match(line):
            pairs = [(float(m["value"]), m["unit"]) for m in PAIR.finditer(found["metrics"])]
            if not pairs:
                raise ShapeError(NO_PAIRS.format(number=number))
            rows.append((dict(config), found["name"], pairs))
        elif setting := _config_line(line):
            key, value = setting
            if value:
                config[key] = value
            else:
                config.pop(key, None)
    if not rows:
        raise ShapeError(NO_LINES)
    return rows


def _label(name: str, config: dict[str, str], keys: list[str]) -> str:
    if not keys:
        return name
    settings = ", ".join(f"{key}={config.get(key, '')}" for key in keys)
    return f"{name} ({settings})"


def _labels(rows: list[Row], warnings: list[str]) -> list[str]:
    """The benchmark name of each row: package-qualified, plus the configuration keys that
    differ between runs of that name (absent counts as a value)."""
    qualified = [f"{c[PACKAGE_KEY]}.{name}" if PACKAGE_KEY in c else name for c, name, _ in rows]
    configs: dict[str, list[dict[str, str]]] = defaultdict(list)
    for name, (config, _, _) in zip(qualified, rows, strict=True):
        configs[name].append(config)
    differing: dict[str, list[str]] = {}
    for name, seen in configs.items():
        keys = sorted({key for config in seen for key in config} - {PACKAGE_KEY})
        differing[name] = [k for k in keys if len({c.get(k, "") for c in seen}) > 1]
    labels = [
        _label(name, config, differing[name])
        for name, (config, _, _) in zip(qualified, rows, strict=True)
    ]
    for name, keys in differing.items():
        if keys:
            example = labels[qualified.index(name)]
            warnings.append(SPLIT.format(name=name, keys=", ".join(keys), example=example))
    return labels


def _shared(rows: list[Row]) -> dict[str, str]:
    """Configuration every run of the file has, with one value."""
    first, *rest = (config for config, _, _ in rows)
    return {k: v for k, v in first.items() if all(other.get(k) == v for other in rest)}


def parse(text: str, source: str) -> ResultSet:
    rows = _rows(text)
    warnings: list[str] = []
    labels = _labels(rows, warnings)
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    derived: set[tuple[str, str]] = set()  # rates computed from the line's ns/op
    for label, (_, _, pairs) in zip(labels, rows, strict=True):
        timed = any(unit == PRIMARY_UNIT for _, unit in pairs)
        for value, unit in pairs:
            samples[(label, unit)].append(value)
            if timed and unit != PRIMARY_UNIT and normalise(unit).is_rate:
                derived.add((label, unit))
    benchmarks = [
        make_benchmark(
            label if unit == PRIMARY_UNIT else f"{label} [{unit}]",
            unit,
            samples=values,
            metadata={"measurement": label} if (label, unit) in derived else None,
        )
        for (label, unit), values in samples.items()
    ]
    metadata: dict[str, Any] = dict(_shared(rows))
    if warnings:
        metadata["warnings"] = warnings
    return ResultSet.build(source, NAME, benchmarks, metadata)
