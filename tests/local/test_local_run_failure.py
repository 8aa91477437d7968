"""A real job that fails or is interrupted: the right exit code and message, nothing left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.local.conftest import git
from workflows.cli import main
from workflows.local.demo import make_repository


def processes_with(marker: str) -> list[int]:
    """PIDs of live processes whose environment carries `marker` (what this run started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def broken_benchmark(tmp_path: Path) -> Path:
    """The demo project, whose head commit's benchmark client crashes after the deploys."""
    repo = make_repository(tmp_path / "shop", "readme-only")
    client = repo / "bench" / "client.py"
    client.write_text(
        "import sys\nprint('bench: cannot reach the catalogue', file=sys.stderr)\nsys.exit(5)\n"
    )
    git(repo, "commit", "--quiet", "-am", "break the benchmark")
    return repo


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_a_failed_step_is_named_with_its_log_and_leaves_nothing_behind(
    broken_benchmark: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = f"PERFBOT_TEST_RUN={uuid.uuid4().hex}"
    name, value = marker.split("=")
    monkeypatch.setenv(name, value)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["run", "--local", "--repo", str(broken_benchmark), "--base", "HEAD~1",
         "--out", str(out), "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    assert "Error: step measure.benchmark failed: exited with code 2" in result.output
    assert "perfbot: round 1 on base failed" in result.output
    assert "bench: cannot reach the catalogue" in result.output
    assert (out / "logs" / "measure.deploy-base.log").is_file()
    assert processes_with(marker) == []
    assert git(broken_benchmark, "worktree", "list").count("\n") == 0


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_ctrl_c_stops_the_run_cleanly_with_exit_130(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "shop", "slow-search")
    marker = uuid.uuid4().hex
    out = tmp_path / "out"
    env = {**os.environ, "PERFBOT_TEST_RUN": marker, "SHOP_BENCH_BATCH": "200"}
    perfbot = Path(sys.executable).parent / "perfbot"
    process = subprocess.Popen(
        [str(perfbot), "run", "--local", "--repo", str(repo), "--base", "HEAD~1",
         "--out", str(out), "--quiet"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    benchmark_log = out / "logs" / "measure.benchmark.log"
    deadline = time.monotonic() + 30
    while not benchmark_log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert benchmark_log.exists(), process.communicate(timeout=30)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Error: interrupted (Ctrl-C): stopped every step and daemon" in stderr
    assert "Traceback" not in stderr
    assert processes_with(f"PERFBOT_TEST_RUN={marker}") == []
    assert git(repo, "worktree", "list").count("\n") == 0
