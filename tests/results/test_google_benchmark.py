"""Google Benchmark JSON: iteration rows preferred, aggregates when alone, rate counters."""

from __future__ import annotations

import json

import pytest

from workflows.results import Direction, ResultsError, load_results


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


def _row(name, real_time=100.0, **extra):
    return {"name": name, "run_name": name, "run_type": "iteration", "iterations": 1000,
            "real_time": real_time, "cpu_time": real_time, "time_unit": "ns", **extra}  # fmt: skip


# Case 1: `->Complexity()` adds `_BigO` and `_RMS` aggregate rows, with no `real_time`.
@pytest.mark.parametrize("name", ["real_binarygap.json", "test1_run1.json", "test1_run2.json"])
def test_a_file_with_complexity_rows_loads(cases_dir, name):
    results = load_results(cases_dir / "gbench" / name)
    assert results.format == "google-benchmark"
    assert not [n for n in results.benchmarks if "BigO" in n or "RMS" in n]


def test_complexity_rows_are_left_out_and_said_so(cases_dir):
    results = load_results(cases_dir / "gbench" / "real_binarygap.json")
    assert list(results.benchmarks) == [
        "BM_BinaryGap/1", "BM_BinaryGap/8", "BM_BinaryGap/64", "BM_BinaryGap/512",
        "BM_BinaryGap/1024", "BM_FrogJump", "BM_SliceSum",
    ]  # fmt: skip
    assert any("BM_BinaryGap_BigO" in w for w in results.metadata["warnings"])


# Case 2: skipped (SkipWithMessage) and failed rows report 0 s; they are not samples.
def test_a_benchmark_whose_rows_are_all_skipped_is_absent_with_its_message(cases_dir):
    results = load_results(cases_dir / "constructed" / "gb_skipped_head.json")
    assert "BM_NeedsGPU" not in results.benchmarks
    assert any("BM_NeedsGPU" in w and "no GPU" in w for w in results.metadata["warnings"])


def test_the_base_of_the_skipped_case_keeps_every_real_run(cases_dir):
    results = load_results(cases_dir / "constructed" / "gb_skipped_base.json")
    assert len(results.benchmarks["BM_NeedsGPU"].samples) == 10
    assert "warnings" not in results.metadata


@pytest.mark.parametrize(
    "flag", [{"skipped": True, "skip_message": "later"}, {"error_occurred": True}]
)
def test_a_skipped_or_failed_row_among_runs_is_not_a_sample(write_json, flag):
    rows = [_row("BM_A", 100.0), _row("BM_A", 0.0, **flag), _row("BM_A", 102.0)]
    results = load_results(write_json("gb.json", {"context": {}, "benchmarks": rows}))
    assert results.benchmarks["BM_A"].samples == pytest.approx((100e-9, 102e-9))


# Case 3: before run_type (1.4.1 and older) aggregates are rows named `<name>_mean` etc.
@pytest.mark.parametrize("name", ["gb_v141_base.json", "gb_v141_head.json"])
def test_old_aggregate_rows_belong_to_their_benchmark(cases_dir, name):
    results = load_results(cases_dir / "constructed" / name)
    assert list(results.benchmarks) == ["BM_Repeat/repeats:10"]
    assert len(results.benchmarks["BM_Repeat/repeats:10"].samples) == 10


def test_old_aggregates_without_a_repetition_count_are_left_out_and_said_so(write_json):
    rows = [
        {"name": "BM_A", "iterations": 10, "real_time": 5.0, "time_unit": "ns"},
        {"name": "BM_B_mean", "iterations": 10, "real_time": 7.0, "time_unit": "ns"},
        {"name": "BM_B_stddev", "iterations": 10, "real_time": 0.1, "time_unit": "ns"},
    ]
    results = load_results(write_json("gb.json", {"benchmarks": rows}))
    assert list(results.benchmarks) == ["BM_A"]
    assert any("BM_B" in w for w in results.metadata["warnings"])


def test_a_name_ending_in_mean_is_a_benchmark_where_run_type_says_so(write_json):
    rows = [_row("BM_running_mean"), _row("BM_running_mean", 101.0)]
    results = load_results(write_json("gb.json", {"benchmarks": rows}))
    assert len(results.benchmarks["BM_running_mean"].samples) == 2


# Case 4: aggregate rows without a `mean` aggregate.
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("test3_run0.json", ["BM_Two", "medium"]),
        ("test3_run1.json", ["BM_One", "BM_Two", "short", "medium"]),
    ],
)
def test_aggregates_without_a_mean_do_not_fail_the_file(cases_dir, name, expected):
    assert list(load_results(cases_dir / "gbench" / name).benchmarks) == expected


def test_a_benchmark_with_aggregates_but_no_mean_is_named_in_the_warnings(cases_dir):
    warnings = load_results(cases_dir / "gbench" / "test3_run0.json").metadata["warnings"]
    assert any("BM_One" in w and "no mean" in w for w in warnings)
    assert any("short" in w for w in warnings)


def test_a_file_with_nothing_but_such_aggregates_is_refused_with_the_reason(cases_dir):
    with pytest.raises(ResultsError, match=r"whocares.*no mean"):
        load_results(cases_dir / "gbench" / "test4_run0.json")


# One measurement, one test: a row's rate counters derive from its time.
def test_rate_counters_name_the_time_metric_as_their_measurement(data_dir):
    results = load_results(data_dir / "google-benchmark-repetitions.json")
    rate = results.benchmarks["BM_Sort/1024 [items_per_second]"]
    assert rate.metadata["measurement"] == "BM_Sort/1024"
    assert "measurement" not in results.benchmarks["BM_Sort/1024"].metadata
