"""What counts as a process left behind: a running process, not a dead one awaiting its reaper."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from workflows.local import processes


def _new_group() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sleep", "30"], start_new_session=True)


def test_a_running_group_is_alive() -> None:
    child = _new_group()
    try:
        assert processes.group_alive(child.pid)
    finally:
        child.kill()
        child.wait()


def test_a_killed_but_unreaped_group_is_not_alive() -> None:
    child = _new_group()
    os.killpg(child.pid, signal.SIGKILL)
    try:
        deadline = time.monotonic() + 5
        while processes.group_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        # still a zombie (not waited for), so killpg(pgid, 0) alone would call it alive
        os.killpg(child.pid, 0)
        assert not processes.group_alive(child.pid)
    finally:
        child.wait()


def test_a_reaped_group_is_not_alive() -> None:
    child = _new_group()
    child.kill()
    child.wait()
    assert not processes.group_alive(child.pid)
