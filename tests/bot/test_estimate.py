"""How long a run should take: the job's limits, and the job's earlier runs Argo still keeps."""

from __future__ import annotations

import pytest

from bot.runs.estimate import estimate, limits
from tests.standins.argo_server import ArgoStandIn
from workflows.argo import ArgoClient
from workflows.config import PerfbotConfig


@pytest.fixture
def api(config: PerfbotConfig):
    return config.job("api")  # build 1 h, readiness 2 s + 60 x 2 s, benchmark 1 h, deadline 2 h


def history(argo: ArgoStandIn, client: ArgoClient, runs: list[tuple]) -> list:
    """`runs`: (phase, minutes in all, minutes of benchmark, rounds), one hour apart."""
    for index, (phase, total, bench, rounds) in enumerate(runs):
        name = f"perf-old-{index}"
        argo.add_workflow(name, {"perfbot/job": "api"})
        argo.created_at(name, f"2024-05-01T{index:02d}:00:00Z")
        end = f"2024-05-01T{index:02d}:{total:02d}:00Z"
        bench_start = f"2024-05-01T{index:02d}:{total - bench - 1:02d}:00Z"
        bench_end = f"2024-05-01T{index:02d}:{total - 1:02d}:00Z"
        argo.finish(
            name,
            phase,
            started=f"2024-05-01T{index:02d}:00:00Z",
            finished=end,
            benchmark=(bench_start, bench_end, rounds),
        )
    return client.list_workflows({}, running_only=False)


def test_the_limits_add_up_the_stages_and_stop_at_the_deadline(api) -> None:
    seconds, parts = limits(api, 10)
    assert seconds == 7200  # 3600 + 122 + 3600 is over the job's deadline
    assert parts == (
        "builds up to 1 h",
        "deploys up to 2 min",
        "10 rounds per side up to 1 h",
        "the job's deadline is 2 h",
    )


def test_without_earlier_runs_only_the_limit_is_said(api) -> None:
    assert estimate(api, 10, []).sentence(10) == (
        "It should take at most 2 h: builds up to 1 h, deploys up to 2 min, "
        "10 rounds per side up to 1 h, the job's deadline is 2 h "
        "(no earlier run of this job to go by)."
    )


def test_the_median_of_the_newest_succeeded_runs_is_the_typical_duration(
    api, argo: ArgoStandIn, argo_client: ArgoClient
) -> None:
    runs = history(
        argo,
        argo_client,
        [
            ("Succeeded", 20, 10, 10),
            ("Succeeded", 30, 10, 10),
            ("Failed", 50, 10, 10),
            ("Succeeded", 40, 10, 10),
        ],
    )
    result = estimate(api, 10, runs)
    assert (result.typical, result.history, result.scaled) == (30 * 60, 3, False)
    assert result.sentence(10).startswith(
        "It should take about 30 min (the median of this job's last 3 runs), and at most 2 h"
    )


def test_earlier_runs_with_other_rounds_have_their_benchmark_scaled(
    api, argo: ArgoStandIn, argo_client: ArgoClient
) -> None:
    runs = history(argo, argo_client, [("Succeeded", 30, 20, 10)])  # 10 min + 20 min bench
    result = estimate(api, 20, runs)
    assert (result.typical, result.scaled) == ((10 + 40) * 60, True)
    assert "(as this job's last run did, scaled to 20 rounds)" in result.sentence(20)


@pytest.mark.parametrize(
    ("ahead", "said"),
    [
        (0, None),
        (1, "1 run is waiting for a benchmark node ahead of it."),
        (3, "3 runs are waiting for a benchmark node ahead of it."),
    ],
)
def test_runs_ahead_on_the_semaphore_are_said_when_there_are(
    api, ahead: int, said: str | None
) -> None:
    sentence = estimate(api, 10, []).sentence(10, ahead)
    if said is None:
        assert "benchmark node" not in sentence
    else:
        assert sentence.endswith(" " + said)
