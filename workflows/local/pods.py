"""Running a container or script template as a local process: wait, stop, or await readiness.

A mixin of `Executor` (which provides the attributes declared here): one attempt of one
step, from substitution to collected outputs, or to the daemon's readiness.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections.abc import Mapping
from typing import Any

from workflows.local import containers, extensions, probes, processes, selfreport
from workflows.local.containers import RunContext
from workflows.local.frames import Arguments, Display, Frame, earliest, exit_message
from workflows.local.nodes import Node, Phase
from workflows.local.scopes import resolve
from workflows.local.timing import seconds

POLL_SECONDS = 0.05
# Fields of a container/script template that Argo substitutes before the pod starts.
_SUBSTITUTED = ("container", "script", "inputs", "outputs", "timeout", "activeDeadlineSeconds",
                "suspend", "daemon")  # fmt: skip


class PodSteps:
    run_context: RunContext
    display: Display
    workflow_deadline: float | None
    deadline_exceeded: bool
    _pods: threading.BoundedSemaphore | None
    # and, from Executor: _template_scope

    def _run_container(
        self, node: Node, template: Mapping[str, Any], inputs: Arguments, frame: Frame
    ) -> tuple[Phase, str]:
        scope = self._template_scope(node, template, inputs)
        resolved = dict(template)
        for key in _SUBSTITUTED:
            if key in template:
                resolved[key] = resolve(template[key], scope, node.id)
        notes = extensions.annotations(template)
        if notes:
            local_notes = {k: v for k, v in notes.items() if k.startswith("perfbot/local-")}
            metadata = dict(template.get("metadata") or {})
            metadata["annotations"] = {**notes, **resolve(local_notes, scope, node.id)}
            resolved["metadata"] = metadata
        node.daemon = str(resolved.get("daemon", "")).lower() == "true"
        deadline = frame.deadline
        if resolved.get("activeDeadlineSeconds"):
            pod_deadline = seconds(resolved["activeDeadlineSeconds"], f"{node.id}")
            deadline = earliest(deadline, time.monotonic() + pod_deadline)
        assert node.log is not None
        if node.attempt > 1:
            with open(node.log, "a", encoding="utf-8") as log:
                log.write(f"\n--- attempt {node.attempt} of {node.attempts} ---\n")
        node.ports.clear()
        prepared = containers.prepare(self.run_context, node, resolved, inputs.artifacts)
        node.argv = prepared.argv
        if self._pods is not None and not node.daemon:
            self._pods.acquire()
        try:
            try:
                process = processes.start(
                    prepared.argv,
                    env=prepared.env,
                    cwd=prepared.cwd,
                    log_path=node.log,
                    table=self.run_context.table,
                    capture_stdout=not node.daemon,
                )
            except OSError as exc:
                return Phase.ERROR, f"cannot run {prepared.argv[0]!r}: {exc.strerror or exc}"
            if node.daemon:
                return self._await_ready(node, prepared, process, frame, deadline)
            node.progress = selfreport.Progress(prepared.step_dir / selfreport.FILE_NAME)
            outcome = self._wait(node, process, frame, deadline)
        finally:
            if self._pods is not None and not node.daemon:
                self._pods.release()
        if outcome is not None:
            return outcome
        code = process.popen.returncode
        node.outputs.exit_code = code
        node.outputs.result = process.result()
        if code != 0:
            return Phase.FAILED, exit_message(code)
        containers.collect_outputs(self.run_context, node, resolved, prepared)
        return Phase.SUCCEEDED, ""

    def _wait(
        self, node: Node, process: processes.LocalProcess, frame: Frame, deadline: float | None
    ) -> tuple[Phase, str] | None:
        """Wait for the process; a (phase, message) if it had to be stopped, else None."""
        while process.poll() is None:
            stopped = self._stopped(node, frame, deadline)
            if stopped is not None:
                processes.stop(process)
                return stopped
            self._report_progress(node)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.popen.wait(timeout=POLL_SECONDS)
        processes.finish(process)
        self._report_progress(node)
        return None

    def _report_progress(self, node: Node) -> None:
        if node.progress is not None and node.progress.poll():
            self.display.node_progress(node)

    def _stopped(
        self, node: Node, frame: Frame, deadline: float | None
    ) -> tuple[Phase, str] | None:
        reason = frame.stop.reason()
        if reason is not None:
            node.stopped = True
            return Phase.FAILED, f"stopped: {reason}"
        if deadline is not None and time.monotonic() >= deadline:
            if self.workflow_deadline is not None and time.monotonic() >= self.workflow_deadline:
                self.deadline_exceeded = True
                return Phase.FAILED, "the workflow exceeded its deadline (activeDeadlineSeconds)"
            return Phase.FAILED, "step exceeded its deadline (timeout / activeDeadlineSeconds)"
        return None

    def _await_ready(
        self,
        node: Node,
        prepared: containers.PreparedStep,
        process: processes.LocalProcess,
        frame: Frame,
        deadline: float | None,
    ) -> tuple[Phase, str]:
        probe = prepared.probe
        patience = probes.patience(probe or {})
        limit = earliest(deadline, time.monotonic() + patience)
        while True:
            code = process.poll()
            if code is not None:
                processes.finish(process)
                return Phase.FAILED, f"daemon {exit_message(code)} before it was ready"
            stopped = self._stopped(node, frame, deadline)
            if stopped is not None:
                processes.stop(process)
                return stopped
            if probe is None or probes.check(
                probe,
                port=prepared.probe_port,
                exec_argv=prepared.probe_argv,
                env=prepared.env,
                cwd=prepared.cwd,
            ):
                break
            if limit is not None and time.monotonic() >= limit:
                processes.stop(process)
                return Phase.FAILED, f"not ready after {patience:g} s (readiness probe)"
            time.sleep(probes.POLL_SECONDS)
        node.daemoned = True
        if frame.daemons is not None:
            frame.daemons.append((node, process))
        where = ", ".join(f"port {d} -> 127.0.0.1:{p}" for d, p in node.ports.items())
        return Phase.SUCCEEDED, where
