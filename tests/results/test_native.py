"""perfbot's own format: what the demo writes, with optional direction and summary-only rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflows.results import Direction, ResultsError, load_results

DOCS = Path(__file__).resolve().parents[2] / "docs" / "results-format.md"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "results"


def test_the_demo_clients_output_loads_with_units_and_metadata(write_json):
    path = write_json(
        "round-001.json",
        {
            "benchmarks": [
                {"name": "GET /items", "unit": "ms", "direction": "lower", "samples": [4.1, 4.2]},
                {"name": "GET /search", "unit": "ms", "direction": "lower", "samples": [12.0]},
            ],
            "metadata": {"side": "base", "round": 1, "machine": "ci-02"},
        },
    )
    results = load_results(path)
    assert results.format == "perfbot"
    assert list(results.benchmarks) == ["GET /items", "GET /search"]
    assert results.benchmarks["GET /items"].samples == pytest.approx((0.0041, 0.0042))
    assert results.metadata["machine"] == "ci-02"


def test_a_rate_without_direction_is_higher_is_better(write_json):
    path = write_json(
        "r.json", {"benchmarks": [{"name": "ingest", "unit": "req/s", "samples": [9.0]}]}
    )
    assert load_results(path).benchmarks["ingest"].direction is Direction.HIGHER


def test_a_summary_only_row_is_flagged(write_json):
    row = {"name": "cold", "unit": "s", "summary": {"n": 30, "mean": 1.8, "stddev": 0.04}}
    bench = load_results(write_json("r.json", {"benchmarks": [row]})).benchmarks["cold"]
    assert bench.summary_only
    assert bench.count == 30


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            {"name": "q", "unit": "s", "samples": ["fast"]},
            r"benchmarks\[0\]\.samples\[0\] must be a finite number",
        ),
        ({"name": "q", "unit": "s", "samples": []}, r"benchmarks\[0\] needs a non-empty `samples`"),
        (
            {"name": "", "unit": "s", "samples": [1]},
            r"benchmarks\[0\]\.name must be a non-empty string",
        ),
        ({"name": "q", "samples": [1]}, r"benchmarks\[0\]\.unit must be a non-empty string"),
        (
            {"name": "q", "unit": "s", "direction": "up", "samples": [1]},
            r"benchmarks\[0\]\.direction must be 'lower' or 'higher'",
        ),
        (
            {"name": "q", "unit": "s", "summary": {"n": 0, "mean": 1}},
            r"benchmarks\[0\]\.summary\.n must be a whole number",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_location(write_json, row, problem):
    path = write_json("bad.json", {"benchmarks": [row]})
    with pytest.raises(
        ResultsError, match=re.escape(str(path)) + ": not valid perfbot results: " + problem
    ):
        load_results(path, "perfbot")


def test_an_unknown_schema_version_is_refused(write_json):
    path = write_json(
        "v2.json", {"schema_version": 2, "benchmarks": [{"name": "q", "unit": "s", "samples": [1]}]}
    )
    with pytest.raises(ResultsError, match="schema_version 2 is not supported"):
        load_results(path)


def test_the_documented_example_loads(tmp_path):
    text = DOCS.read_text(encoding="utf-8")
    block = re.search(r"## perfbot's format.*?```json\n(.*?)```", text, re.S)
    assert block is not None
    path = tmp_path / "example.json"
    path.write_text(block.group(1), encoding="utf-8")
    results = load_results(path)
    assert set(results.benchmarks) == {"GET /search", "ingest throughput", "cold start"}
    assert results.benchmarks["ingest throughput"].direction is Direction.HIGHER
    assert results.benchmarks["cold start"].summary_only


@pytest.mark.parametrize("side", ["base", "head"])
def test_the_example_result_files_load(side):
    results = load_results(EXAMPLES / f"{side}.json")
    assert results.format == "perfbot"
    assert all(b.count == 10 for b in results.benchmarks.values())
