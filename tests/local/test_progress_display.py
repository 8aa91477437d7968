"""Where a long benchmark is: a bar in a terminal, one line per round without one.

Both run `perfbot run --local` for real on a command-line job whose rounds take a moment, the
terminal case inside a pseudo-terminal, as a user's shell would give it.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.local.conftest import ONE_RESULT, command_job

ROUNDS = 3
SLEEP = 0.4  # seconds per side: long enough for several redraws of the bar per round
PERFBOT = str(Path(sys.executable).parent / "perfbot")


@pytest.fixture
def slow_rounds(repo: Path) -> Path:
    return command_job(repo, f"sleep {SLEEP}\necho '{ONE_RESULT}' > \"$PERFBOT_RESULT\"\n", ROUNDS)


def command(repo: Path, out: Path) -> list[str]:
    return [PERFBOT, "run", "--local", "--repo", str(repo), "--base", "HEAD~1",
            "--out", str(out)]  # fmt: skip


def run_in_terminal(argv: list[str], timeout: float = 60) -> str:
    """The run's terminal output (stdout and stderr share the pty, as in a shell)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "140", "LINES": "40"}
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other side closed: the run ended
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=10) == 0, b"".join(chunks).decode(errors="replace")[-3000:]
    return b"".join(chunks).decode(errors="replace")


def test_a_terminal_shows_the_benchmark_round_counter_moving(slow_rounds, tmp_path):
    screen = run_in_terminal(command(slow_rounds, tmp_path / "out"))
    seen = re.findall(rf"round (\d)/{ROUNDS} (base|head)", screen)
    assert [int(n) for n, _ in seen] == sorted(int(n) for n, _ in seen)
    assert {int(n) for n, _ in seen} == {1, 2, 3}
    assert ("2", "head") in seen  # even rounds start with head
    assert "━" in screen  # rich's bar


def test_without_a_terminal_each_round_is_one_line_with_the_time_left(slow_rounds, tmp_path):
    completed = subprocess.run(
        command(slow_rounds, tmp_path / "out"), capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    lines = re.findall(r"measure\.benchmark: (round .*)", completed.stderr)
    assert lines[0] == f"round 1/{ROUNDS} base"
    assert re.fullmatch(rf"round 2/{ROUNDS} head, about \d+ s left", lines[1]), lines
    assert re.fullmatch(rf"round 3/{ROUNDS} base, about \d+ s left", lines[2]), lines
    assert len(lines) == ROUNDS
