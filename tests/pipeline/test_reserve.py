"""A run whose measure pods cannot be placed fails fast and lets go of the benchmark node lock.

The `reserve` step is the measure DAG's first: one pod asking for what the run's measure pods
ask for together, placed like them, with Argo's template `timeout` (which fails a node still
Pending past it, Unschedulable included, and sets the pod's activeDeadlineSeconds).
"""

from __future__ import annotations

import copy

import pytest

from tests.pipeline.conftest import tasks_by_name, templates_by_name
from workflows.config import ConfigError, PerfbotConfig
from workflows.pipeline import sizing

SQL = "perf-databend-sql.yaml"
RG = "perf-ripgrep-search.yaml"


@pytest.mark.parametrize(
    ("cpu", "millicores"),
    [("4", 4000), ("1.5", 1500), ("500m", 500), ("0.25", 250)],
)
def test_cpu_quantities(cpu, millicores):
    assert sizing.millicores(cpu) == millicores


@pytest.mark.parametrize(
    ("memory", "size"),
    [("8Gi", 8 * 2**30), ("512Mi", 512 * 2**20), ("1G", 10**9), ("100", 100), ("2Ti", 2 * 2**40)],
)
def test_memory_quantities(memory, size):
    assert sizing.memory_bytes(memory) == size


def test_the_reserve_step_asks_for_both_deploys_and_the_benchmark_together(example_templates):
    reserve = templates_by_name(example_templates[SQL])["reserve"]
    requests = reserve["container"]["resources"]["requests"]
    assert (requests["cpu"], requests["memory"]) == ("9", "17Gi")  # 2 x (4, 8Gi) + (1, 1Gi)
    assert reserve["timeout"] == "900s"
    benchmark = templates_by_name(example_templates[SQL])["benchmark"]
    for key in ("nodeSelector", "tolerations", "affinity"):
        assert reserve[key] == benchmark[key], key
    assert reserve["metadata"]["labels"] == benchmark["metadata"]["labels"]


@pytest.mark.parametrize(
    ("template", "first"), [(SQL, ["deploy-base", "deploy-head"]), (RG, ["benchmark"])]
)
def test_nothing_is_placed_before_the_reservation_is(example_templates, template, first):
    tasks = tasks_by_name(example_templates[template], "measure")
    assert "depends" not in tasks["reserve"]
    for name in first:
        assert tasks[name]["depends"] == "reserve"


def test_a_job_with_no_requests_reserves_a_pod_that_asks_for_nothing(example_templates):
    reserve = templates_by_name(example_templates[RG])["reserve"]
    assert "resources" not in reserve["container"]


def _with_capacity(example_config: PerfbotConfig, capacity: dict | None) -> dict:
    data = copy.deepcopy(example_config.model_dump(mode="json", exclude_none=True))
    job = data["repos"]["datafuselabs/databend"]["jobs"]["databend-sql"]
    if capacity is not None:
        job["placement"]["node_capacity"] = capacity
    return data


@pytest.mark.parametrize(
    ("capacity", "fits"),
    [
        ({"cpu": "16", "memory": "64Gi"}, True),
        ({"cpu": "9", "memory": "17Gi"}, True),  # exactly
        ({"cpu": "8", "memory": "64Gi"}, False),  # the node: 2 x 4 CPU + 1 do not fit
        ({"cpu": "16", "memory": "16Gi"}, False),
        (None, True),  # not declared: only the reservation's deadline can tell
    ],
)
def test_a_node_capacity_that_cannot_hold_the_run_is_refused(example_config, capacity, fits):
    data = _with_capacity(example_config, capacity)
    if fits:
        PerfbotConfig.model_validate(data)
        return
    with pytest.raises((ConfigError, ValueError)) as caught:
        PerfbotConfig.model_validate(data)
    text = str(caught.value)
    assert "cpu 9, memory 17Gi" in text  # what the run asks for
    assert f"cpu {capacity['cpu']}, memory {capacity['memory']}" in text  # the largest node


def test_the_exit_handler_explains_a_reservation_that_timed_out(example_templates):
    env = {
        e["name"]: e.get("value")
        for e in templates_by_name(example_templates[SQL])["notify-exit"]["container"]["env"]
    }
    note = env["PERFBOT_RESERVE_NOTE"]
    assert "cpu 9, memory 17Gi" in note
    assert "900 s" in note
