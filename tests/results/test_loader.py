"""load_results: detection, forced formats, directories of rounds, and every bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from workflows.config import RESULT_FORMATS
from workflows.results import FORMATS, ResultsError, load_results

# (file, detected format)
DETECTED = [
    ("hyperfine.json", "hyperfine"),
    ("hyperfine-single-run.json", "hyperfine"),
    ("pytest-benchmark.json", "pytest-benchmark"),
    ("pytest-benchmark-data.json", "pytest-benchmark"),
    ("google-benchmark.json", "google-benchmark"),
    ("google-benchmark-aggregates.json", "google-benchmark"),
    ("google-benchmark-repetitions.json", "google-benchmark"),
    ("go-bench.txt", "go-bench"),
]


@pytest.mark.parametrize(("name", "expected"), DETECTED)
def test_the_format_of_a_file_is_detected(data_dir, name, expected):
    assert load_results(data_dir / name).format == expected


def test_the_formats_are_the_ones_a_job_config_accepts():
    assert set(FORMATS) == set(RESULT_FORMATS)


def test_a_directory_of_rounds_is_merged_in_name_order(tmp_path):
    for round_, value in ((2, 2.0), (1, 1.0), (3, 3.0)):
        document = {"benchmarks": [{"name": "q", "unit": "s", "samples": [value, value + 0.1]}]}
        (tmp_path / f"round-{round_:03d}.json").write_text(json.dumps(document))
    (tmp_path / ".hidden.json").write_text("not json")
    (tmp_path / "notes.md").write_text("ignored")
    results = load_results(tmp_path)
    assert results.benchmarks["q"].samples == (1.0, 1.1, 2.0, 2.1, 3.0, 3.1)
    assert results.source == str(tmp_path)


def test_a_directory_of_go_bench_rounds_merges_too(tmp_path, data_dir):
    for round_ in (1, 2):
        shutil.copy(data_dir / "go-bench.txt", tmp_path / f"round-{round_:03d}.txt")
    decode = load_results(tmp_path, "go-bench").benchmarks[
        "github.com/example/shop/catalogue.BenchmarkDecode-8"
    ]
    assert len(decode.samples) == 10


def test_a_forced_format_is_used_even_where_detection_would_differ(write_json):
    # Valid perfbot rows, read as hyperfine: refused, naming the format and the problem.
    path = write_json("r.json", {"benchmarks": [{"name": "q", "unit": "s", "samples": [1]}]})
    with pytest.raises(ResultsError, match="not valid hyperfine results: results must be a list"):
        load_results(path, "hyperfine")


def _problem(path: Path, fragment: str) -> str:
    return "^" + re.escape(f"{path}: ") + ".*" + re.escape(fragment)


BAD_JSON = [
    ("malformed.json", '{"benchmarks": [', "malformed JSON: Expecting value at line 1 column 17"),
    ("shape.json", '{"rows": [1, 2]}', "JSON of a shape no importer knows"),
    ("list.json", "[1, 2, 3]", "JSON of a shape no importer knows"),
    ("empty.txt", "", "empty file"),
    ("prose.txt", "hello\nworld\n", "not a result file of a known format"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), BAD_JSON)
def test_a_bad_file_is_one_error_naming_it_and_the_problem(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResultsError, match=_problem(path, fragment)):
        load_results(path)


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nope.json"
    with pytest.raises(ResultsError, match=_problem(path, "no such file or directory")):
        load_results(path)


def test_a_directory_without_result_files_is_named(tmp_path):
    (tmp_path / "README.md").write_text("no results here")
    with pytest.raises(ResultsError, match=_problem(tmp_path, "directory holds no result files")):
        load_results(tmp_path)


def test_a_bad_round_in_a_directory_names_that_round(tmp_path):
    good = {"benchmarks": [{"name": "q", "unit": "s", "samples": [1.0]}]}
    (tmp_path / "round-001.json").write_text(json.dumps(good))
    (tmp_path / "round-002.json").write_text("{oops")
    with pytest.raises(ResultsError, match=_problem(tmp_path / "round-002.json", "malformed JSON")):
        load_results(tmp_path)


def test_binary_content_is_refused(tmp_path):
    path = tmp_path / "blob.json"
    path.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ResultsError, match="not a text file"):
        load_results(path)


def test_an_unknown_forced_format_is_refused(data_dir):
    with pytest.raises(ResultsError, match="unknown input format 'csv'"):
        load_results(data_dir / "hyperfine.json", "csv")
