"""The confirmation run in `perfbot run --local`: the same template, the same steps, for real.

A command-line job whose benchmark knows the truth: `slow` is twice as slow in head whenever it
is measured; `fluke` only in the first measurement (it reads PERFBOT_BENCHMARKS to know); and
`steady` never changes. The run must measure `slow` and `fluke` again, and only them, and
report `slow` alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.local.conftest import command_job, git
from workflows.cli import main
from workflows.config import DEFAULT_CONFIRM_ROUNDS

BENCH = """\
import json, os
side, number = os.environ["PERFBOT_SIDE"], int(os.environ["PERFBOT_ROUND"])
named = os.environ.get("PERFBOT_BENCHMARKS")
with open(os.environ["PERFBOT_RESULT"] + ".seen", "w") as seen:
    seen.write("unset" if named is None else named)
confirming = named is not None
wobble = 1 + 0.01 * (number % 3) + (0.002 if number % 2 else -0.002) * (side == "head")
slower = {"slow": 2.0, "fluke": 1.0 if confirming else 2.0, "steady": 1.0}
names = named.splitlines() if confirming else list(slower)
rows = [
    {"name": n, "unit": "ms", "samples": [wobble * (slower[n] if side == "head" else 1.0)]}
    for n in names
]
json.dump({"benchmarks": rows}, open(os.environ["PERFBOT_RESULT"], "w"))
"""
STEADY = BENCH.replace(
    '"slow": 2.0, "fluke": 1.0 if confirming else 2.0', '"slow": 1.0, "fluke": 1.0'
)
ROUNDS = 6


def run_local(repo: Path, out: Path) -> Result:
    args = ["run", "--local", "--repo", str(repo), "--base", "HEAD~1", "--out", str(out),
            "--quiet", "--fail-on-regression"]  # fmt: skip
    return CliRunner().invoke(main, args)


@pytest.fixture(scope="module")
def confirmed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    work = tmp_path_factory.mktemp("confirm")
    return _run(work, BENCH)


def _run(work: Path, bench: str) -> tuple[Result, Path]:
    repo = work / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    (repo / "version.txt").write_text("v1\n")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "first")
    job = command_job(repo, bench, ROUNDS, command="[python, bench.sh]")
    return run_local(job, work / "out"), work / "out"


def report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text())


def test_only_the_change_that_repeats_is_reported(confirmed):
    result, out = confirmed
    assert result.exit_code == 1, result.output  # --fail-on-regression: `slow` regressed
    verdicts = {b["name"]: b["verdict"] for b in report(out)["benchmarks"]}
    assert verdicts == {"slow": "regressed", "fluke": "inconclusive", "steady": "unchanged"}
    assert report(out)["summary"]["open"] == {"unconfirmed": 1}
    assert report(out)["confirmation"]["unconfirmed"] == ["fluke"]


def test_the_confirmation_measures_only_the_flagged_benchmarks_for_confirm_rounds(confirmed):
    _, out = confirmed
    for side in ("base", "head"):
        rounds = sorted((out / "results" / "confirm" / side).glob("round-*.json"))
        assert len(rounds) == DEFAULT_CONFIRM_ROUNDS
        names = {b["name"] for b in json.loads(rounds[0].read_text())["benchmarks"]}
        assert names == {"slow", "fluke"}


def test_the_benchmark_sees_perfbot_benchmarks_only_in_the_confirmation(confirmed):
    _, out = confirmed
    first = {p.read_text() for p in (out / "results" / "head").glob("*.seen")}
    again = {p.read_text() for p in (out / "results" / "confirm" / "head").glob("*.seen")}
    assert first == {"unset"}
    assert again == {"slow\nfluke"}


def test_the_printed_report_shows_the_unconfirmed_change(confirmed):
    result, _ = confirmed
    assert "unconfirmed  fluke" in result.output
    assert "fluke: unconfirmed: regressed by +100.0 % in the first measurement" in result.output


def test_nothing_flagged_means_no_confirmation_and_the_first_report(tmp_path):
    result, out = _run(tmp_path, STEADY)
    assert result.exit_code == 0, result.output
    assert report(out)["confirmation"] is None
    assert not (out / "results" / "confirm").exists()
