"""The figures the driver measured itself (measured.tsv) join a side's results as metrics of one
benchmark, the benchmark command, each with its unit and direction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflows.results import Direction, ResultsError, load_results
from workflows.results.manifest import COLUMNS
from workflows.results.measured import COMMAND, METRIC, METRIC_OF, PERFBOT_MEASURED

MANIFEST = "\t".join(COLUMNS)
HEADER = "round\tuser\tsystem\tmax_rss\tinstructions\thow"


def side(directory: Path, measured: str, rounds: int = 2, notes: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [MANIFEST]
    for number in range(1, rounds + 1):
        document = {"benchmarks": [{"name": "q", "unit": "s", "samples": [1.0]}]}
        (directory / f"round-{number:03d}.json").write_text(json.dumps(document))
        start = 100.0 * number
        lines.append(f"{number}\t1\t{start}\t{start + 2.5}\tn\tc\tk\ti")
    (directory / "rounds.tsv").write_text("\n".join(lines) + "\n")
    (directory / "measured.tsv").write_text(measured)
    if notes is not None:
        (directory / "measured.notes").write_text(notes)
    return directory


@pytest.mark.parametrize(
    ("rows", "name", "unit", "samples", "rounds", "metric"),
    [
        (["1\t1.5\t0.25\t2048\t\twait4", "2\t1.0\t0.5\t4096\t\twait4"],
         f"{COMMAND} [cpu]", "s", (1.75, 1.5), (1, 2), "cpu"),
        (["1\t1.5\t0.25\t2048\t\twait4", "2\t1.0\t0.5\t4096\t\twait4"],
         f"{COMMAND} [max-rss]", "B", (2048.0, 4096.0), (1, 2), "max-rss"),
        (["1\t1\t0\t\t700\tintel", "2\t1\t0\t\t900\twait4"],
         f"{COMMAND} [instructions]", "instructions", (700.0, 900.0), (1, 2), "instructions"),
        (["1\t1\t0\t\t\ttimes", "2\t1\t0\t\t\ttimes"],
         COMMAND, "s", (2.5, 2.5), (1, 2), "wall"),
    ],
)  # fmt: skip
def test_each_figure_is_a_metric_of_the_command_with_one_sample_per_round(
    tmp_path, rows, name, unit, samples, rounds, metric
):
    results = load_results(side(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    bench = results.benchmarks[name]
    assert bench.unit == unit
    assert bench.direction is Direction.LOWER
    assert bench.samples == pytest.approx(samples)
    assert bench.rounds == rounds
    assert bench.metadata[METRIC] == metric
    assert bench.metadata[PERFBOT_MEASURED] is True
    assert bench.metadata.get(METRIC_OF) == (None if name == COMMAND else COMMAND)
    assert "q" in results.benchmarks  # beside the tool's own figures


def test_a_figure_not_measured_is_no_metric(tmp_path):
    results = load_results(side(tmp_path, f"{HEADER}\n1\t1\t0\t\t\ttimes\n2\t1\t0\t\t\ttimes\n"))
    assert f"{COMMAND} [max-rss]" not in results.benchmarks
    assert f"{COMMAND} [instructions]" not in results.benchmarks


def test_why_a_figure_was_not_measured_is_a_warning_of_the_side(tmp_path):
    notes = "instructions: not measured: perf stat -e instructions:u gave no count\n"
    results = load_results(side(tmp_path, f"{HEADER}\n1\t1\t0\t\t\ttimes\n", 1, notes))
    assert notes.strip() in results.metadata["warnings"]


def test_no_measured_file_adds_nothing(tmp_path):
    directory = side(tmp_path, "")
    (directory / "measured.tsv").unlink()
    assert list(load_results(directory).benchmarks) == ["q"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("round\tcpu\n", "the first line must be the header"),
        (f"{HEADER}\n1\tx\t0\t\t\twait4\n", "user must be a number"),
        (f"{HEADER}\n1\t1\t0\t\n", "4 columns, expected 6"),
        (f"{HEADER}\n0\t1\t0\t\t\twait4\n", "round must be a whole number from 1"),
        (f"{HEADER}\n1\t-1\t0\t\t\twait4\n", "user must not be negative"),
    ],
)
def test_a_malformed_measured_file_is_refused_naming_the_problem(tmp_path, text, message):
    with pytest.raises(ResultsError, match=message):
        load_results(side(tmp_path, text))


def test_a_tool_benchmark_named_like_perfbots_own_is_refused(tmp_path):
    directory = side(tmp_path, f"{HEADER}\n1\t1\t0\t\t\twait4\n", 1)
    document = {"benchmarks": [{"name": COMMAND, "unit": "s", "samples": [1.0]}]}
    (directory / "round-001.json").write_text(json.dumps(document))
    with pytest.raises(ResultsError, match="keeps for its own figures"):
        load_results(directory)
