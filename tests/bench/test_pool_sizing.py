"""The pool-sizing model: a first-come-first-served queue over nodes that go away when idle."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

from workflows.config import load_config

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "pool_sizing.py"


@pytest.fixture(scope="module")
def sizing() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pool_sizing", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("nodes", "runs", "waits"),
    [
        (1, [(0, 100), (0, 100)], [0, 100]),  # the second waits for the first
        (2, [(0, 100), (0, 100)], [0, 0]),  # one node each
        (1, [(0, 100), (50, 10), (60, 10)], [0, 50, 50]),  # in order of arrival
        (2, [(0, 100), (10, 100), (20, 5)], [0, 0, 80]),  # the node that frees first
    ],
)
def test_runs_wait_in_arrival_order_for_the_first_free_node(sizing, nodes, runs, waits):
    found, _ = sizing.simulate(runs, nodes, 1, math.inf, 0)
    assert found == waits


@pytest.mark.parametrize(("gap", "wait"), [(500, 0), (700, 240)])
def test_a_node_idle_longer_than_the_scale_down_time_must_start_again(sizing, gap, wait):
    runs = [(0, 100), (340 + gap, 100)]  # the first run's node starts, then frees at 340
    found, _ = sizing.simulate(runs, 1, 1, 600, 240)
    assert found == [240, wait]


def test_the_load_is_node_time_per_working_hour(sizing):
    _, load = sizing.simulate([(0, sizing.WORKDAY)], 2, 1, math.inf, 0)
    assert load == pytest.approx(0.5)


def test_a_node_must_hold_both_deploys_the_client_and_the_executor(sizing, project_root):
    config = load_config(project_root / "examples" / "perfbot.yaml")
    job = config.repos["datafuselabs/databend"].jobs["databend-sql"]
    model = sizing.job_model(job)
    assert model.cpu == pytest.approx(2 * 4 + 1 + 3 * sizing.EXECUTOR_CPU)
    assert model.memory_mi == pytest.approx((2 * 8 + 1) * 1024 + 3 * sizing.EXECUTOR_MEMORY_MI)
    assert model.budget == job.deploy.readiness.initial_delay_seconds + 2 * 90 + 3600


def test_the_script_prints_a_table_for_every_team_and_pool(sizing, capsys):
    assert sizing.main(["--days", "5"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line[:5].strip().isdigit()]
    assert len(rows) == len(sizing.TEAMS) * len(sizing.POOLS)


def test_bad_settings_are_refused_with_a_message(sizing, capsys):
    with pytest.raises(SystemExit) as exit_info:
        sizing.main(["--flag-rate", "2"])
    assert exit_info.value.code == 2
    assert "--flag-rate" in capsys.readouterr().err
