"""`go test -bench` text output: one line per benchmark run, repeated with `-count=N`.

    BenchmarkDecode/small-8   523412   2291 ns/op   48.10 MB/s   512 B/op   3 allocs/op

Each `value unit` pair is its own metric: `ns/op` under the benchmark's name, the others as
`<name> [<unit>]` (`B/op`, `allocs/op`, `MB/s`, custom `b.ReportMetric` units). As in benchstat,
units per time (`MB/s`, `ops/s`) are higher-is-better and everything else lower-is-better, and
the trailing `-N` (GOMAXPROCS) is dropped from names so that runs on different machines match.
When one file holds several packages (`pkg:` lines), names are qualified with the package.
"""

from __future__ import annotations

import re
from collections import defaultdict

from workflows.results.fields import ShapeError
from workflows.results.model import ResultSet, make_benchmark

NAME = "go-bench"
KIND = "text"
PRIMARY_UNIT = "ns/op"
LINE = re.compile(r"^(?P<name>Benchmark\S*)\s+(?P<iterations>\d+)\s+(?P<metrics>\S.*?)\s*$")
PAIR = re.compile(r"(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s+(?P<unit>\S+)")
PROCS = re.compile(r"-(\d+)$")
HEADER = re.compile(r"^(goos|goarch|pkg|cpu):\s*(.*?)\s*$")


def _metric(name: str, unit: str) -> str:
    return name if unit == PRIMARY_UNIT else f"{name} [{unit}]"


def detect(text: str) -> bool:
    return any(LINE.match(line) and PAIR.search(line) for line in text.splitlines())


def parse(text: str, source: str) -> ResultSet:
    header: dict[str, str] = {}
    packages: list[str] = []
    rows: list[tuple[str, str, list[tuple[float, str]]]] = []  # (package, name, pairs)
    for number, line in enumerate(text.splitlines(), start=1):
        if found := HEADER.match(line):
            key, value = found.groups()
            header.setdefault(key, value)
            if key == "pkg" and value not in packages:
                packages.append(value)
            continue
        if not (found := LINE.match(line)):
            continue
        pairs = [(float(m["value"]), m["unit"]) for m in PAIR.finditer(found["metrics"])]
        if not pairs:
            raise ShapeError(f"line {number}: no `value unit` pairs after the iteration count")
        package = packages[-1] if packages else ""
        rows.append((package, PROCS.sub("", found["name"]), pairs))
    if not rows:
        raise ShapeError("no `Benchmark...` result lines")
    qualify = len(packages) > 1
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    for package, name, pairs in rows:
        full = f"{package}.{name}" if qualify else name
        for value, unit in pairs:
            samples[(full, unit)].append(value)
    metadata = {key: value for key, value in header.items() if key != "pkg"}
    if len(packages) == 1:
        metadata["pkg"] = packages[0]
    return ResultSet.build(
        source,
        NAME,
        (
            make_benchmark(_metric(name, unit), unit, samples=values)
            for (name, unit), values in samples.items()
        ),
        metadata,
    )
