"""`perfbot history --change-points`: where main moved, per benchmark, as text and JSON."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner

from tests.history.builders import main_sha, record_main_series
from workflows.cli import main

RUNS = 50
STEP_AT = 25


def level(step: float, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    values = 0.010 * np.exp(0.01 * rng.standard_normal(RUNS))
    values[STEP_AT:] *= 1 + step
    return values.tolist()


@pytest.fixture
def stepped(store_target: str) -> str:
    record_main_series(
        store_target,
        {"GET /search": level(0.10, 1), "GET /flat": level(0.0, 2), "GET /faster": level(-0.2, 3)},
    )
    return store_target


def history(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["history", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("benchmark", "steps"),
    [("GET /search", [0.10]), ("GET /flat", []), ("GET /faster", [-0.20])],
)
def test_change_points_of_a_benchmark_as_json_name_the_commit_and_the_step(
    stepped: str, benchmark: str, steps: list[float]
) -> None:
    code, output = history(
        "--store", stepped, "--benchmark", benchmark, "--change-points", "--format", "json"
    )

    found = json.loads(output)["change_points"]
    assert code == 0
    assert [(c["commit"], c["previous"]) for c in found] == [
        (main_sha(STEP_AT), main_sha(STEP_AT - 1)) for _ in steps
    ]
    assert [c["magnitude"] for c in found] == pytest.approx(steps, abs=0.02)
    assert all(c["p_value"] <= 0.01 and c["benchmark"] == benchmark for c in found)


def test_change_points_of_every_benchmark_list_only_those_that_moved(stepped: str) -> None:
    code, output = history("--store", stepped, "--change-points", "--format", "json")

    found = json.loads(output)["change_points"]
    assert code == 0
    assert sorted(c["benchmark"] for c in found) == ["GET /faster", "GET /search"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--benchmark", "GET /search"], [main_sha(STEP_AT)[:12], r"\+\d+\.\d %", "GET /search"]),
        ([], ["GET /search", "GET /faster", r"-\d+\.\d %", "change points: 2"]),
        (["--benchmark", "GET /flat"], ["change points: none"]),
    ],
)
def test_change_points_as_text_say_commit_size_and_benchmark(
    stepped: str, args: list[str], expected: list[str]
) -> None:
    code, output = history("--store", stepped, "--change-points", *args)

    assert code == 0
    for pattern in expected:
        assert re.search(pattern, output), pattern
