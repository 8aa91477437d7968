"""`benchmark.measure` and `benchmark.perf_events`: what the driver measures itself, and a
benchmark pod allowed to count instructions, only where the operator says so."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_config import one_job
from tests.pipeline.conftest import env_of, templates_by_name
from workflows.config import ConfigError, parse_config
from workflows.pipeline.render import template_dicts


def benchmark_step(benchmark: str) -> dict[str, Any]:
    text = one_job(
        "        build: {command: [make], builder_image: gcc:13}\n"
        f"        benchmark: {{image: bench:1, command: [bench]{benchmark}}}\n"
    )
    (template,) = template_dicts(parse_config(text)).values()
    return templates_by_name(template)["benchmark"]


@pytest.mark.parametrize(
    ("setting", "measure"),
    [
        ("", "cpu rss"),
        (", measure: [cpu]", "cpu"),
        (", measure: [cpu, rss, instructions]", "cpu rss instructions"),
        (", measure: []", ""),
    ],
)
def test_the_driver_is_told_what_to_measure(setting, measure):
    assert env_of(benchmark_step(setting))["PERFBOT_MEASURE"] == measure


@pytest.mark.parametrize(
    ("setting", "capabilities"),
    [
        ("", None),
        (", perf_events: false", None),
        (", measure: [instructions], perf_events: true", ["PERFMON"]),
    ],
)
def test_the_benchmark_pod_may_count_instructions_only_when_the_operator_allows_it(
    setting, capabilities
):
    context = benchmark_step(setting)["container"].get("securityContext")
    found = None if context is None else context["capabilities"]["add"]
    assert found == capabilities


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (", measure: [cycles]", "benchmark.measure"),
        (", perf_events: true", "perf_events needs instructions in benchmark.measure"),
    ],
)
def test_a_bad_measure_setting_is_refused(setting, message):
    with pytest.raises(ConfigError, match=message):
        benchmark_step(setting)
