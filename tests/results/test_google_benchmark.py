"""Google Benchmark JSON: iteration rows preferred, aggregates when alone, rate counters."""

from __future__ import annotations

import json

import pytest

from workflows.results import Direction, load_results


def test_repetitions_are_the_samples_and_aggregate_rows_are_ignored(data_dir):
    results = load_results(data_dir / "google-benchmark-repetitions.json")
    bench = results.benchmarks["BM_Sort/1024"]
    assert not bench.summary_only
    assert len(bench.samples) == 6
    document = json.loads((data_dir / "google-benchmark-repetitions.json").read_text("utf-8"))
    first = next(r for r in document["benchmarks"] if r["run_type"] == "iteration")
    assert bench.samples[0] == pytest.approx(first["real_time"] * 1e-9)  # time_unit ns


def test_items_per_second_is_its_own_higher_is_better_metric(data_dir):
    results = load_results(data_dir / "google-benchmark-repetitions.json")
    rate = results.benchmarks["BM_Sort/1024 [items_per_second]"]
    assert rate.direction is Direction.HIGHER
    assert rate.unit == "items/s"
    assert "BM_Hash<std::string> [items_per_second]" not in results.benchmarks


def test_aggregates_only_output_is_summary_only_over_the_repetitions(data_dir):
    results = load_results(data_dir / "google-benchmark-aggregates.json")
    bench = results.benchmarks["BM_Sort/32768"]
    assert bench.summary_only
    stats = bench.stats()
    assert stats.n == 6
    assert stats.stddev is not None
    assert stats.median is not None


def test_a_single_run_loads_and_failed_rows_are_skipped(data_dir):
    results = load_results(data_dir / "google-benchmark.json")
    assert "BM_Flaky" not in results.benchmarks
    assert results.benchmarks["BM_Hash<std::string>"].samples == pytest.approx(
        (results.benchmarks["BM_Hash<std::string>"].samples[0],)
    )
    assert len(results.benchmarks["BM_Sort/1024"].samples) == 1


def test_the_time_unit_of_each_row_is_honoured(write_json):
    rows = [
        {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "real_time": 2.0,
         "cpu_time": 2.0, "time_unit": "ms", "iterations": 10},
        {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "real_time": 2100.0,
         "cpu_time": 2100.0, "time_unit": "us", "iterations": 10},
    ]  # fmt: skip
    path = write_json("gb.json", {"context": {}, "benchmarks": rows})
    assert load_results(path).benchmarks["BM_A"].samples == pytest.approx((0.002, 0.0021))
