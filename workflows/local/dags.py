"""DAG and steps templates: who runs when, what failed, which daemons to stop.

A mixin of `Executor`. A DAG starts every task whose dependencies are fulfilled, each in a
thread (`tasks`), and waits on a queue of completions; an unhandled failure stops the rest of
the DAG (`failFast`); its daemons are stopped when it ends.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workflows.local import processes
from workflows.local.expressions import depends_results, depends_tasks, evaluate_depends
from workflows.local.frames import Arguments, Display, Frame, Stop, exit_message
from workflows.local.nodes import Node, Phase
from workflows.local.pods import POLL_SECONDS
from workflows.local.scopes import resolve, sibling_scope

_FAILURE_RESULTS = ("Failed", "Errored", "AllFailed")


class DagSteps:
    templates: dict[str, dict[str, Any]]
    display: Display
    # and, from Executor: _template_scope, _new_node, _finish; from TaskSteps: _spawn

    def _run_dag(
        self, node: Node, template: Mapping[str, Any], inputs: Arguments, frame: Frame
    ) -> tuple[Phase, str]:
        dag = template["dag"]
        tasks = {task["name"]: task for task in dag.get("tasks") or []}
        needs = {
            name: depends_tasks(task["depends"]) if task.get("depends")
            else list(task.get("dependencies") or [])
            for name, task in tasks.items()
        }  # fmt: skip
        handled = {
            task_name
            for task in tasks.values()
            if task.get("depends")
            for task_name, result in depends_results(task["depends"])
            if result in _FAILURE_RESULTS
        }
        fail_fast = dag.get("failFast", True) is not False
        limit = int(template.get("parallelism") or 0)
        stop = Stop(frame.stop)
        daemons: list[tuple[Node, processes.LocalProcess]] = []
        child_frame = frame.child(stop, None, daemons)
        base_scope = self._template_scope(node, template, inputs)
        children: dict[str, Node] = {}
        pending = list(tasks)
        running: set[str] = set()
        done: queue.Queue[str] = queue.Queue()
        failure: Node | None = None

        def fulfilled(name: str) -> bool:
            child = children.get(name)
            return child is not None and (child.phase.done or child.daemoned)

        while pending or running:
            if not stop.reason() and not (failure is not None and fail_fast):
                for name in list(pending):
                    if limit and len(running) >= limit:
                        break
                    if not all(fulfilled(n) for n in needs[name]):
                        continue
                    pending.remove(name)
                    task = tasks[name]
                    child = self._new_node(node, name, task.get("template", name),
                                           self.templates.get(task.get("template", "")),
                                           depth=child_frame.depth)  # fmt: skip
                    children[name] = child
                    if not self._dependencies_met(task, children, tasks):
                        self._finish(child, Phase.OMITTED, "dependencies not satisfied")
                        done.put(name)
                        running.add(name)
                        continue
                    scope = {**base_scope, **sibling_scope("tasks", children)}
                    running.add(name)
                    self._spawn(child, task, scope, child_frame, "tasks", children, done)
            if not running:
                break
            try:
                finished = done.get(timeout=POLL_SECONDS)
            except queue.Empty:
                finished = None
            if finished is not None:
                running.discard(finished)
                child = children[finished]
                continue_on = tasks[finished].get("continueOn") or {}
                excused = (
                    finished in handled
                    or (continue_on.get("failed") and child.phase == Phase.FAILED)
                    or (continue_on.get("error") and child.phase == Phase.ERROR)
                )
                if child.phase.bad and not excused and failure is None:
                    failure = child
                    if fail_fast:
                        stop.set(f"{child.id} failed")
            dead = self._dead_daemon(daemons)
            if dead is not None and failure is None:
                failure = dead
                stop.set(f"{dead.id} failed")
            if stop.reason() and daemons:
                self._stop_daemons(daemons, node)  # nothing in this DAG needs them any more
            if (
                not running
                and pending
                and not any(all(fulfilled(n) for n in needs[p]) for p in pending)
            ):
                break
        self._stop_daemons(daemons, node)
        for name in pending:
            child = self._new_node(node, name, tasks[name].get("template", name),
                                   self.templates.get(tasks[name].get("template", "")),
                                   depth=child_frame.depth)  # fmt: skip
            self._finish(child, Phase.OMITTED, "not run")
        return self._composite_outcome(node, template, base_scope, "tasks", children, failure,
                                       frame)  # fmt: skip

    def _run_steps(
        self, node: Node, template: Mapping[str, Any], inputs: Arguments, frame: Frame
    ) -> tuple[Phase, str]:
        stop = Stop(frame.stop)
        daemons: list[tuple[Node, processes.LocalProcess]] = []
        child_frame = frame.child(stop, None, daemons)
        base_scope = self._template_scope(node, template, inputs)
        children: dict[str, Node] = {}
        failure: Node | None = None
        for group in template.get("steps") or []:
            if failure is not None or stop.reason():
                break
            done: queue.Queue[str] = queue.Queue()
            scope = {**base_scope, **sibling_scope("steps", children)}
            group_nodes = []
            for step in group or []:
                name = step["name"]
                child = self._new_node(node, name, step.get("template", name),
                                       self.templates.get(step.get("template", "")),
                                       depth=child_frame.depth)  # fmt: skip
                children[name] = child
                group_nodes.append((step, child))
                self._spawn(child, step, scope, child_frame, "steps", children, done)
            remaining = len(group_nodes)
            while remaining:
                try:
                    done.get(timeout=POLL_SECONDS)
                    remaining -= 1
                except queue.Empty:
                    pass
                dead = self._dead_daemon(daemons)
                if dead is not None and failure is None:
                    failure = dead
                    stop.set(f"{dead.id} failed")
            for step, child in group_nodes:
                continue_on = step.get("continueOn") or {}
                excused = (continue_on.get("failed") and child.phase == Phase.FAILED) or (
                    continue_on.get("error") and child.phase == Phase.ERROR
                )
                if child.phase.bad and not excused and failure is None:
                    failure = child
        self._stop_daemons(daemons, node)
        return self._composite_outcome(node, template, base_scope, "steps", children, failure,
                                       frame)  # fmt: skip

    def _composite_outcome(
        self,
        node: Node,
        template: Mapping[str, Any],
        base_scope: Mapping[str, str],
        prefix: str,
        children: Mapping[str, Node],
        failure: Node | None,
        frame: Frame,
    ) -> tuple[Phase, str]:
        if failure is not None:  # Argo: the DAG takes the failed branch's phase, Failed or Error
            return failure.phase, f"{failure.name} {failure.phase.value.lower()}"
        reason = frame.stop.reason()
        if reason is not None:
            node.stopped = True
            return Phase.FAILED, f"stopped: {reason}"
        scope = {**base_scope, **sibling_scope(prefix, children)}
        outputs = template.get("outputs") or {}
        for parameter in outputs.get("parameters") or []:
            source = parameter.get("valueFrom") or {}
            if "parameter" in source:
                value = resolve(str(source["parameter"]), scope, node.id)
            elif "default" in source or "value" in parameter:
                value = str(source.get("default", parameter.get("value")))
            else:
                return (
                    Phase.ERROR,
                    f"step {node.id}: output parameter {parameter['name']!r} "
                    "needs valueFrom.parameter locally",
                )
            node.outputs.parameters[parameter["name"]] = value
        for artifact in outputs.get("artifacts") or []:
            if artifact.get("from"):
                path = resolve(str(artifact["from"]), scope, node.id)
                node.outputs.artifacts[artifact["name"]] = Path(path)
        return Phase.SUCCEEDED, ""

    def _dependencies_met(
        self,
        task: Mapping[str, Any],
        children: Mapping[str, Node],
        tasks: Mapping[str, Mapping[str, Any]],
    ) -> bool:
        if task.get("depends"):
            return evaluate_depends(
                task["depends"],
                lambda name, result: name in children and children[name].result(result),
            )
        for name in task.get("dependencies") or []:
            child = children[name]
            continue_on = tasks[name].get("continueOn") or {}
            if child.phase in (Phase.SUCCEEDED, Phase.SKIPPED) or child.daemoned:
                continue
            if (child.phase == Phase.FAILED and continue_on.get("failed")) or (
                child.phase == Phase.ERROR and continue_on.get("error")
            ):
                continue
            return False
        return True

    def _dead_daemon(self, daemons: list[tuple[Node, processes.LocalProcess]]) -> Node | None:
        """A daemon whose process ended while its dependants still need it, marked failed."""
        for daemon, process in list(daemons):
            code = process.poll()
            if code is None:
                continue
            daemons.remove((daemon, process))
            processes.finish(process)
            daemon.daemoned = False
            self._finish(daemon, Phase.FAILED, f"daemon {exit_message(code)} while still needed")
            return daemon
        return None

    def _stop_daemons(
        self, daemons: list[tuple[Node, processes.LocalProcess]], owner: Node
    ) -> None:
        running = list(daemons)
        daemons.clear()
        processes.stop_many([process for _, process in running])
        for daemon, _ in running:
            daemon.finished = time.monotonic()
            daemon.message = f"stopped when {owner.name} ended"
            self.display.node_finished(daemon)
