"""The follow-up pool: acknowledgements after the answer, bounded, drained on shutdown."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot.shared.followups import FollowupPool, Followups
from bot.shared.metrics import Metrics


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def pool(metrics: Metrics) -> Iterator[FollowupPool]:
    followups = FollowupPool(workers=1, capacity=2, budget=5.0, metrics=metrics)
    yield followups
    followups.close(timeout=5)


def counted(metrics: Metrics, outcome: str) -> float:
    value = metrics.registry.get_sample_value("perfbot_followups_total", {"outcome": outcome})
    return value or 0.0


def test_a_failing_step_is_logged_and_the_next_step_still_runs(
    pool: FollowupPool, metrics: Metrics, caplog
) -> None:
    done: list[str] = []
    followups = Followups("d-1")
    followups.add("react to the command", lambda: 1 / 0)
    followups.add("reply on the pull request", lambda: done.append("reply"))

    pool.submit(followups)

    assert pool.wait_idle(5)
    assert done == ["reply"]
    assert "delivery d-1: could not react to the command: division by zero" in caplog.text
    assert counted(metrics, "failed") == 1


def test_when_the_queue_is_full_acknowledgements_are_dropped_and_counted(
    pool: FollowupPool, metrics: Metrics, caplog
) -> None:
    release = threading.Event()
    accepted = []
    for number in range(3):
        followups = Followups(f"d-{number}")
        followups.add("wait", release.wait)
        accepted.append(pool.submit(followups))
    release.set()

    assert accepted == [True, True, False]  # capacity 2: one running, one waiting
    assert pool.wait_idle(5)
    assert counted(metrics, "dropped") == 1
    assert "delivery d-2: 1 acknowledgement step(s) dropped" in caplog.text


def test_closing_finishes_the_queued_work_first(metrics: Metrics) -> None:
    pool = FollowupPool(workers=1, capacity=10, budget=5.0, metrics=metrics)
    done: list[int] = []
    for number in range(5):
        followups = Followups(f"d-{number}")
        followups.add("note", lambda n=number: done.append(n))
        pool.submit(followups)

    assert pool.close(timeout=5)
    assert sorted(done) == [0, 1, 2, 3, 4]
    assert not pool.submit(_one_step("late"))  # closed: dropped, not run half-way


def test_a_discarded_delivery_queues_nothing(pool: FollowupPool, metrics: Metrics) -> None:
    followups = _one_step("d-dup")
    followups.discard()
    assert pool.submit(followups)
    assert pool.wait_idle(1)
    assert counted(metrics, "done") == 0


def _one_step(delivery: str) -> Followups:
    followups = Followups(delivery)
    followups.add("nothing", lambda: None)
    return followups
