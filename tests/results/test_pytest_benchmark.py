"""pytest-benchmark --benchmark-json, with raw rounds (`stats.data`) and without them."""

from __future__ import annotations

import json

import pytest

from workflows.results import load_results


def test_raw_rounds_become_the_samples(data_dir):
    results = load_results(data_dir / "pytest-benchmark-data.json")
    document = json.loads((data_dir / "pytest-benchmark-data.json").read_text(encoding="utf-8"))
    first = document["benchmarks"][0]
    bench = results.benchmarks[first["fullname"]]
    assert not bench.summary_only
    assert bench.samples == pytest.approx(first["stats"]["data"])


def test_benchmarks_are_named_by_fullname_which_is_unique_across_modules(data_dir):
    results = load_results(data_dir / "pytest-benchmark-data.json")
    assert list(results.benchmarks) == [
        "tests/perf/test_parse.py::test_parse[small]",
        "tests/perf/test_parse.py::test_parse[large]",
        "tests/perf/test_render.py::test_render_invoice",
    ]


def test_without_raw_data_the_statistics_are_kept_and_flagged(data_dir):
    results = load_results(data_dir / "pytest-benchmark.json")
    bench = results.benchmarks["tests/perf/test_parse.py::test_parse[large]"]
    assert bench.summary_only
    assert bench.count == 12
    stats = bench.stats()
    assert stats.stddev is not None
    assert stats.median is not None
    assert stats.iqr is not None


def test_commit_and_machine_are_kept_as_metadata(data_dir):
    metadata = load_results(data_dir / "pytest-benchmark.json").metadata
    assert metadata["commit"].startswith("8d41b07c9e20")
    assert metadata["machine"] == "ci-bench-02"


@pytest.mark.parametrize(
    ("timer", "metric"),
    [
        ("time.process_time", "cpu"),
        ("process_time", "cpu"),
        ("time.perf_counter", None),
        (None, None),
    ],
)
def test_a_run_timed_with_process_time_is_named_cpu_time(write_json, timer, metric):
    options = {} if timer is None else {"options": {"timer": timer}}
    row = {"name": "t", "fullname": "m.py::t", "stats": {"data": [1.0, 1.1]}, **options}
    bench = load_results(write_json("p.json", {"benchmarks": [row]})).benchmarks["m.py::t"]
    assert bench.metadata.get("metric") == metric
