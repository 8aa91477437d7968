"""The shop's benchmark: latency of each endpoint, written in perfbot's own results format.

perfbot runs this once per round and side, with PERFBOT_TARGET (the service's base URL) and
PERFBOT_RESULT (the file to write) in the environment. Per endpoint and round it times
SHOP_BENCH_SAMPLES batches (default 8) of SHOP_BENCH_BATCH keep-alive requests (default 100),
about 1.4 s a round, and writes ONE sample: the median of the batches' mean latencies.

One sample per round, because the round is the unit that is independent: batches of the same
round share whatever the machine was doing at that moment, so reporting them as separate
samples would let one busy second look like a significant change (pseudo-replication). The
rank test then compares rounds with rounds, which is what interleaving makes fair.

In a confirmation run PERFBOT_BENCHMARKS names the endpoints the first comparison flagged, one
a line ("GET /search"); only those are measured again. Names it does not know are left out.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import statistics
import time
from urllib.parse import urlsplit

ENDPOINTS = {
    "GET /items": "/items?page=3",
    "GET /search": "/search?q=steel",
    "GET /stats": "/stats",
    "GET /etag": "/etag?page=7",
}
WARMUP = 5
SAMPLES = int(os.environ.get("SHOP_BENCH_SAMPLES", "8"))
BATCH = int(os.environ.get("SHOP_BENCH_BATCH", "100"))


def measure(connection: http.client.HTTPConnection, path: str) -> list[float]:
    """This round's sample for `path`: the median of SAMPLES batch means, in ms."""

    def get() -> None:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"bench: GET {path} answered {response.status}")

    for _ in range(WARMUP):
        get()
    samples = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        for _ in range(BATCH):
            get()
        samples.append((time.perf_counter() - start) / BATCH * 1000.0)
    return [statistics.median(samples)]


def selected() -> dict[str, str]:
    """The endpoints to measure: those PERFBOT_BENCHMARKS names when it is set, else all."""
    names = os.environ.get("PERFBOT_BENCHMARKS")
    if names is None:
        return ENDPOINTS
    wanted = {line.strip() for line in names.splitlines() if line.strip()}
    return {name: path for name, path in ENDPOINTS.items() if name in wanted}


def main() -> None:
    target = urlsplit(os.environ["PERFBOT_TARGET"])
    started = time.time()
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    benchmarks = [
        {"name": name, "unit": "ms", "direction": "lower", "samples": measure(connection, path)}
        for name, path in selected().items()
    ]
    connection.close()
    side = os.environ.get("PERFBOT_SIDE", "")
    result = {
        "schema_version": 1,
        "benchmarks": benchmarks,
        "metadata": {
            "commit": os.environ.get(f"PERFBOT_{side.upper()}_SHA", ""),
            "side": side,
            "round": int(os.environ.get("PERFBOT_ROUND", "0")),
            "started": started,
            "finished": time.time(),
            "machine": platform.node(),
        },
    }
    with open(os.environ["PERFBOT_RESULT"], "w", encoding="utf-8") as out:
        json.dump(result, out, indent=1)


if __name__ == "__main__":
    main()
