"""`go test -bench` text: -count repeats, one metric per unit, custom units."""

from __future__ import annotations

import pytest

from workflows.results import Direction, ResultsError, load_results


@pytest.fixture(scope="module")
def results(data_dir):
    return load_results(data_dir / "go-bench.txt")


def test_count_repeats_become_samples_and_the_gomaxprocs_suffix_is_dropped(results):
    bench = results.benchmarks["BenchmarkSearch/steel"]
    assert len(bench.samples) == 5
    assert bench.unit == "s/op"
    assert bench.samples[0] == pytest.approx(23287.2e-9)


# (metric name, canonical unit, direction)
METRICS = [
    ("BenchmarkDecode [MB/s]", "B/s", Direction.HIGHER),
    ("BenchmarkDecode [B/op]", "B/op", Direction.LOWER),
    ("BenchmarkDecode [allocs/op]", "allocs/op", Direction.LOWER),
    ("BenchmarkIndex [hits/op]", "hits/op", Direction.LOWER),
]


@pytest.mark.parametrize(("name", "unit", "direction"), METRICS)
def test_every_other_unit_is_a_separate_metric(results, name, unit, direction):
    bench = results.benchmarks[name]
    assert (bench.unit, bench.direction, len(bench.samples)) == (unit, direction, 5)


def test_header_lines_become_metadata_and_log_lines_are_ignored(results):
    assert results.metadata["goos"] == "linux"
    assert results.metadata["pkg"] == "github.com/example/shop/catalogue"
    assert len(results.benchmarks) == 11


def test_several_packages_qualify_the_names(data_dir):
    results = load_results(data_dir / "go-bench-packages.txt")
    assert list(results.benchmarks) == [
        "github.com/example/shop/catalogue.BenchmarkParse",
        "github.com/example/shop/orders.BenchmarkParse",
    ]


def test_text_without_benchmark_lines_is_refused_when_forced(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("PASS\nok  \texample.com/x\t0.01s\n", encoding="utf-8")
    with pytest.raises(ResultsError, match=r"no `Benchmark\.\.\.` result lines"):
        load_results(path, "go-bench")
