"""Retries that cannot cut a retried pod short.

In Argo v4.0.5 `backoff.maxDuration` is not only a limit on retrying: the controller gives
every retried pod `activeDeadlineSeconds` = first attempt's start + maxDuration
(`workflow/controller/operator.go`, `executionDeadline`). A deploy (a daemon, alive until the
last round) that needed one retry would be killed mid-benchmark, and a build that failed after
maxDuration would never be retried. So no template carries it; `cap` bounds the waits instead.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.pipeline.conftest import templates_by_name
from workflows.local.timing import seconds


def _retried(all_templates: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{file}:{name}", step)
        for file, template in all_templates.items()
        for name, step in templates_by_name(template).items()
        if step.get("retryStrategy")
    ]


def test_some_templates_are_retried_daemons_among_them(all_templates):
    retried = dict(_retried(all_templates))
    assert any(step.get("daemon") for step in retried.values())
    assert any(not step.get("daemon") for step in retried.values())


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("maxDuration", "becomes the retried pod's deadline, counted from the first attempt"),
    ],
)
def test_no_retry_strategy_bounds_the_pods_it_retries(all_templates, key, why):
    for where, step in _retried(all_templates):
        assert key not in step["retryStrategy"].get("backoff", {}), f"{where}: {key} {why}"


def test_backoff_waits_are_capped(all_templates):
    for where, step in _retried(all_templates):
        backoff = step["retryStrategy"]["backoff"]
        assert seconds(backoff["duration"], where) == 30, where
        assert seconds(backoff["cap"], where) <= 300, where
