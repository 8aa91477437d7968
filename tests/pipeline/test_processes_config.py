"""`benchmark.processes`: fresh processes of the benchmark command per side and round, told to
the driver; outside 1 to 100 refused when the config is loaded."""

from __future__ import annotations

import pytest

from tests.config.test_config import one_job
from tests.pipeline.conftest import env_of
from tests.pipeline.test_measure_config import benchmark_step
from workflows.config import ConfigError, parse_config


@pytest.mark.parametrize(
    ("setting", "processes"),
    [("", "1"), (", processes: 3", "3"), (", processes: 100", "100")],
)
def test_the_driver_is_told_how_many_processes_a_round(setting, processes):
    assert env_of(benchmark_step(setting))["PERFBOT_PROCESSES"] == processes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "benchmark.processes: expected a number >= 1, got 0"),
        ("101", "benchmark.processes: expected a number <= 100, got 101"),
        ("two", "benchmark.processes: expected an integer, got 'two'"),
    ],
)
def test_processes_outside_1_to_100_are_refused(value, message):
    text = one_job(
        "        build: {command: [make], builder_image: gcc:13}\n"
        f"        benchmark: {{image: bench:1, command: [bench], processes: {value}}}\n"
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert message in str(caught.value)
