"""Local processes that stand in for pods: own process group, log file, clean stop.

Each step runs in a new session (so its process group is its own, like a pod's processes),
which lets a stop reach everything the step started: `TERM` to the group, a grace period,
then `KILL`. A table of live groups lets Ctrl-C, a failed step or the deadline stop all of
them from one place, and `stop` is also applied after a step exits normally, because a pod's
leftovers die with the pod.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

GRACE_SECONDS = 2.0  # between TERM and KILL; a local step has no node drain to wait for
RESULT_LIMIT = 256 * 1024  # bytes of stdout kept as `outputs.result`, like Argo's cap


@dataclass
class LocalProcess:
    popen: subprocess.Popen[bytes]
    log_path: Path
    started: float
    table: ProcessTable
    _stdout: bytearray = field(default_factory=bytearray)
    _reader: threading.Thread | None = None

    @property
    def pgid(self) -> int:
        return self.popen.pid  # the leader of a new session: its pid is the group id

    def poll(self) -> int | None:
        return self.popen.poll()

    def result(self) -> str:
        """Stdout (for `outputs.result`), once the process has ended."""
        if self._reader is not None:
            self._reader.join(timeout=5)
        return self._stdout.decode("utf-8", "replace").rstrip("\n")


def start(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    table: ProcessTable,
    capture_stdout: bool = True,
) -> LocalProcess:
    """Exec `argv` (no shell) in its own session, stdout and stderr appended to `log_path`.

    Raises FileNotFoundError / PermissionError when the program cannot be executed.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cwd.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        popen = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture_stdout else log,
            stderr=log,
            start_new_session=True,
        )
    process = LocalProcess(popen=popen, log_path=log_path, started=time.monotonic(), table=table)
    if capture_stdout:
        process._reader = threading.Thread(
            target=_tee, args=(popen, log_path, process._stdout), daemon=True
        )
        process._reader.start()
    table.add(process)
    return process


def _tee(popen: subprocess.Popen[bytes], log_path: Path, kept: bytearray) -> None:
    assert popen.stdout is not None
    with open(log_path, "ab", buffering=0) as log:
        for chunk in iter(lambda: popen.stdout.read1(65536), b""):  # type: ignore[union-attr]
            log.write(chunk)
            room = RESULT_LIMIT - len(kept)
            if room > 0:
                kept.extend(chunk[:room])
    popen.stdout.close()


def group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs; zombies do not count.

    A killed grandchild is reparented to PID 1 and stays a zombie until PID 1 reaps it, which
    in a container may be never; `killpg(pgid, 0)` still sees it. On Linux we read /proc
    instead, so a dead-but-unreaped process is not mistaken for a leftover.
    """
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return True
    return any(_running_in_group(stat, pgid) for stat in proc.glob("[0-9]*/stat"))


def _running_in_group(stat: Path, pgid: int) -> bool:
    try:
        text = stat.read_text()
    except OSError:  # the process ended while we looked
        return False
    # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
    fields = text[text.rfind(")") + 2 :].split()
    return len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X")


def stop(process: LocalProcess, grace: float = GRACE_SECONDS) -> None:
    """TERM the whole process group, then KILL what is left after `grace` seconds."""
    pgid = process.pgid
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.popen.poll()
        if not group_alive(pgid):
            break
        time.sleep(0.05)
    else:
        _signal_group(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.popen.wait(timeout=grace)
    _wait_group_gone(pgid, grace)
    process.table.discard(process)


def finish(process: LocalProcess) -> None:
    """After the leader exited: stop whatever it left running in its group."""
    if group_alive(process.pgid):
        stop(process, grace=1.0)
    process.table.discard(process)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _wait_group_gone(pgid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if group_alive(pgid):
        _signal_group(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 1.0  # SIGKILL is delivered asynchronously
        while group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.02)


class ProcessTable:
    """Every live process group of this run, so one call can stop them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: dict[int, LocalProcess] = {}

    def add(self, process: LocalProcess) -> None:
        with self._lock:
            self._live[process.pgid] = process

    def discard(self, process: LocalProcess) -> None:
        with self._lock:
            self._live.pop(process.pgid, None)

    def live(self) -> list[LocalProcess]:
        with self._lock:
            return list(self._live.values())

    def stop_all(self, grace: float = GRACE_SECONDS) -> None:
        stop_many(self.live(), grace)


def stop_many(processes: list[LocalProcess], grace: float = GRACE_SECONDS) -> None:
    """`stop` for several processes at once: one grace period for all, not one each."""
    for process in processes:
        _signal_group(process.pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        while group_alive(process.pgid) and time.monotonic() < deadline:
            process.popen.poll()
            time.sleep(0.02)
    for process in processes:
        stop(process, grace=max(0.1, deadline - time.monotonic()))
