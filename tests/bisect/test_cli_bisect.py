"""`perfbot bisect --local` end to end on a command-line job whose benchmark knows the truth.

Every commit carries `factor.txt`, which the benchmark (run in each side's own build) multiplies
its samples by: the third of four commits doubles `op`. The samples are computed, never timed,
so the verdicts and therefore the commit found are fixed by the repository, not by the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.local.conftest import git
from workflows.cli import main

CONFIG = """\
repos:
  acme/tool:
    default_job: cli
    jobs:
      cli:
        build:
          builder_image: python:3.11
          command: [sh, -c, "true"]
        benchmark:
          image: python:3.11
          command: [python, bench.py]
          rounds: 6
          confirm_rounds: 5
"""
BENCH = """\
import json, os
side, number = os.environ["PERFBOT_SIDE"], int(os.environ["PERFBOT_ROUND"])
factor = float(open("factor.txt").read())
named = os.environ.get("PERFBOT_BENCHMARKS")
names = named.splitlines() if named is not None else ["op", "steady"]
wobble = 1 + 0.01 * (number % 3) + (0.002 if number % 2 else -0.002) * (side == "head")
rows = [
    {"name": n, "unit": "ms", "samples": [wobble * (factor if n == "op" else 1.0)]}
    for n in names
]
json.dump({"benchmarks": rows}, open(os.environ["PERFBOT_RESULT"], "w"))
"""
FACTORS = ["1.0", "1.0", "2.0", "2.0"]  # after the base: the third commit doubles `op`


def make_repo(repo: Path) -> list[str]:
    """The base and four commits after it; their SHAs, oldest first."""
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    (repo / "perfbot.yaml").write_text(CONFIG)
    (repo / "bench.py").write_text(BENCH)
    (repo / "factor.txt").write_text("1.0\n")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "base")
    shas = [git(repo, "rev-parse", "HEAD")]
    for number, factor in enumerate(FACTORS, start=1):
        (repo / "factor.txt").write_text(f"{factor}\n")
        (repo / "notes.txt").write_text(f"commit {number}\n")
        git(repo, "add", ".")
        git(repo, "commit", "--quiet", "-m", f"commit {number}")
        shas.append(git(repo, "rev-parse", "HEAD"))
    return shas


def bisect(*args: str) -> Result:
    return CliRunner().invoke(main, ["bisect", *args])


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    work = tmp_path_factory.mktemp("bisect")
    return work, make_repo(work / "repo")


@pytest.fixture(scope="module")
def bisected(history: tuple[Path, list[str]]) -> tuple[Result, dict, list[str], Path]:
    work, shas = history
    out = work / "out"
    result = bisect("--local", "--repo", str(work / "repo"), "--base", shas[0],
                    "--benchmark", "op", "--out", str(out), "--quiet")  # fmt: skip
    document = json.loads((out / "bisect.json").read_text()) if result.exit_code == 0 else {}
    return result, document, shas, out


def test_the_commit_that_doubled_the_benchmark_is_found(bisected):
    result, document, shas, _ = bisected
    assert result.exit_code == 0, result.output
    assert (document["outcome"], document["culprits"]) == ("found", [shas[3]])
    assert f"found: {shas[3][:10]} (commit 3) is the first commit with the change" in result.output


def test_the_steps_reproduce_halve_and_check_what_follows(bisected):
    _, document, shas, _ = bisected
    pairs = [(s["older"], s["newer"], s["verdict"]) for s in document["steps"]]
    assert pairs == [
        (shas[0], shas[4], "regressed"),
        (shas[0], shas[2], "unchanged"),
        (shas[2], shas[3], "regressed"),
        (shas[3], shas[4], "unchanged"),
    ]


def test_each_step_measures_only_the_bisected_benchmark(bisected):
    _, _, _, out = bisected
    rounds = sorted((out / "steps").glob("*/results/*/round-*.json"))
    assert rounds
    assert {b["name"] for r in rounds for b in json.loads(r.read_text())["benchmarks"]} == {"op"}


def test_the_commits_are_the_first_parent_line_from_the_base(bisected):
    _, document, shas, _ = bisected
    assert document["commits"] == shas


def test_the_regressions_of_a_report_are_bisected_by_default(history, tmp_path):
    work, shas = history
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"benchmarks": [
        {"name": "op", "verdict": "regressed"}, {"name": "steady", "verdict": "unchanged"},
    ]}))  # fmt: skip
    result = bisect("--local", "--repo", str(work / "repo"), "--base", shas[3],
                    "--report", str(report), "--out", str(tmp_path / "o"), "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "o" / "bisect.json").read_text())
    assert (document["benchmarks"], document["outcome"]) == (["op"], "none")


BAD = {
    "without --local": (["--base", "{0}", "--benchmark", "op"], "needs --local"),
    "an unknown base": (["--local", "--base", "nosuchref"], "--base: 'nosuchref' is not a commit"),
    "an unknown head": (["--local", "--base", "{0}", "--head", "nope"], "--head: 'nope'"),
    "base and head the same": (["--local", "--base", "{4}", "--head", "{4}"], "nothing to bisect"),
    "base after head": (["--local", "--base", "{4}", "--head", "{1}"], "is not an ancestor"),
    "no benchmark and no report": (["--local", "--base", "{0}"], "no report at"),
    "a name with a line break": (
        ["--local", "--base", "{0}", "--benchmark", "op\nsteady"], "cannot be bisected",
    ),
    "no budget": (["--local", "--base", "{0}", "--benchmark", "op", "--max-steps", "0"],
                  "--max-steps must be"),
    "rounds out of range": (["--local", "--base", "{0}", "--benchmark", "op", "--rounds", "0"],
                            "--rounds must be"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "message"), list(BAD.values()), ids=list(BAD))
def test_bad_input_is_one_line_and_exit_2(history, tmp_path, args, message):
    work, shas = history
    filled = [arg.format(*shas) for arg in args]
    result = bisect(*filled, "--repo", str(work / "repo"), "--report",
                    str(tmp_path / "absent.json"), "--out", str(tmp_path / "o"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o" / "steps").exists()


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ("{not json", "not a JSON report"),
        ('{"benchmarks": [{"name": "op", "verdict": "unchanged"}]}', "no regression to bisect"),
        ("[]", "no regression to bisect"),
    ],
)
def test_a_report_without_a_regression_is_refused(history, tmp_path, report, message):
    work, shas = history
    (tmp_path / "r.json").write_text(report)
    result = bisect("--local", "--repo", str(work / "repo"), "--base", shas[0],
                    "--report", str(tmp_path / "r.json"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.output
