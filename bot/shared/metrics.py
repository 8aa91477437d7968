"""Prometheus metrics of one app, in a registry of its own.

A registry per app (not the process-global one) lets tests build many apps side by side and
count exactly what each did. Under gunicorn each worker process has its own counters; when
`PROMETHEUS_MULTIPROC_DIR` is set (the committed gunicorn config sets it up), `/metrics`
reports the sum over all workers, as prometheus-client's multiprocess mode does, so a scrape
does not depend on which worker answers it.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.deliveries = Counter(
            "perfbot_webhook_deliveries",
            "Webhook deliveries by event and what became of them.",
            ["event", "outcome"],
            registry=self.registry,
        )
        self.commands = Counter(
            "perfbot_commands",
            "PR comment commands by command and outcome.",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.submissions = Counter(
            "perfbot_submissions",
            "Workflow submissions to the Argo Server by job and outcome.",
            ["job", "outcome"],
            registry=self.registry,
        )
        self.callbacks = Counter(
            "perfbot_callbacks",
            "Workflow callbacks by kind and outcome.",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.followups = Counter(
            "perfbot_followups",
            "Deliveries' acknowledgements done after the answer: done, failed (a step failed; "
            "see the log) or dropped (the queue was full).",
            ["outcome"],
            registry=self.registry,
        )
        self.history_writes = Counter(
            "perfbot_history_writes",
            "Runs written to the results history after a callback's answer: stored, or failed "
            "(every attempt failed; the log says why).",
            ["outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "perfbot_http_request_duration_seconds",
            "Time to answer an HTTP request, by endpoint and status code.",
            ["endpoint", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def exposition(self) -> tuple[bytes, str]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            combined = CollectorRegistry()
            multiprocess.MultiProcessCollector(combined)
            return generate_latest(combined), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
