"""The demo says up front how long it will take: the first measurement, the confirmation it
runs when an endpoint is flagged, and what the machine's load now makes of it."""

from __future__ import annotations

import pytest

from workflows.local.demo_estimate import IDLE, estimate, sentence

SHOP = {"SHOP_BENCH_BATCH": "100", "SHOP_BENCH_SAMPLES": "8"}


def test_the_idle_figures_at_the_demos_own_size_add_up_to_the_measured_run() -> None:
    found = estimate(rounds=10, confirm_rounds=10, environ={}, load=0.0, cpus=2)
    assert round(found.first + found.setup) == IDLE.first + IDLE.setup
    assert round(found.confirmation) == IDLE.confirmation
    assert found.busy == 1.0


@pytest.mark.parametrize(
    ("rounds", "environ", "ratio"),
    [
        (20, {}, 2.0),  # twice the rounds
        (10, {"SHOP_BENCH_BATCH": "50"}, 0.5),  # half the requests a batch
        (10, {"SHOP_BENCH_SAMPLES": "2"}, 0.25),
        (10, {"SHOP_BENCH_BATCH": "nonsense"}, 1.0),  # the client's default then
    ],
)
def test_the_benchmark_time_scales_with_the_requests_it_makes(rounds, environ, ratio) -> None:
    base = estimate(rounds=10, confirm_rounds=10, environ=SHOP, load=0.0, cpus=2)
    found = estimate(rounds=rounds, confirm_rounds=10, environ=environ, load=0.0, cpus=2)
    assert found.first == pytest.approx(base.first * ratio)


@pytest.mark.parametrize(("load", "cpus", "busy"), [(0.5, 2, 1.0), (4.0, 2, 2.0), (9.0, 2, 4.5)])
def test_a_busy_machine_stretches_the_estimate_by_its_load_per_cpu(load, cpus, busy) -> None:
    assert estimate(rounds=10, confirm_rounds=10, environ={}, load=load, cpus=cpus).busy == busy


def test_the_sentence_names_the_confirmation_and_the_load() -> None:
    text = sentence(estimate(rounds=10, confirm_rounds=10, environ={}, load=6.0, cpus=2))
    assert "about 57 s on an idle 2-core machine" in text
    assert "19 s of it confirming a flagged endpoint" in text
    assert "load 6.0 on 2 CPUs" in text
    assert "about 171 s" in text


def test_on_an_idle_machine_the_sentence_does_not_mention_load() -> None:
    text = sentence(estimate(rounds=10, confirm_rounds=10, environ={}, load=0.3, cpus=2))
    assert "load" not in text
