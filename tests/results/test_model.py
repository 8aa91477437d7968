"""Merging sightings of a benchmark: rounds concatenate samples; summaries pool exactly."""

from __future__ import annotations

import statistics

import pytest

from workflows.results import ResultsError, ResultSet, Summary, make_benchmark
from workflows.results.model import merge, pool


def test_summaries_of_rounds_pool_to_the_statistics_of_all_values():
    first, second = [1.0, 2.0, 4.0], [3.0, 5.0, 6.0, 7.0]
    pooled = pool([Summary.of(first), Summary.of(second)])
    everything = first + second
    assert pooled.n == 7
    assert pooled.mean == pytest.approx(statistics.fmean(everything))
    assert pooled.stddev == pytest.approx(statistics.stdev(everything))
    assert (pooled.minimum, pooled.maximum) == (1.0, 7.0)
    assert pooled.median is None  # a median cannot be recovered from parts


def test_summary_of_samples_matches_the_textbook_statistics():
    values = [5.0, 1.0, 4.0, 2.0, 3.0, 10.0]
    summary = Summary.of(values)
    assert summary.median == statistics.median(values)
    assert summary.stddev == pytest.approx(statistics.stdev(values))
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert summary.iqr == pytest.approx(q3 - q1)


def test_a_single_sample_has_no_spread():
    summary = Summary.of([0.25])
    assert summary.stddev is None
    assert summary.iqr is None


def test_merging_rounds_concatenates_samples_in_round_order():
    rounds = [
        ResultSet.build(f"round-{i}", "perfbot", [make_benchmark("q", "s", samples=[i, i + 0.5])])
        for i in (1, 2)
    ]
    merged = merge("dir", rounds)
    assert merged.benchmarks["q"].samples == (1.0, 1.5, 2.0, 2.5)
    assert merged.metadata["files"] == ["round-1", "round-2"]


def test_a_unit_that_changes_between_rounds_is_an_error_naming_the_round():
    rounds = [
        ResultSet.build("round-1", "perfbot", [make_benchmark("q", "s", samples=[1.0])]),
        ResultSet.build("round-2", "perfbot", [make_benchmark("q", "B", samples=[1.0])]),
    ]
    with pytest.raises(ResultsError, match=r"^round-2: benchmark 'q' is in s in one place, B"):
        merge("dir", rounds)


def test_merging_rounds_tags_every_sample_with_its_round():
    rounds = [
        ResultSet.build(f"round-{i}", "perfbot", [make_benchmark("q", "s", samples=[i, i + 0.5])])
        for i in (1, 2)
    ]
    bench = merge("dir", rounds, numbers=[3, 4]).benchmarks["q"]
    assert bench.rounds == (3, 3, 4, 4)
    assert bench.round_count == 2


def test_a_summary_only_round_gives_one_value_for_its_round():
    rounds = [
        ResultSet.build("r1", "perfbot", [make_benchmark("q", "s", samples=[1.0, 3.0])]),
        ResultSet.build(
            "r2",
            "perfbot",
            [make_benchmark("q", "s", summary=Summary(n=200, mean=5.0, stddev=0.1))],
        ),
    ]
    bench = merge("dir", rounds).benchmarks["q"]
    assert bench.samples == (1.0, 3.0, 5.0)
    assert bench.rounds == (1, 1, 2)


def test_summary_only_rounds_count_as_one_value_each_not_their_iterations():
    rounds = [
        ResultSet.build(
            f"r{i}",
            "perfbot",
            [make_benchmark("q", "s", summary=Summary(n=10_000, mean=i, stddev=0.1, median=i))],
        )
        for i in (1, 2, 3)
    ]
    bench = merge("dir", rounds).benchmarks["q"]
    assert bench.count == 3
    assert bench.metadata["round_summaries"] is True


def test_a_single_file_keeps_its_samples_without_rounds():
    one = ResultSet.build("r1", "perfbot", [make_benchmark("q", "s", samples=[1.0, 3.0])])
    assert merge("dir", [one]).benchmarks["q"].rounds == ()


def test_round_numbers_must_match_the_samples():
    with pytest.raises(ValueError, match="2 round numbers for 3 samples"):
        make_benchmark("q", "s", samples=[1.0, 2.0, 3.0], rounds=[1, 2])


def test_a_result_set_without_benchmarks_is_an_error():
    with pytest.raises(ResultsError, match="holds no benchmarks"):
        ResultSet.build("empty.json", "perfbot", [])
