"""Change points on the dashboard: marked on a benchmark's trend and listed per job."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.bot.stack import Stack
from tests.history.builders import JOB, REPO, main_sha, record_main_series

RUNS = 50
STEP_AT = 25
SERIES = {"GET /search": 0.10, "GET /flat": 0.0, "GET /faster": -0.20}


@pytest.fixture
def stepped(stack: Stack, store_target: str) -> Stack:
    rng = np.random.default_rng(4)
    series = {}
    for name, step in SERIES.items():
        values = 0.010 * np.exp(0.01 * rng.standard_normal(RUNS))
        values[STEP_AT:] *= 1 + step
        series[name] = values.tolist()
    record_main_series(store_target, series)
    return stack


def page(stack: Stack, path: str, **query: str) -> str:
    response = stack.client.get(path, query_string={"repo": REPO, "job": JOB, **query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("name", "changes"), [("GET /search", 1), ("GET /faster", 1)])
def test_a_benchmark_page_marks_and_lists_its_change_point(
    stepped: Stack, name: str, changes: int
) -> None:
    shown = page(stepped, "/benchmark", name=name)

    assert len(re.findall(r'<circle[^>]*class="dot', shown)) == RUNS + changes
    assert f"{main_sha(STEP_AT - 1)[:7]}..{main_sha(STEP_AT)[:7]}" in shown
    sign = "+" if SERIES[name] > 0 else "-"
    assert re.search(rf"{re.escape(sign)}\d+\.\d %", shown)


def test_a_benchmark_page_without_a_change_point_says_so(stepped: Stack) -> None:
    shown = page(stepped, "/benchmark", name="GET /flat")

    assert len(re.findall(r'<circle[^>]*class="dot', shown)) == RUNS
    assert "No change point" in shown


def test_the_job_change_points_page_lists_the_benchmarks_that_moved(stepped: Stack) -> None:
    shown = page(stepped, "/changes")

    assert "GET /search" in shown
    assert "GET /faster" in shown
    assert "GET /flat" not in shown
    assert shown.count(main_sha(STEP_AT)[:7]) >= 2


def test_the_job_change_points_page_counts_the_runs_it_looked_at(stepped: Stack) -> None:
    shown = page(stepped, "/changes")

    assert f"over the last {RUNS} main-branch runs (at most 200)" in shown
