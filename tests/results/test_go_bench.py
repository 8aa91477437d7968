"""`go test -bench` text: -count repeats, one metric per unit, custom units, configurations."""

from __future__ import annotations

import pytest

from workflows.results import Direction, ResultsError, load_results

PKG = "github.com/example/shop/catalogue"


@pytest.fixture(scope="module")
def results(data_dir):
    return load_results(data_dir / "go-bench.txt")


def test_count_repeats_become_samples_of_the_package_qualified_name(results):
    bench = results.benchmarks[f"{PKG}.BenchmarkSearch/steel-8"]
    assert len(bench.samples) == 5
    assert bench.unit == "s/op"
    assert bench.samples[0] == pytest.approx(23287.2e-9)


# (metric name, canonical unit, direction)
METRICS = [
    (f"{PKG}.BenchmarkDecode-8 [MB/s]", "B/s", Direction.HIGHER),
    (f"{PKG}.BenchmarkDecode-8 [B/op]", "B/op", Direction.LOWER),
    (f"{PKG}.BenchmarkDecode-8 [allocs/op]", "allocs/op", Direction.LOWER),
    (f"{PKG}.BenchmarkIndex-8 [hits/op]", "hits/op", Direction.LOWER),
]


@pytest.mark.parametrize(("name", "unit", "direction"), METRICS)
def test_every_other_unit_is_a_separate_metric(results, name, unit, direction):
    bench = results.benchmarks[name]
    assert (bench.unit, bench.direction, len(bench.samples)) == (unit, direction, 5)


def test_header_lines_become_metadata_and_log_lines_are_ignored(results):
    assert results.metadata["goos"] == "linux"
    assert results.metadata["pkg"] == PKG
    assert len(results.benchmarks) == 11


def test_several_packages_qualify_the_names(data_dir):
    results = load_results(data_dir / "go-bench-packages.txt")
    assert list(results.benchmarks) == [
        "github.com/example/shop/catalogue.BenchmarkParse-4",
        "github.com/example/shop/orders.BenchmarkParse-4",
    ]


def test_text_without_benchmark_lines_is_refused_when_forced(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("PASS\nok  \texample.com/x\t0.01s\n", encoding="utf-8")
    with pytest.raises(ResultsError, match=r"no `Benchmark\.\.\.` result lines"):
        load_results(path, "go-bench")


def test_without_a_pkg_line_names_are_as_written(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("BenchmarkA-4 10 5 ns/op\nBenchmarkA-4 10 6 ns/op\n", encoding="utf-8")
    assert list(load_results(path).benchmarks) == ["BenchmarkA-4"]


# Case 5: `-cpu=1,2,4,...` runs are configurations, not samples of one benchmark.
def test_each_gomaxprocs_is_its_own_benchmark(cases_dir):
    results = load_results(cases_dir / "gobench" / "concurrency_cpu_list.txt")
    conc = [n for n in results.benchmarks if n.startswith("concurrency/examples/conc.")]
    assert [n.removeprefix("concurrency/examples/conc.") for n in conc if "[" not in n] == [
        "BenchmarkConcPool", "BenchmarkConcPool-2", "BenchmarkConcPool-4", "BenchmarkConcPool-8",
        "BenchmarkConcPool-12", "BenchmarkConcPool-16", "BenchmarkConcPool-24",
        "BenchmarkConcPool-32",
    ]  # fmt: skip
    assert all(len(results.benchmarks[n].samples) == 1 for n in conc)


def test_a_head_that_adds_cpu_values_keeps_the_names_of_the_base(tmp_path):
    (tmp_path / "base.txt").write_text("pkg: p\nBenchmarkA-8 10 5 ns/op\n", encoding="utf-8")
    (tmp_path / "head.txt").write_text(
        "pkg: p\nBenchmarkA-4 10 9 ns/op\nBenchmarkA-8 10 5 ns/op\n", encoding="utf-8"
    )
    base, head = load_results(tmp_path / "base.txt"), load_results(tmp_path / "head.txt")
    assert set(base.benchmarks) < set(head.benchmarks)


# Case 6: a head that adds a package must not rename the benchmarks of the base.
def test_a_head_that_adds_a_package_keeps_the_names_of_the_base(cases_dir):
    one = load_results(cases_dir / "gobench" / "pkg_one.txt")
    two = load_results(cases_dir / "gobench" / "pkg_two.txt")
    assert set(one.benchmarks) < set(two.benchmarks)


# Case 7: a directory of one-package files keeps equal names of different packages apart.
def test_equal_names_in_different_packages_of_a_directory_do_not_merge(cases_dir):
    results = load_results(cases_dir / "constructed" / "go_two_pkgs_base")
    assert {n: len(b.samples) for n, b in results.benchmarks.items()} == {
        "encoding/gob.BenchmarkEncode-8": 10,
        "encoding/json.BenchmarkEncode-8": 10,
    }


# Case 8: any `key: value` line is configuration; a file of two configurations stays apart.
def test_runs_under_different_configuration_lines_are_named_by_the_differing_keys(cases_dir):
    results = load_results(cases_dir / "benchstat" / "issue19634.txt")
    assert {n: len(b.samples) for n, b in results.benchmarks.items()} == {
        "BenchmarkFloatSub/100-4 (note=before)": 5,
        "BenchmarkFloatSub/100-4 (note=after)": 5,
    }
    assert any("note" in w for w in results.metadata["warnings"])


def test_a_split_file_reads_like_its_split_halves(cases_dir):
    whole = load_results(cases_dir / "benchstat" / "issue19634.txt").benchmarks
    before = load_results(cases_dir / "benchstat" / "split" / "issue19634.before.txt").benchmarks
    assert whole["BenchmarkFloatSub/100-4 (note=before)"].samples == (
        before["BenchmarkFloatSub/100-4"].samples
    )


# (file text, expected names): configuration lines per the Go benchmark format.
CONFIGURATIONS = [
    ("note: a\nBenchmarkA 1 5 ns/op\nBenchmarkB 1 5 ns/op\nnote: b\nBenchmarkA 1 6 ns/op\n",
     ["BenchmarkA (note=a)", "BenchmarkB", "BenchmarkA (note=b)"]),
    ("goarch: amd64\nBenchmarkA 1 5 ns/op\ngoarch: arm64\nBenchmarkA 1 6 ns/op\n",
     ["BenchmarkA (goarch=amd64)", "BenchmarkA (goarch=arm64)"]),
    ("note: a\nBenchmarkA 1 5 ns/op\nnote:\nBenchmarkA 1 6 ns/op\n",  # an empty value unsets
     ["BenchmarkA (note=a)", "BenchmarkA (note=)"]),
    ("note: a\nBenchmarkA 1 5 ns/op\nNote: b\nBenchmarkA 1 6 ns/op\n",  # not a key: upper case
     ["BenchmarkA"]),
    ("note: a\nBenchmarkA 1 5 ns/op\nmy note: b\nBenchmarkA 1 6 ns/op\n",  # not a key: a space
     ["BenchmarkA"]),
    ("note: a\nBenchmarkA 1 5 ns/op\nBenchmarkA 1 6 ns/op\n", ["BenchmarkA"]),
]  # fmt: skip


@pytest.mark.parametrize(("content", "expected"), CONFIGURATIONS)
def test_configuration_lines_split_only_where_they_differ(tmp_path, content, expected):
    path = tmp_path / "out.txt"
    path.write_text(content, encoding="utf-8")
    assert list(load_results(path).benchmarks) == expected


def test_a_configuration_the_whole_file_shares_is_metadata(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("note: a\nBenchmarkA 1 5 ns/op\nBenchmarkA 1 6 ns/op\n", encoding="utf-8")
    assert load_results(path).metadata == {"note": "a"}


# One measurement, one test: a rate on a line derives from its ns/op; counts are their own.
@pytest.mark.parametrize(
    ("name", "measurement"),
    [
        (f"{PKG}.BenchmarkDecode-8 [MB/s]", f"{PKG}.BenchmarkDecode-8"),
        (f"{PKG}.BenchmarkDecode-8 [B/op]", None),
        (f"{PKG}.BenchmarkDecode-8 [allocs/op]", None),
        (f"{PKG}.BenchmarkIndex-8 [hits/op]", None),
        (f"{PKG}.BenchmarkDecode-8", None),
    ],
)
def test_rates_name_the_time_metric_of_their_line_as_their_measurement(results, name, measurement):
    assert results.benchmarks[name].metadata.get("measurement") == measurement
