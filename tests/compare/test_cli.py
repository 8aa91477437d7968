"""`perfbot compare` end to end: reports, exit codes 0/1/2, one-line errors, real processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workflows.cli import main
from workflows.cli.compare import compare_paths
from workflows.cli.notify import overall_verdict
from workflows.errors import BadInput

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "results"
BASE, HEAD = EXAMPLES / "base.json", EXAMPLES / "head.json"
DATA = ROOT / "tests" / "data" / "results"


def run(*args: str | Path):
    return CliRunner().invoke(main, ["compare", *map(str, args)])


def test_the_example_pair_shows_one_regression_and_one_improvement_in_text():
    result = run(BASE, HEAD)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith(
        "REGRESSION: 1 regressed, 1 improved, 10 unchanged, 1 inconclusive (1 too noisy)"
    )
    assert lines[2] == "could not judge 1 benchmark(s): 1 too noisy; they are listed first"
    assert lines[5].split()[:2] == ["too", "noisy"]
    assert lines[6].split()[:2] == ["regressed", "GET"]
    assert lines[7].split()[:2] == ["improved", "parse/large.json"]


def test_the_json_report_of_the_example_pair_is_what_the_pipeline_reads():
    result = run(BASE, HEAD, "--format", "json")
    report = json.loads(result.stdout)
    assert overall_verdict(report) == "regressed"  # what `perfbot notify --verdict-of` outputs
    changed = {b["name"]: b["verdict"] for b in report["benchmarks"] if b["verdict"] != "unchanged"}
    assert changed == {
        "GET /search?q=steel": "regressed",
        "parse/large.json": "improved",
        "cache/warm-hit": "inconclusive",
    }


@pytest.mark.parametrize(
    ("report_format", "marker"), [("markdown", "🔴 **Regression**"), ("html", "<!DOCTYPE html>")]
)
def test_each_format_can_be_written_to_a_file(tmp_path, report_format, marker):
    out = tmp_path / f"report.{report_format}"
    result = run(BASE, HEAD, "--format", report_format, "--output", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith(marker)


# (arguments after BASE HEAD, exit code)
EXIT_CODES = [
    ((), 0),
    (("--fail-on-regression",), 1),
    (("--fail-on-regression", "--threshold", "0.5"), 0),  # no change of 50 %: nothing regressed
    (("--threshold", "0.5", "--min-samples", "20"), 0),  # nothing judged, but not asked to fail
    # ten samples a side, twenty needed: nothing could be judged, which is not a pass
    (("--fail-on-regression", "--threshold", "0.5", "--min-samples", "20"), 4),
    (("--fail-on-regression", "--min-samples", "20"), 4),  # the regression is not seen either
]


@pytest.mark.parametrize(("extra", "code"), EXIT_CODES)
def test_exit_code_says_regressed_or_inconclusive_only_when_asked_to(extra, code):
    assert run(BASE, HEAD, *extra).exit_code == code


def test_fail_on_regression_passes_when_only_improvements_were_found():
    rules = '[{"match": "GET /search*", "ignore": true}, {"match": "cache/*", "ignore": true}]'
    result = run(BASE, HEAD, "--fail-on-regression", "--benchmark-rules", rules)
    assert result.stdout.splitlines()[1].startswith("IMPROVEMENT: 0 regressed, 1 improved")
    assert result.exit_code == 0


def _bad_inputs(tmp_path: Path) -> list[tuple[list[str], str]]:
    (tmp_path / "empty").mkdir()
    (tmp_path / "malformed.json").write_text('{"benchmarks": [')
    (tmp_path / "shape.json").write_text('{"rows": []}')
    other = {"benchmarks": [{"name": "something else", "unit": "s", "samples": [1.0]}]}
    (tmp_path / "other.json").write_text(json.dumps(other))
    return [
        ([str(tmp_path / "missing.json"), str(HEAD)], f"{tmp_path / 'missing.json'}: no such file"),
        (
            [str(tmp_path / "empty"), str(HEAD)],
            f"{tmp_path / 'empty'}: directory holds no result files",
        ),
        (
            [str(BASE), str(tmp_path / "malformed.json")],
            f"{tmp_path / 'malformed.json'}: malformed JSON",
        ),
        (
            [str(BASE), str(tmp_path / "shape.json")],
            f"{tmp_path / 'shape.json'}: JSON of a shape no importer knows",
        ),
        (
            [str(BASE), str(tmp_path / "other.json")],
            f"{BASE} vs {tmp_path / 'other.json'}: no benchmark in common",
        ),
        ([str(BASE), str(HEAD), "--threshold", "-1"], "threshold must be from 0 to 10"),
        ([str(BASE), str(HEAD), "--alpha", "2"], "alpha must be between 0 and 1"),
        (
            [str(BASE), str(HEAD), "--input-format", "go-bench"],
            f"{BASE}: not valid go-bench results",
        ),
    ]


@pytest.mark.parametrize("case", range(8))
def test_bad_input_exits_2_with_one_line_naming_the_file_and_the_problem(tmp_path, case):
    args, expected = _bad_inputs(tmp_path)[case]
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unwritable_output_is_bad_input(tmp_path):
    result = run(BASE, HEAD, "--output", tmp_path / "no" / "such" / "dir" / "r.md")
    assert result.exit_code == 2
    assert "cannot write the report" in result.stderr


def test_directories_of_rounds_are_compared_round_by_round_with_the_files_verdicts(tmp_path):
    for side, source in (("base", BASE), ("head", HEAD)):
        document = json.loads(source.read_text(encoding="utf-8"))
        (tmp_path / side).mkdir()
        for round_ in range(5):  # five rounds of two samples each
            rows = [
                dict(b, samples=b["samples"][round_ * 2 : round_ * 2 + 2])
                for b in document["benchmarks"]
            ]
            (tmp_path / side / f"round-{round_ + 1:03d}.json").write_text(
                json.dumps({"benchmarks": rows})
            )
    by_dirs = json.loads(run(tmp_path / "base", tmp_path / "head", "--format", "json").stdout)
    by_files = json.loads(run(BASE, HEAD, "--format", "json").stdout)
    # five rounds find the same changes; they judge less than fifty samples, and say so
    changes = ("regressed", "improved")
    assert [b["verdict"] if b["verdict"] in changes else "-" for b in by_dirs["benchmarks"]] == [
        b["verdict"] if b["verdict"] in changes else "-" for b in by_files["benchmarks"]
    ]
    assert {b["reason"] for b in by_dirs["benchmarks"] if b["verdict"] == "inconclusive"} == {
        "too noisy"
    }
    assert {b["method"] for b in by_dirs["benchmarks"]} == {"paired-rounds-t"}
    assert [b["change"] for b in by_dirs["benchmarks"]] == pytest.approx(
        [b["change"] for b in by_files["benchmarks"]], abs=0.02
    )


def test_a_forced_input_format_reads_every_round_of_a_directory(tmp_path):
    for side in ("base", "head"):
        (tmp_path / side).mkdir()
        for round_ in (1, 2):
            shutil.copy(DATA / "hyperfine.json", tmp_path / side / f"round-{round_:03d}.json")
    result = run(
        tmp_path / "base", tmp_path / "head", "--input-format", "hyperfine", "--format", "json"
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["summary"]["verdict"] == "inconclusive"  # two rounds: no test possible
    assert [b["reason"] for b in report["benchmarks"]] == ["too few rounds"] * 2
    assert [b["base"]["n"] for b in report["benchmarks"]] == [20, 20]


def test_compare_paths_takes_a_jobs_compare_flags_and_ignores_report_flags():
    comparison = compare_paths(
        BASE, HEAD, ["--input-format", "perfbot", "--threshold", "0.15", "--format", "json"]
    )
    assert comparison.options.threshold == 0.15
    assert [b.name for b in comparison.changed()] == ["GET /search?q=steel"]  # -13 % is under 15 %


@pytest.mark.parametrize("args", [["--threshold", "lots"], ["--no-such-flag"], ["--alpha", "0"]])
def test_compare_paths_refuses_bad_flags_as_bad_input(args):
    with pytest.raises(BadInput):
        compare_paths(BASE, HEAD, args)


def _perfbot() -> list[str]:
    script = Path(sys.executable).with_name("perfbot")
    if script.exists():
        return [str(script)]
    found = shutil.which("perfbot")
    return [found] if found else [sys.executable, "-c", "from workflows.cli import main; main()"]


def test_a_real_process_reports_and_fails_on_the_regression(tmp_path):
    out = tmp_path / "report.md"
    argv = [
        *_perfbot(),
        "compare",
        str(BASE),
        str(HEAD),
        "--format",
        "markdown",
        "-o",
        str(out),
        "--fail-on-regression",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert "<details><summary>10 unchanged benchmarks</summary>" in out.read_text(encoding="utf-8")


def test_a_real_process_refuses_a_missing_file_in_one_line(tmp_path):
    missing = tmp_path / "missing.json"
    done = subprocess.run(
        [*_perfbot(), "compare", str(missing), str(HEAD)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"Error: {missing}: no such file or directory\n"


def test_one_run_writes_every_report_asked_for(tmp_path):
    json_file, markdown, verdict = tmp_path / "r.json", tmp_path / "r.md", tmp_path / "verdict"
    result = run(
        BASE, HEAD, "--format", "json", "--output", str(json_file),
        "--write", f"markdown={markdown}", "--write", f"verdict={verdict}",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(json_file.read_text())
    assert verdict.read_text() == report["summary"]["verdict"] + "\n"
    assert "GET" in markdown.read_text()


@pytest.mark.parametrize("item", ["markdown", "pdf=out.pdf", "json="])
def test_a_bad_write_target_is_refused_and_nothing_is_written(tmp_path, item, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(BASE, HEAD, "--write", item)
    assert result.exit_code == 2
    assert "expected FORMAT=FILE" in result.output
    assert list(tmp_path.iterdir()) == []
