"""What `perfbot run --local` says beyond the report: warnings, hints, and what it keeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.local.conftest import ONE_RESULT, command_job
from workflows.cli import main
from workflows.local.cautions import cautions
from workflows.local.worktrees import resolve_commit

PERFBOT = str(Path(sys.executable).parent / "perfbot")
WRITE_RESULT = f"echo '{ONE_RESULT}' > \"$PERFBOT_RESULT\"\n"


def commit(repo: Path, ref: str) -> str:
    return resolve_commit(repo, ref)


def test_uncommitted_changes_under_head_are_said_not_to_be_measured(repo):
    (repo / "version.txt").write_text("edited, not committed\n")
    found = cautions(repo, "HEAD", commit(repo, "first"), commit(repo, "HEAD"))
    assert len(found) == 1
    assert "--head HEAD is the commit" in found[0]
    assert "uncommitted changes" in found[0]


def test_untracked_files_or_another_head_raise_no_warning(repo):
    (repo / "perfbot-out").mkdir()
    (repo / "perfbot-out" / "report.md").write_text("from the last run")
    assert cautions(repo, "HEAD", commit(repo, "first"), commit(repo, "HEAD")) == []
    (repo / "version.txt").write_text("edited\n")
    assert cautions(repo, "first", commit(repo, "HEAD"), commit(repo, "first")) == []


def test_the_same_commit_on_both_sides_is_called_an_a_a_run_not_refused(repo):
    sha = commit(repo, "HEAD")
    found = cautions(repo, "main", sha, sha)
    assert found == [found[0]]
    assert "same commit" in found[0]
    assert "A/A run" in found[0]


def test_run_local_reads_the_config_named_by_perfbot_config(repo, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere.yaml"
    monkeypatch.setenv("PERFBOT_CONFIG", str(elsewhere))
    result = CliRunner().invoke(main, ["run", "--local", "--repo", str(repo), "--base", "first"])
    assert result.exit_code == 2
    assert result.output == f"Error: no config at {elsewhere} (pass --config FILE)\n"


def test_a_failed_step_that_ran_python_says_which_python_that_was(repo, tmp_path):
    job = command_job(repo, "", 1, command="[python, -c, 'import sys; sys.exit(4)']")
    result = subprocess.run(
        [PERFBOT, "run", "--local", "--repo", str(job), "--base", "HEAD~1", "--quiet",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    here = Path(sys.executable).parent / "python"
    assert f"note: `python` in this step is {here}" in result.stderr
    assert "Which Python a step runs" in result.stderr


def test_a_benchmark_that_fails_midway_keeps_the_rounds_measured_so_far(repo, tmp_path):
    bench = f'[ "$PERFBOT_ROUND" -lt 3 ] || exit 1\n{WRITE_RESULT}'
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["run", "--local", "--repo", str(command_job(repo, bench, 5)), "--base", "HEAD~1",
         "--quiet", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert f"kept the 4 round files measured so far in {out / 'results'}" in result.output
    for side in ("base", "head"):
        kept = sorted(p.name for p in (out / "results" / side).iterdir())
        assert kept == ["measured.tsv", "round-001.json", "round-002.json", "rounds.tsv"]


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs signals")
def test_ctrl_c_during_the_benchmark_keeps_the_rounds_measured_so_far(repo, tmp_path):
    bench = f"sleep 0.3\n{WRITE_RESULT}"
    out = tmp_path / "out"
    process = subprocess.Popen(
        [PERFBOT, "run", "--local", "--repo", str(command_job(repo, bench, 50)),
         "--base", "HEAD~1", "--quiet", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    log = out / "logs" / "measure.benchmark.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "round 2/50" not in (
        log.read_text() if log.exists() else ""
    ):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "kept the " in stderr
    assert (out / "results" / "base" / "round-001.json").is_file()
    assert (out / "results" / "head" / "round-001.json").is_file()


@pytest.mark.parametrize(
    ("edited", "warned"),
    [
        (["perfbot.yaml"], False),  # the config is read from the working tree: it is used
        (["perfbot.yaml", "version.txt"], True),  # another change still is not measured
        (["version.txt"], True),
    ],
)
def test_an_edited_config_alone_is_not_called_unmeasured(repo, edited, warned):
    (repo / "perfbot.yaml").write_text("# committed\n")
    from tests.local.conftest import git

    git(repo, "add", "perfbot.yaml")
    git(repo, "commit", "--quiet", "-m", "config")
    for name in edited:
        (repo / name).write_text("edited\n")
    head = commit(repo, "HEAD")
    found = cautions(repo, "HEAD", commit(repo, "first"), head, config=repo / "perfbot.yaml")
    assert any("uncommitted changes" in line for line in found) is warned
