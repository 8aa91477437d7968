"""hyperfine --export-json: raw `times` per command, in seconds."""

from __future__ import annotations

import json

import pytest

from workflows.results import ResultsError, load_results


def test_each_command_is_a_benchmark_with_its_run_times(data_dir):
    results = load_results(data_dir / "hyperfine.json")
    assert results.format == "hyperfine"
    timed = [n for n, b in results.benchmarks.items() if "metric_of" not in b.metadata]
    assert timed == ["rg -c PM_RESUME linux/", "grep -rc PM_RESUME linux/"]
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


# Case 9: with `hyperfine -i`, runs that exited non-zero are timings of a failure.
def test_failed_runs_are_not_samples(cases_dir):
    bench = load_results(cases_dir / "constructed" / "hf_failing_head.json").benchmarks[
        "./tool input.txt"
    ]
    assert len(bench.samples) == 5
    assert min(bench.samples) > 0.4  # the 10 ms failures are gone


def test_failed_runs_are_counted_in_the_benchmark_and_warned_about(cases_dir):
    results = load_results(cases_dir / "constructed" / "hf_failing_head.json")
    assert results.benchmarks["./tool input.txt"].metadata["failed_runs"] == 5
    assert any("./tool input.txt" in w and "5 of 10" in w for w in results.metadata["warnings"])


def test_a_run_without_failures_carries_no_failure_count(cases_dir):
    results = load_results(cases_dir / "constructed" / "hf_failing_base.json")
    assert "failed_runs" not in results.benchmarks["./tool input.txt"].metadata
    assert "warnings" not in results.metadata


def _row(times, exit_codes):
    summary = {"mean": sum(times) / len(times), "stddev": 0.1, "min": min(times), "max": max(times)}
    return {"command": "tool", **summary, "times": times, "exit_codes": exit_codes}


def test_a_run_killed_by_a_signal_counts_as_failed(write_json):
    row = _row([0.5, 0.51, 0.2], [0, 0, None])  # hyperfine writes null for a signal
    bench = load_results(write_json("hf.json", {"results": [row]})).benchmarks["tool"]
    assert bench.samples == (0.5, 0.51)


# (exit codes, what the error says)
REFUSED = [
    ([1, 2, 1], r"tool.*every one of its 3 runs failed"),
    ([0, 0], r"results\[0\]\.exit_codes has 2 entries for 3 times"),
]


@pytest.mark.parametrize(("exit_codes", "message"), REFUSED)
def test_a_command_that_always_failed_or_miscounts_is_an_error(write_json, exit_codes, message):
    path = write_json("hf.json", {"results": [_row([0.5, 0.51, 0.2], exit_codes)]})
    with pytest.raises(ResultsError, match=message):
        load_results(path)


def test_a_summary_that_includes_failed_runs_is_refused(write_json):
    row = {"command": "old", "mean": 1.5, "stddev": 0.1, "exit_codes": [0, 1, 0]}
    with pytest.raises(ResultsError, match=r"old.*1 of 3 runs failed"):
        load_results(write_json("old.json", {"results": [row]}))


def test_hyperfines_own_cpu_time_is_a_metric_of_its_command(data_dir):
    results = load_results(data_dir / "hyperfine.json")
    cpu = results.benchmarks["rg -c PM_RESUME linux/ [cpu]"]
    assert cpu.metadata == {"metric": "cpu", "metric_of": "rg -c PM_RESUME linux/"}
    assert cpu.unit == "s"
    row = json.loads((data_dir / "hyperfine.json").read_text())["results"][0]
    assert cpu.samples == (pytest.approx(row["user"] + row["system"]),)


@pytest.mark.parametrize(
    ("row", "has_cpu"),
    [
        ({"user": 0.1, "system": 0.02}, True),
        ({"user": 0.1}, False),
        ({}, False),
        ({"user": 0.1, "system": 0.02, "exit_codes": [0, 1]}, False),  # the mean has a failure
    ],
)
def test_cpu_time_is_taken_only_when_hyperfine_gave_it_for_good_runs(write_json, row, has_cpu):
    document = {"results": [{"command": "x", "mean": 1.0, "times": [1.0, 1.1], **row}]}
    results = load_results(write_json("h.json", document))
    assert ("x [cpu]" in results.benchmarks) is has_cpu
