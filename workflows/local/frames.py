"""The executor's working parts: stop signals, frames, arguments, results, the display hook.

Kept apart from the executor so the scheduling modules (`dags`, `tasks`, `pods`) and the
runner share them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from workflows.local import processes
from workflows.local.nodes import Node, Phase, RunState


class InvalidRun(ValueError):
    """The template or the parameters cannot start a run (missing parameter, bad value)."""


class Display(Protocol):
    def node_started(self, node: Node) -> None: ...
    def node_finished(self, node: Node) -> None: ...
    def node_retrying(self, node: Node, delay: float) -> None: ...
    def node_progress(self, node: Node) -> None: ...
    def warning(self, text: str) -> None: ...


class NullDisplay:
    def node_started(self, node: Node) -> None:
        pass

    def node_finished(self, node: Node) -> None:
        pass

    def node_retrying(self, node: Node, delay: float) -> None:
        pass

    def node_progress(self, node: Node) -> None:
        pass

    def warning(self, text: str) -> None:
        pass


class Stop:
    """A stop signal for one subtree; a stop of any ancestor stops it too."""

    def __init__(self, parent: Stop | None = None) -> None:
        self.parent = parent
        self._reason: str | None = None

    def set(self, reason: str) -> None:
        if self._reason is None:  # plain attribute: safe to set from a signal handler
            self._reason = reason

    def reason(self) -> str | None:
        stop: Stop | None = self
        while stop is not None:
            if stop._reason is not None:
                return stop._reason
            stop = stop.parent
        return None


@dataclass
class Frame:
    """Where a template executes: its stop signal, deadline and the owner of its daemons."""

    stop: Stop
    deadline: float | None
    daemons: list[tuple[Node, processes.LocalProcess]] | None
    depth: int = 0

    def child(self, stop: Stop, deadline: float | None, daemons: list[Any] | None) -> Frame:
        return Frame(stop, earliest(self.deadline, deadline), daemons, self.depth + 1)


@dataclass
class Arguments:
    parameters: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class RunResult:
    phase: Phase
    root: Node
    state: RunState
    failed: Node | None  # the first step that failed on its own
    interrupted: str | None  # the reason, when stopped from outside (Ctrl-C, SIGTERM)
    deadline_exceeded: bool
    exit_handler: Node | None = None

    @property
    def succeeded(self) -> bool:
        return self.phase == Phase.SUCCEEDED


def earliest(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def exit_message(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exited with code {code}"
