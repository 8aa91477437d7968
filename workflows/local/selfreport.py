"""A step's self-reported progress (Argo's `ARGO_PROGRESS_FILE`), read while the step runs.

Argo's executor reads the last line of the file and keeps it when it is `N/M` with
0 <= N <= M and M > 0 (`v1alpha1.ParseProgress`); anything else is ignored, as a half-written
line is. Reading it the same way locally means a step that reports progress in the cluster
reports it here too, and the local display can show where a long benchmark is.

The benchmark driver counts sides: `M` = 2 x rounds, and the side a count points at follows the
driver's order within a round (odd rounds base then head, even rounds head then base);
`tests/pipeline/test_drivers.py` checks the two agree.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

ENV = "ARGO_PROGRESS_FILE"
FILE_NAME = "progress"  # in the step's own directory, as /var/run/argo/progress is the pod's
BENCHMARK_TEMPLATE = "benchmark"  # workflows.pipeline.benchmark.NAME, without importing hera
SIDES_PER_ROUND = 2


def parse(text: str) -> tuple[int, int] | None:
    """`N/M` from the file's last non-empty line, as Argo's executor reads it; else None."""
    lines = text.strip().split("\n")
    done, slash, total = lines[-1].strip().partition("/")
    if not slash or not (done.isdigit() and total.isdigit()):
        return None
    n, m = int(done), int(total)
    return (n, m) if 0 <= n <= m and m > 0 else None


def side_running(done: int) -> tuple[int, str]:
    """(round, side) of the benchmark driver once `done` sides have finished."""
    round_ = done // SIDES_PER_ROUND + 1
    order = ("base", "head") if round_ % 2 == 1 else ("head", "base")
    return round_, order[done % SIDES_PER_ROUND]


@dataclass
class Progress:
    """What a step reported, and when each count first appeared (for the time left)."""

    path: Path
    done: int = 0
    total: int = 0
    first: tuple[float, int] | None = None  # (monotonic time, done) of the first report
    last: tuple[float, int] | None = None  # of the latest change
    _seen: tuple[int, int] | None = field(default=None, repr=False)  # (mtime_ns, size)

    def poll(self, now: float | None = None) -> bool:
        """Re-read the file if it changed; True when the count moved."""
        try:
            stat = os.stat(self.path)
        except OSError:
            return False
        if self._seen == (stat.st_mtime_ns, stat.st_size):
            return False
        self._seen = (stat.st_mtime_ns, stat.st_size)
        try:
            parsed = parse(self.path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return False
        if parsed is None or (self.last is not None and parsed == (self.done, self.total)):
            return False
        now = time.monotonic() if now is None else now
        self.done, self.total = parsed
        self.last = (now, self.done)
        if self.first is None:
            self.first = self.last
        return True

    @property
    def reported(self) -> bool:
        return self.last is not None

    def seconds_left(self, now: float | None = None) -> float | None:
        """From the pace of the units measured so far; None before one was measured."""
        if self.first is None or self.last is None or self.last[1] <= self.first[1]:
            return None
        now = time.monotonic() if now is None else now
        pace = (self.last[0] - self.first[0]) / (self.last[1] - self.first[1])
        return max(0.0, pace * (self.total - self.done) - (now - self.last[0]))


def about(seconds: float) -> str:
    """`about 1 min 10 s left`: whole seconds under a minute, tens of seconds under an hour."""
    if seconds < 60:
        return f"about {max(1, round(seconds))} s left"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds / 10) * 10, 60)
        return f"about {minutes} min {rest} s left" if rest else f"about {minutes} min left"
    hours, rest = divmod(round(seconds / 60), 60)
    return f"about {hours} h {rest} min left" if rest else f"about {hours} h left"


def describe(template: str, progress: Progress, now: float | None = None) -> str:
    """`round 4/10 head, about 1 min 10 s left` for the benchmark, `7/20, ...` for any step."""
    if template == BENCHMARK_TEMPLATE and progress.total % SIDES_PER_ROUND == 0:
        rounds = progress.total // SIDES_PER_ROUND
        if progress.done >= progress.total:
            text = f"round {rounds}/{rounds} done"
        else:
            round_, side = side_running(progress.done)
            text = f"round {round_}/{rounds} {side}"
    else:
        text = f"{progress.done}/{progress.total}"
    left = progress.seconds_left(now)
    if left is not None and progress.done < progress.total:
        text += f", {about(left)}"
    return text
