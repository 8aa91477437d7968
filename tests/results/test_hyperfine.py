"""hyperfine --export-json: raw `times` per command, in seconds."""

from __future__ import annotations

import pytest

from workflows.results import load_results


def test_each_command_is_a_benchmark_with_its_run_times(data_dir):
    results = load_results(data_dir / "hyperfine.json")
    assert results.format == "hyperfine"
    assert list(results.benchmarks) == ["rg -c PM_RESUME linux/", "grep -rc PM_RESUME linux/"]
    rg = results.benchmarks["rg -c PM_RESUME linux/"]
    assert rg.unit == "s"
    assert len(rg.samples) == 10
    assert rg.stats().mean == pytest.approx(0.20491546718)


def test_a_single_run_with_null_stddev_loads_as_one_sample(data_dir):
    bench = load_results(data_dir / "hyperfine-single-run.json").benchmarks["make -j8"]
    assert bench.samples == (41.27342891,)
    assert bench.stats().stddev is None


def test_parameter_scans_keep_their_parameters(data_dir):
    results = load_results(data_dir / "hyperfine-parameters.json")
    assert results.benchmarks["sleep 0.2"].metadata == {"parameters": {"delay": "0.2"}}


def test_an_export_without_times_falls_back_to_its_summary(write_json):
    row = {"command": "old", "mean": 1.5, "stddev": 0.1, "median": 1.49, "min": 1.3, "max": 1.7,
           "user": 1.0, "system": 0.1, "exit_codes": [0, 0, 0, 0, 0, 0]}  # fmt: skip
    bench = load_results(write_json("old.json", {"results": [row]})).benchmarks["old"]
    assert bench.summary_only
    assert bench.count == 6
    assert bench.stats().mean == 1.5
