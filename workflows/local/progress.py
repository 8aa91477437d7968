"""What the person running `perfbot run --local` sees while steps run.

A terminal gets a live list of steps (rich), redrawn a few times a second, with each step's
state and elapsed time; `--quiet`, or a stderr that is not a terminal (CI logs), gets one plain
line per step start and end instead. Both write to stderr, so stdout carries only the report.
A step that reports its progress (`ARGO_PROGRESS_FILE`, as the benchmark driver does) gets a bar
and the time left on its row, or in plain mode one line per benchmark round: a benchmark is
most of a run's time, and a silent one looks hung.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from workflows.local.nodes import Node, Phase
from workflows.local.selfreport import BENCHMARK_TEMPLATE, SIDES_PER_ROUND, describe

_STYLE = {
    Phase.PENDING: ("·", "dim"),
    Phase.RUNNING: ("…", "yellow"),
    Phase.SUCCEEDED: ("✓", "green"),
    Phase.FAILED: ("✗", "red"),
    Phase.ERROR: ("✗", "red"),
    Phase.SKIPPED: ("-", "dim"),
    Phase.OMITTED: ("-", "dim"),
}


NOTHING_FLAGGED = "nothing was flagged: nothing to measure again"
# perfbot's own pipeline steps (workflows.pipeline.workflow): what their being skipped means
SKIPS = {
    "report": "a confirmation ran: its report (confirm-report) is the one sent",
    "confirm": NOTHING_FLAGGED,
    "confirm-compare": NOTHING_FLAGGED,
    "confirm-report": "nothing was flagged: the first report (report) is the one sent",
}


def skip_reason(node: Node) -> str:
    """Why a skipped step did not run: in words for perfbot's own steps, else its condition."""
    return SKIPS.get(node.id, node.message)


def state_text(node: Node) -> str:
    if node.daemoned and node.phase == Phase.SUCCEEDED:
        return "daemon stopped" if node.message.startswith("stopped") else "daemon ready"
    if node.phase == Phase.RUNNING and node.attempt > 1:
        return f"running (attempt {node.attempt}/{node.attempts})"
    return node.phase.value.lower()


class PlainProgress:
    """One line per step start and end, for CI logs."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self._lock = threading.Lock()
        self._start = time.monotonic()

    def _line(self, text: str) -> None:
        with self._lock:
            print(f"[{time.monotonic() - self._start:7.1f}s] {text}", file=self.stream, flush=True)

    def node_started(self, node: Node) -> None:
        if node.leaf or node.kind == "loop":
            self._line(f"{node.id}: started")

    def node_finished(self, node: Node) -> None:
        if node.phase == Phase.SKIPPED:
            self._line(f"{node.id}: skipped ({skip_reason(node)})")
            return
        detail = f" ({node.message})" if node.message and node.phase != Phase.SUCCEEDED else ""
        if node.daemoned:
            detail = f" ({node.message})" if node.message else ""
        self._line(f"{node.id}: {state_text(node)} after {node.elapsed:.1f}s{detail}")

    def node_retrying(self, node: Node, delay: float) -> None:
        self._line(f"{node.id}: attempt {node.attempt} failed ({node.message}); retrying")

    def node_progress(self, node: Node) -> None:
        """A benchmark: one line as each round starts; any other step: each change."""
        progress = node.progress
        if progress is None or progress.done >= progress.total:
            return
        if node.template == BENCHMARK_TEMPLATE and progress.done % SIDES_PER_ROUND:
            return
        self._line(f"{node.id}: {describe(node.template, progress)}")

    def warning(self, text: str) -> None:
        self._line(f"warning: {text}")

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class LiveProgress:
    """A live table of the run's steps, redrawn from the run state."""

    def __init__(self, title: str, console: Console | None = None) -> None:
        self.title = title
        self.console = console or Console(stderr=True)
        self.nodes: Callable[[], list[Node]] = list
        self._warnings: list[str] = []
        self._live: Live | None = None

    def follow(self, nodes: Callable[[], list[Node]]) -> None:
        self.nodes = nodes

    def render(self) -> Any:
        table = Table.grid(padding=(0, 2))
        table.add_column(width=1)
        table.add_column(min_width=24)
        table.add_column(min_width=14)
        table.add_column(justify="right", min_width=7)
        table.add_column(overflow="ellipsis", no_wrap=True, max_width=60)
        for node in self.nodes():
            mark, style = _STYLE[node.phase]
            if node.phase == Phase.RUNNING and not node.leaf:
                style = "cyan"
            elapsed = f"{node.elapsed:.1f}s" if node.started is not None else ""
            note = node.message if node.phase != Phase.RUNNING else ""
            if node.phase == Phase.SKIPPED:
                elapsed, note = "", skip_reason(node)
            state: Any = Text(state_text(node), style=style)
            progress = node.progress
            if node.phase == Phase.RUNNING and progress is not None and progress.reported:
                state = ProgressBar(total=progress.total, completed=progress.done, width=14)
                note = describe(node.template, progress)
            table.add_row(
                Text(mark, style=style),
                Text("  " * node.depth + node.name, style="bold" if not node.leaf else ""),
                state,
                elapsed,
                Text(note, style="dim"),
            )
        parts: list[Any] = [Text(self.title, style="bold"), table]
        parts += [Text(f"warning: {w}", style="yellow") for w in self._warnings[-5:]]
        return Group(*parts)

    def node_started(self, node: Node) -> None:
        pass

    def node_finished(self, node: Node) -> None:
        pass

    def node_retrying(self, node: Node, delay: float) -> None:
        pass

    def node_progress(self, node: Node) -> None:
        pass  # render() reads node.progress on every refresh

    def warning(self, text: str) -> None:
        self._warnings.append(text)

    def __enter__(self) -> LiveProgress:
        self._live = Live(
            get_renderable=self.render,
            console=self.console,
            refresh_per_second=8,
            transient=False,
        )
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.refresh()
            self._live.__exit__(None, None, None)


def choose(quiet: bool, title: str, stream: IO[str] | None = None) -> PlainProgress | LiveProgress:
    """Live when stderr is a terminal and not `--quiet`; plain lines otherwise."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        return PlainProgress(stream)
    return LiveProgress(title, Console(file=stream))
