"""An interpreter of Argo WorkflowTemplates (the subset perfbot generates), on one machine.

"One definition, two executors": `perfbot run --local` does not have a pipeline of its own; it
walks the very WorkflowTemplate the Hera builders produce for the job, with Argo's semantics:
- the entrypoint and nested `dag`/`steps` templates (`dags`); `depends` and `dependencies`,
  `when`, `continueOn`, `failFast`, `parallelism`; `withItems`/`withSequence`/`withParam`
  loops and task exit hooks (`tasks`);
- parameters and `{{...}}` substitution (`scopes`; unknown variables are errors naming the
  step), output parameters and artifacts as files of the run, `workflow.status`/`failures`;
- container and script templates as local processes (`pods`, `containers`), daemons kept
  alive until their enclosing template ends, `retryStrategy` with (shortened) backoff,
  `activeDeadlineSeconds` (workflow and template) and `timeout` (here);
- the workflow's `onExit` handler (here).

A task runs in a thread of its own, so parallel branches (base and head builds) really run in
parallel; processes are polled, which lets a stop (Ctrl-C, a failed step, a deadline) reach
every one of them within a twentieth of a second.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from workflows.argo_values import parameters_value
from workflows.local import containers, extensions, preflight, probes, processes
from workflows.local.containers import RunContext, StepError
from workflows.local.dags import DagSteps
from workflows.local.expressions import ExpressionError
from workflows.local.frames import (
    Arguments,
    Display,
    Frame,
    InvalidRun,
    NullDisplay,
    RunResult,
    Stop,
    earliest,
)
from workflows.local.nodes import Node, Phase, RunState
from workflows.local.pods import POLL_SECONDS, PodSteps
from workflows.local.scopes import resolve
from workflows.local.tasks import TaskSteps
from workflows.local.timing import backoff_delay, retries_on, retry_limit, seconds
from workflows.local.variables import UnknownVariable

__all__ = ["Executor", "InvalidRun", "RunResult"]

# The exit handler runs after the deadline too (it reports how the run ended), so it gets a
# budget of its own rather than none at all.
EXIT_HANDLER_BUDGET_SECONDS = 300.0


class Executor(DagSteps, TaskSteps, PodSteps):
    def __init__(
        self,
        workflow_template: Mapping[str, Any],
        *,
        parameters: Mapping[str, str],
        run: RunContext,
        display: Display | None = None,
        name: str | None = None,
    ) -> None:
        self.document = workflow_template
        self.spec: Mapping[str, Any] = workflow_template.get("spec") or {}
        self.templates = preflight.templates_of(self.spec)
        self.run_context = run
        self.display: Display = display or NullDisplay()
        self.state = RunState()
        meta = workflow_template.get("metadata") or {}
        base = meta.get("name") or meta.get("generateName", "local").rstrip("-") or "local"
        self.name = name or f"{base}-local-{uuid.uuid4().hex[:5]}"
        self.uid = str(uuid.uuid4())
        self.created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.parameters = self._workflow_parameters(parameters)
        self.status = "Running"
        self.interrupt_stop = Stop()
        self.root_stop = Stop(self.interrupt_stop)
        self.interrupted: str | None = None
        self.workflow_deadline: float | None = None
        self.deadline_exceeded = False
        self.first_failure: Node | None = None
        self._lock = threading.Lock()
        self._started = time.monotonic()
        limit = self.spec.get("parallelism")
        self._pods = threading.BoundedSemaphore(int(limit)) if limit else None
        run.workflow_volumes = {v["name"] for v in self.spec.get("volumes") or []} | {
            (v.get("metadata") or {}).get("name", "")
            for v in self.spec.get("volumeClaimTemplates") or []
        }
        run.workspace = extensions.workspace(workflow_template)
        if run.warn is None:
            run.warn = self.display.warning
        self._root: Node | None = None

    # -- public -------------------------------------------------------------------------------

    def interrupt(self, reason: str = "interrupted") -> None:
        """Stop everything, from a signal handler or another thread."""
        self.interrupted = self.interrupted or reason
        self.interrupt_stop.set(reason)

    def run(self) -> RunResult:
        preflight.check(self.spec)
        entry = self.spec["entrypoint"]
        deadline_seconds = self.spec.get("activeDeadlineSeconds")
        if deadline_seconds:
            self.workflow_deadline = time.monotonic() + seconds(
                deadline_seconds, "spec.activeDeadlineSeconds"
            )
        root = self._new_node(None, entry, entry, self.templates[entry], depth=0)
        root.display_name = self.name  # as in Argo, the workflow's own node
        self._root = root
        exit_node = None
        try:
            arguments = Arguments(parameters=dict(self.parameters))
            frame = Frame(self.root_stop, self.workflow_deadline, None, 0)
            self._execute(root, self.templates[entry], arguments, frame)
            self.status = (
                "Succeeded"
                if root.phase == Phase.SUCCEEDED
                else ("Error" if root.phase == Phase.ERROR else "Failed")
            )
            if self.spec.get("onExit") and not self.interrupted:
                exit_name = self.spec["onExit"]
                exit_node = self._new_node(None, "onExit", exit_name, self.templates[exit_name])
                budget = time.monotonic() + EXIT_HANDLER_BUDGET_SECONDS
                frame = Frame(Stop(self.interrupt_stop), budget, None, 0)
                self._execute(exit_node, self.templates[exit_name], Arguments(), frame)
        finally:
            self.run_context.table.stop_all(grace=processes.GRACE_SECONDS)
            self.run_context.worktrees.remove_all()
        phase = root.phase
        if exit_node is not None and exit_node.phase.bad and phase == Phase.SUCCEEDED:
            phase = Phase.FAILED  # Argo fails a workflow whose exit handler fails
        return RunResult(
            phase=phase,
            root=root,
            state=self.state,
            failed=self.first_failure or (exit_node if exit_node and exit_node.phase.bad else None),
            interrupted=self.interrupted,
            deadline_exceeded=self.deadline_exceeded,
            exit_handler=exit_node,
        )

    # -- parameters and scopes --------------------------------------------------------------

    def _workflow_parameters(self, given: Mapping[str, str]) -> dict[str, str]:
        declared = {
            p["name"]: p for p in (self.spec.get("arguments") or {}).get("parameters") or []
        }
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise InvalidRun(f"the template has no parameter {', '.join(unknown)}")
        values: dict[str, str] = {}
        for name, spec in declared.items():
            value = given.get(name, spec.get("value", spec.get("default")))
            if value is None:
                raise InvalidRun(f"workflow parameter {name!r} needs a value")
            value = str(value)
            if spec.get("enum") and value not in [str(v) for v in spec["enum"]]:
                raise InvalidRun(
                    f"workflow parameter {name!r}: {value!r} is not one of {spec['enum']}"
                )
            values[name] = value
        return values

    def _global_scope(self) -> dict[str, str]:
        scope = {
            "workflow.name": self.name,
            "workflow.namespace": "local",
            "workflow.uid": self.uid,
            "workflow.serviceAccountName": str(self.spec.get("serviceAccountName", "")),
            "workflow.creationTimestamp": self.created,
            "workflow.mainEntrypoint": str(self.spec.get("entrypoint", "")),
            "workflow.status": self.status,
            "workflow.failures": self.state.failures_json(),
            "workflow.duration": f"{time.monotonic() - self._started:.3f}",
            "workflow.parameters.json": parameters_value(
                (self.spec.get("arguments") or {}).get("parameters") or [], self.parameters
            ),
        }
        for key, value in self.parameters.items():
            scope[f"workflow.parameters.{key}"] = value
        meta = self.spec.get("workflowMetadata") or {}
        for kind in ("labels", "annotations"):
            for key, value in (meta.get(kind) or {}).items():
                scope[f"workflow.{kind}.{key}"] = str(value)
        return scope

    def _template_scope(
        self, node: Node, template: Mapping[str, Any], inputs: Arguments
    ) -> dict[str, str]:
        scope = self._global_scope()
        for key, value in inputs.parameters.items():
            scope[f"inputs.parameters.{key}"] = value
        scope["inputs.parameters"] = json.dumps(
            [{"name": k, "value": v} for k, v in inputs.parameters.items()]
        )
        for name, given in inputs.artifacts.items():  # what a DAG hands on: `from: {{inputs...}}`
            if given.get("from_path"):
                scope[f"inputs.artifacts.{name}"] = str(given["from_path"])
        for artifact in (template.get("inputs") or {}).get("artifacts") or []:
            if artifact.get("path"):
                scope[f"inputs.artifacts.{artifact['name']}.path"] = str(artifact["path"])
        outputs = template.get("outputs") or {}
        for artifact in outputs.get("artifacts") or []:
            if artifact.get("path"):
                scope[f"outputs.artifacts.{artifact['name']}.path"] = str(artifact["path"])
        for parameter in outputs.get("parameters") or []:
            path = (parameter.get("valueFrom") or {}).get("path")
            if path:
                scope[f"outputs.parameters.{parameter['name']}.path"] = str(path)
        scope["pod.name"] = node.id
        scope["node.name"] = node.id
        scope["retries"] = str(node.attempt - 1)
        return scope

    # -- nodes ----------------------------------------------------------------------------------

    def _new_node(
        self,
        parent: Node | None,
        name: str,
        template_name: str,
        template: Mapping[str, Any] | None,
        depth: int = 0,
    ) -> Node:
        node_id = f"{parent.id}.{name}" if parent is not None and parent is not self._root else name
        kind = preflight.kind_of(template) if template is not None else "container"
        node = Node(id=node_id, name=name, template=template_name, kind=kind, depth=depth)
        node.log = self.run_context.logs_dir / f"{containers._safe(node_id)}.log"
        if parent is not None:
            parent.children.append(node)
        return self.state.add(node)

    def _record_failure(self, node: Node) -> None:
        with self._lock:
            if self.first_failure is None and not node.stopped:
                self.first_failure = node

    def _finish(self, node: Node, phase: Phase, message: str = "") -> None:
        if node.started is None:
            node.start()
        node.finish(phase, message)
        if phase.bad and node.leaf:
            self._record_failure(node)
        self.display.node_finished(node)

    # -- templates --------------------------------------------------------------------------

    def _inputs(self, node: Node, template: Mapping[str, Any], given: Arguments) -> Arguments:
        inputs = Arguments()
        scope = self._global_scope()
        declared = (template.get("inputs") or {}).get("parameters") or []
        for parameter in declared:
            name = parameter["name"]
            value = given.parameters.get(name, parameter.get("value", parameter.get("default")))
            if value is None:
                raise InvalidRun(f"step {node.id}: input parameter {name!r} was not supplied")
            value = resolve(str(value), scope, node.id)
            allowed = parameter.get("enum")
            if allowed and value not in [str(v) for v in allowed]:
                raise InvalidRun(f"step {node.id}: {name}={value!r} is not one of {allowed}")
            inputs.parameters[name] = value
        for name in extensions.free_port_inputs(template):
            if name not in inputs.parameters:
                raise InvalidRun(f"step {node.id}: free port for unknown input {name!r}")
            port = probes.free_port()
            self.run_context.allocated_ports.add(port)
            inputs.parameters[name] = str(port)
        inputs.artifacts = {k: dict(v) for k, v in given.artifacts.items()}
        return inputs

    def _execute(
        self, node: Node, template: Mapping[str, Any], arguments: Arguments, frame: Frame
    ) -> None:
        """Run one template at `node`, with retries; leaves the node finished."""
        try:
            inputs = self._inputs(node, template, arguments)
            strategy = template.get("retryStrategy")
            limit = retry_limit(strategy, f"step {node.id}")
            timeout = template.get("timeout")
            if timeout:
                scope = self._template_scope(node, template, inputs)
                timeout = seconds(resolve(str(timeout), scope, node.id), f"{node.id}")
        except (InvalidRun, UnknownVariable, ValueError) as exc:
            self._finish(node, Phase.ERROR, str(exc))
            self._record_failure(node)
            return
        deadline = earliest(frame.deadline, time.monotonic() + timeout if timeout else None)
        frame = Frame(frame.stop, deadline, frame.daemons, frame.depth)
        node.attempts = limit + 1
        node.retried = strategy is not None
        node.start()
        self.display.node_started(node)
        phase, message = Phase.FAILED, ""
        for attempt in range(1, limit + 2):
            node.attempt = attempt
            phase, message = self._attempt(node, template, inputs, frame)
            node.attempted(phase, message)
            if phase == Phase.SUCCEEDED or attempt > limit:
                break
            if not retries_on(strategy, phase.value) or frame.stop.reason() or node.stopped:
                break
            if frame.deadline is not None and time.monotonic() >= frame.deadline:
                break
            delay = backoff_delay(strategy, attempt, f"step {node.id}")
            node.message = message
            self.display.node_retrying(node, delay)
            if self._sleep(delay, frame):
                break
            node.outputs = type(node.outputs)()
            node.children.clear()
            node.stopped = False
        self._finish(node, phase, message)

    def _attempt(
        self, node: Node, template: Mapping[str, Any], inputs: Arguments, frame: Frame
    ) -> tuple[Phase, str]:
        kind = node.kind
        try:
            if kind in ("container", "script"):
                return self._run_container(node, template, inputs, frame)
            if kind == "dag":
                return self._run_dag(node, template, inputs, frame)
            if kind == "steps":
                return self._run_steps(node, template, inputs, frame)
            if kind == "suspend":
                scope = self._template_scope(node, template, inputs)
                duration = resolve(str(template["suspend"]["duration"]), scope, node.id)
                stopped = self._sleep(seconds(duration, f"{node.id}: suspend.duration"), frame)
                return (Phase.FAILED, "stopped") if stopped else (Phase.SUCCEEDED, "")
        except (UnknownVariable, ExpressionError, InvalidRun, StepError) as exc:
            return Phase.ERROR, str(exc)
        except ValueError as exc:
            return Phase.ERROR, f"step {node.id}: {exc}"
        return Phase.ERROR, f"step {node.id}: {kind} templates cannot run locally"

    def _sleep(self, delay: float, frame: Frame) -> bool:
        """Wait `delay` seconds unless stopped; True if stopped."""
        end = time.monotonic() + delay
        while time.monotonic() < end:
            if frame.stop.reason():
                return True
            time.sleep(min(POLL_SECONDS, max(0.0, end - time.monotonic())))
        return bool(frame.stop.reason())
