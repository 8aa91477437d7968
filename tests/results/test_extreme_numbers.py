"""Extreme numbers in result files: `perfbot compare` answers exit 2 with a line, never a
traceback or exit 1 (the code `--fail-on-regression` gives a regression).

Samples of 1e308 overflowed the statistics, a huge integer overflowed `float`, 1e308 minutes
became infinite after unit conversion and were reported as "unchanged", and a round's start
time of 1e20 overflowed the date conversion. Each row is one place a number enters, through
the real command, with the value that broke it and the neighbours that must still work.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from workflows.cli import main

BASE_SAMPLES = [1.0, 1.1, 1.2, 1.0, 1.05, 1.1, 1.0, 1.02]
HUGE_INT = "9" * 400  # valid JSON; no float holds it


def native(samples: str, unit: str = "ms") -> str:
    """A perfbot-format file whose samples are the raw JSON text `samples`."""
    template = '{"benchmarks": [{"name": "x", "unit": "UNIT", "samples": SAMPLES}]}'
    return template.replace("UNIT", unit).replace("SAMPLES", samples)


def native_summary(mean: str) -> str:
    template = '{"benchmarks": [{"name": "x", "unit": "ms", "summary": {"n": 5, "mean": MEAN}}]}'
    return template.replace("MEAN", mean)


def hyperfine(times: str) -> str:
    return '{"results": [{"command": "x", "mean": 1.0, "times": TIMES}]}'.replace("TIMES", times)


def pytest_benchmark(data: str) -> str:
    template = (
        '{"benchmarks": [{"name": "t", "fullname": "t", "stats": {"min": 1, "max": 2, '
        '"mean": 1.5, "stddev": 0.1, "rounds": 8, "median": 1.5, "data": DATA}}]}'
    )
    return template.replace("DATA", data)


def google(real_time: str) -> str:
    template = (
        '{"context": {"library_version": "v1.8.3"}, "benchmarks": [{"name": "BM", '
        '"run_name": "BM", "run_type": "iteration", "iterations": 10, "real_time": TIME, '
        '"cpu_time": 1.0, "time_unit": "ns"}]}'
    )
    return template.replace("TIME", real_time)


def go_bench(value: str) -> str:
    return "".join(f"BenchmarkX-8 \t 100 \t {value} ns/op\n" for _ in range(6))


# (id, base file, head file, expected exit code, what the message must name)
REFUSED = [
    ("1e308 samples", native(json.dumps(BASE_SAMPLES)), native("[1e308, 1e308, 1e308]"), "1e+308"),
    ("1e308 mixed", native(json.dumps(BASE_SAMPLES)), native("[1e308, 1, 1e-308, 2]"), "1e+308"),
    ("1e-308 sample", native(json.dumps(BASE_SAMPLES)), native("[1e-308, 1, 2]"), "1e-308"),
    ("1e308 minutes", native(json.dumps(BASE_SAMPLES)), native("[1e307, 1e307]", "min"), "range"),
    ("infinity", native(json.dumps(BASE_SAMPLES)), native("[Infinity, 1, 2]"), "finite"),
    ("nan", native(json.dumps(BASE_SAMPLES)), native("[NaN, 1, 2]"), "finite"),
    ("1e400 is inf", native(json.dumps(BASE_SAMPLES)), native("[1e400, 1, 2]"), "finite"),
    ("huge int", native(json.dumps(BASE_SAMPLES)), native(f"[{HUGE_INT}, 1, 2]"), "too large"),
    ("string number", native(json.dumps(BASE_SAMPLES)), native('["1", "2", "3"]'), "'1'"),
    ("bool", native(json.dumps(BASE_SAMPLES)), native("[true, 1, 2]"), "True"),
    ("summary 1e308", native_summary("1.0"), native_summary("1e308"), "1e+308"),
    ("summary huge int", native_summary("1.0"), native_summary(HUGE_INT), "too large"),
    ("hyperfine 1e308", hyperfine("[1, 1.1, 1.2]"), hyperfine("[1e308, 1, 2]"), "1e+308"),
    (
        "pytest 1e308",
        pytest_benchmark("[1, 1.1, 1.2]"),
        pytest_benchmark("[1e308, 1, 2]"),
        "1e+308",
    ),
    (
        "pytest huge int",
        pytest_benchmark("[1, 1.1, 1.2]"),
        pytest_benchmark(f"[{HUGE_INT}]"),
        "too large",
    ),
    ("google 1e308", google("10.0"), google("1e308"), "1e+308"),
    ("go 1e400", go_bench("100"), go_bench("1e400"), "finite"),
    ("go 1e300 ns", go_bench("100"), go_bench("1e300"), "range"),
]
# Long lists take a fast path: the same values must be refused on it too.
LONG = ", ".join(["1.0"] * 100)
REFUSED += [
    ("long list 1e308", native(json.dumps(BASE_SAMPLES)), native(f"[{LONG}, 1e308]"), "1e+308"),
    (
        "long list huge int",
        native(json.dumps(BASE_SAMPLES)),
        native(f"[{LONG}, {HUGE_INT}]"),
        "too large",
    ),
]

ACCEPTED = [
    ("negative zero", native(json.dumps(BASE_SAMPLES)), native("[-0.0, -0.0, -0.0, 0.0]")),
    ("zeros on both sides", native("[0, 0, 0, 0]"), native("[0, 0, 0, 0]")),
    ("large but sane", native("[1e20, 1.1e20, 1e20]", "B"), native("[1e20, 1e20, 1.2e20]", "B")),
    ("tiny but sane", native("[1e-20, 1.1e-20, 1e-20]", "s"), native("[1e-20, 1e-20, 2e-20]", "s")),
    ("big integers", native("[1000000000000, 1000000000001]"), native("[1000000000002, 1]")),
]


def _write(tmp_path: Path, base: str, head: str) -> tuple[Path, Path]:
    suffix = ".txt" if "Benchmark" in base else ".json"
    base_path, head_path = tmp_path / f"base{suffix}", tmp_path / f"head{suffix}"
    base_path.write_text(base, encoding="utf-8")
    head_path.write_text(head, encoding="utf-8")
    return base_path, head_path


FORMATS = ["text", "markdown", "json", "html"]


@pytest.mark.parametrize(("case", "base", "head", "named"), REFUSED, ids=[r[0] for r in REFUSED])
def test_an_extreme_number_is_bad_input_exit_2_with_a_line(tmp_path, case, base, head, named):
    base_path, head_path = _write(tmp_path, base, head)
    result = CliRunner().invoke(main, ["compare", str(base_path), str(head_path)])
    assert result.exit_code == 2, (case, result.output, result.exception)
    assert isinstance(result.exception, SystemExit)  # not an uncaught error
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.startswith("Error: "), message
    assert len(message.splitlines()) == 1, message
    assert named in message, message
    assert str(head_path) in message  # the file to fix


@pytest.mark.parametrize("report_format", FORMATS)
@pytest.mark.parametrize(("case", "base", "head"), ACCEPTED, ids=[r[0] for r in ACCEPTED])
def test_unusual_but_sane_numbers_compare(tmp_path, case, base, head, report_format):
    base_path, head_path = _write(tmp_path, base, head)
    result = CliRunner().invoke(
        main,
        [
            "compare",
            str(base_path),
            str(head_path),
            "--format",
            report_format,
            "--fail-on-regression",
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1, 4), (case, result.output)
    assert not re.search(r"(?i)\b(nan|-?inf(inity)?)\b", result.stdout), result.stdout


@pytest.mark.parametrize(
    ("cell", "named"),
    [("1e20", "started"), ("inf", "started"), ("nan", "started"), ("-1e20", "started")],
)
def test_an_extreme_round_time_is_bad_input(tmp_path, cell, named):
    sides = {}
    for side in ("base", "head"):
        directory = tmp_path / side
        directory.mkdir()
        for index in (1, 2):
            samples = json.dumps([1.0 + index / 10, 1.1, 1.2, 1.05])
            (directory / f"round-00{index}.json").write_text(native(samples))
        started = cell if side == "head" else "1700000000"
        (directory / "rounds.tsv").write_text(
            "round\tposition\tstarted\tfinished\tnode\tcpu\tkernel\timage\n"
            f"1\t1\t{started}\t1700000100\tn\tc\tk\ti\n"
            "2\t2\t1700000200\t1700000300\tn\tc\tk\ti\n"
        )
        sides[side] = directory
    result = CliRunner().invoke(main, ["compare", str(sides["base"]), str(sides["head"])])
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert named in result.stderr
    assert "rounds.tsv" in result.stderr


def test_a_sane_round_time_still_compares(tmp_path):
    sides = {}
    for side in ("base", "head"):
        directory = tmp_path / side
        directory.mkdir()
        for index in (1, 2):
            (directory / f"round-00{index}.json").write_text(native("[1.0, 1.1, 1.2, 1.05]"))
        (directory / "rounds.tsv").write_text(
            "round\tposition\tstarted\tfinished\tnode\tcpu\tkernel\timage\n"
            "1\t1\t1700000000\t1700000100\tn\tc\tk\ti\n"
            "2\t2\t1700000200\t1700000300\tn\tc\tk\ti\n"
        )
        sides[side] = directory
    result = CliRunner().invoke(
        main, ["compare", str(sides["base"]), str(sides["head"]), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["provenance"]["head"]["started"].startswith("2023-11-14")
