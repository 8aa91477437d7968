"""A directory of rounds keeps each sample's round and the driver's round manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflows.results import ResultsError, load_results
from workflows.results.manifest import COLUMNS, LOAD_COLUMNS

CASES = Path(__file__).resolve().parents[1] / "contracts" / "results-cases"
HEADER = "\t".join(COLUMNS)


def write_round(directory: Path, name: str, samples: list[float]) -> None:
    document = {"benchmarks": [{"name": "q", "unit": "s", "samples": samples}]}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(json.dumps(document))


def test_round_numbers_come_from_round_file_names(tmp_path: Path) -> None:
    write_round(tmp_path, "round-002.json", [2.0, 2.1])
    write_round(tmp_path, "round-010.json", [3.0])
    assert load_results(tmp_path).benchmarks["q"].rounds == (2, 2, 10)


def test_files_without_round_names_are_rounds_in_name_order(tmp_path: Path) -> None:
    write_round(tmp_path, "b.json", [2.0])
    write_round(tmp_path, "a.json", [1.0, 1.1])
    bench = load_results(tmp_path).benchmarks["q"]
    assert bench.samples == (1.0, 1.1, 2.0)
    assert bench.rounds == (1, 1, 2)


def test_the_round_manifest_comes_along_as_metadata(tmp_path: Path) -> None:
    write_round(tmp_path, "round-001.json", [1.0])
    write_round(tmp_path, "round-002.json", [1.0])
    (tmp_path / "rounds.tsv").write_text(
        f"{HEADER}\n1\t1\t100.5\t101\tnode-a\tXeon\t6.1\timg@sha256:ab\n"
        "2\t2\t102\t103\tnode-a\tXeon\t6.1\timg@sha256:ab\n"
    )
    rounds = load_results(tmp_path).metadata["rounds"]
    assert rounds[0] == {
        "round": 1, "position": 1, "started": 100.5, "finished": 101.0,
        "node": "node-a", "cpu": "Xeon", "kernel": "6.1", "image": "img@sha256:ab",
    }  # fmt: skip
    assert rounds[1]["position"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("round\tside\n", "the first line must be the header"),
        (f"{HEADER}\n1\t1\t100\n", "line 2: 3 columns, expected 8"),
        (f"{HEADER}\nx\t1\t1\t2\tn\tc\tk\ti\n", "line 2: round must be a number"),
        (f"{HEADER}\n1\t3\t1\t2\tn\tc\tk\ti\n", "line 2: position must be 1 or 2"),
        (f"{HEADER}\n0\t1\t1\t2\tn\tc\tk\ti\n", "line 2: round must be a whole number from 1"),
    ],
)
def test_a_malformed_manifest_is_an_error_naming_the_line(
    tmp_path: Path, content: str, message: str
) -> None:
    write_round(tmp_path, "round-001.json", [1.0])
    (tmp_path / "rounds.tsv").write_text(content)
    with pytest.raises(ResultsError, match=message):
        load_results(tmp_path)


def test_saved_pytest_benchmark_runs_count_one_value_per_run_not_their_iterations() -> None:
    """results-cases #10: five summary-only saved runs a side were pooled into n = 54,579."""
    base = load_results(CASES / "pytest_benchmark" / "dir_a")
    for bench in base.benchmarks.values():
        assert bench.count == 5
        assert bench.round_count == 5


def test_perfbots_own_format_carries_a_round_per_sample(tmp_path: Path) -> None:
    document = {
        "benchmarks": [{"name": "q", "unit": "s", "samples": [1, 2, 3], "rounds": [1, 1, 2]}]
    }
    (tmp_path / "r.json").write_text(json.dumps(document))
    assert load_results(tmp_path / "r.json").benchmarks["q"].rounds == (1, 1, 2)


@pytest.mark.parametrize(
    ("rounds", "message"),
    [([1, 2], "has 2 entries for 3 samples"), ([1, 0, 2], r"rounds\[1\] must be a whole number")],
)
def test_round_numbers_in_perfbots_format_are_checked(
    tmp_path: Path, rounds: list[int], message: str
) -> None:
    document = {"benchmarks": [{"name": "q", "unit": "s", "samples": [1, 2, 3], "rounds": rounds}]}
    (tmp_path / "r.json").write_text(json.dumps(document))
    with pytest.raises(ResultsError, match=message):
        load_results(tmp_path / "r.json")


def test_every_rounds_warnings_survive_the_merge_once_each():
    from workflows.results.model import ResultSet, make_benchmark, merge

    def part(label: str, warnings: list[str]) -> ResultSet:
        bench = make_benchmark("q", "s", samples=[1.0])
        return ResultSet.build(label, "hyperfine", [bench], {"warnings": warnings})

    merged = merge("dir", [part("r1", ["always"]), part("r2", ["always", "2 failed runs of q"])])
    assert merged.metadata["warnings"] == ["always", "2 failed runs of q (round 2)"]


LOAD_HEADER = "\t".join((*COLUMNS, *LOAD_COLUMNS))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("2\t0.5\t2.75\t8.0", {"cpus": 2, "load_before": 0.5, "load_during": 2.75, "steal": 8.0}),
        ("4\t\t\t", {"cpus": 4, "load_before": None, "load_during": None, "steal": None}),
        ("\t1\t1\t0", {"cpus": None, "load_before": 1.0, "load_during": 1.0, "steal": 0.0}),
    ],
)
def test_the_manifest_keeps_the_machines_load_as_numbers(
    tmp_path: Path, cells: str, expected: dict
) -> None:
    write_round(tmp_path, "round-001.json", [1.0])
    (tmp_path / "rounds.tsv").write_text(f"{LOAD_HEADER}\n1\t1\t1\t2\tn\tc\tk\ti\t{cells}\n")
    (row,) = load_results(tmp_path).metadata["rounds"]
    assert {key: row[key] for key in LOAD_COLUMNS} == expected


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("0\t1\t1\t1", "cpus must be a whole number from 1"),
        ("two\t1\t1\t1", "cpus must be a number"),
        ("2\t-1\t1\t1", "load_before must be a number from 0"),
        ("2\t1\tnan\t1", "load_during must be a number from 0"),
        ("2\t1\t1\t101", "steal must be a share from 0 to 100"),
        ("2\t1\t1", "11 columns, expected 12"),
    ],
)
def test_a_malformed_load_is_an_error_naming_the_line(
    tmp_path: Path, cells: str, message: str
) -> None:
    write_round(tmp_path, "round-001.json", [1.0])
    (tmp_path / "rounds.tsv").write_text(f"{LOAD_HEADER}\n1\t1\t1\t2\tn\tc\tk\ti\t{cells}\n")
    with pytest.raises(ResultsError, match=f"line 2: {message}"):
        load_results(tmp_path)


def test_several_processes_a_round_keep_their_round_and_process(tmp_path: Path) -> None:
    write_round(tmp_path, "round-001-p1.json", [1.0, 1.1])
    write_round(tmp_path, "round-001-p2.json", [2.0])
    write_round(tmp_path, "round-002-p1.json", [3.0])
    write_round(tmp_path, "round-002-p2.json", [4.0])
    bench = load_results(tmp_path).benchmarks["q"]
    assert bench.samples == (1.0, 1.1, 2.0, 3.0, 4.0)
    assert bench.rounds == (1, 1, 1, 2, 2)
    assert bench.processes == (1, 1, 2, 1, 2)
    assert bench.round_count == 2


def test_one_process_a_round_has_no_process_numbers(tmp_path: Path) -> None:
    write_round(tmp_path, "round-001.json", [1.0])
    write_round(tmp_path, "round-002.json", [2.0])
    assert load_results(tmp_path).benchmarks["q"].processes == ()


def test_a_summary_only_process_gives_one_value_with_its_process() -> None:
    from workflows.results.model import Summary, make_benchmark

    bench = make_benchmark("q", "s", summary=Summary(n=50, mean=2.0, stddev=0.1, median=1.9))
    tagged = bench.in_round(3, process=2)
    assert (tagged.samples, tagged.rounds, tagged.processes) == ((1.9,), (3,), (2,))
