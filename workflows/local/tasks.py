"""One task of a DAG or steps template: its loop, its `when`, its arguments, its exit hook.

A mixin of `Executor`; each task runs in a thread of its own and reports to its DAG's queue.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Mapping
from typing import Any

from workflows.local.expressions import ExpressionError, evaluate_when
from workflows.local.frames import Arguments, Display, Frame, InvalidRun, Stop
from workflows.local.nodes import Node, Phase
from workflows.local.scopes import resolve, sequence, sibling_scope
from workflows.local.variables import UnknownVariable, item_scope


class TaskSteps:
    templates: dict[str, dict[str, Any]]
    display: Display
    interrupt_stop: Stop
    # and, from Executor: _new_node, _finish, _record_failure, _execute

    def _spawn(
        self,
        child: Node,
        task: Mapping[str, Any],
        scope: Mapping[str, str],
        frame: Frame,
        prefix: str,
        siblings: Mapping[str, Node],
        done: queue.Queue[str],
    ) -> None:
        thread = threading.Thread(
            target=self._run_task,
            args=(child, task, scope, frame, prefix, siblings, done),
            name=f"perfbot-{child.id}",
            daemon=True,
        )
        thread.start()

    def _run_task(
        self,
        child: Node,
        task: Mapping[str, Any],
        scope: Mapping[str, str],
        frame: Frame,
        prefix: str,
        siblings: Mapping[str, Node],
        done: queue.Queue[str],
    ) -> None:
        try:
            template = self._template_for(task, child)
            items = self._loop_items(task, scope, child.id)
            if items is None:
                self._run_one(child, task, template, scope, frame)
            else:
                self._run_loop(child, task, template, items, scope, frame)
            hook = task.get("onExit") or ((task.get("hooks") or {}).get("exit") or {})
            if hook:
                self._run_hook(child, task, hook, scope, frame, prefix, siblings)
        except (UnknownVariable, ExpressionError, InvalidRun, ValueError) as exc:
            self._finish(child, Phase.ERROR, str(exc))
            self._record_failure(child)
        except Exception as exc:  # a bug must fail the step, not hang the DAG
            self._finish(child, Phase.ERROR, f"internal error: {exc!r}")
            self._record_failure(child)
        finally:
            done.put(child.name)

    def _template_for(self, task: Mapping[str, Any], child: Node) -> Mapping[str, Any]:
        name = task.get("template")
        if not name or name not in self.templates:
            raise InvalidRun(f"step {child.id}: no template named {name!r}")
        return self.templates[name]

    def _run_one(
        self,
        child: Node,
        task: Mapping[str, Any],
        template: Mapping[str, Any],
        scope: Mapping[str, str],
        frame: Frame,
    ) -> None:
        if task.get("when"):
            condition = resolve(str(task["when"]), scope, child.id)
            if not evaluate_when(condition):
                message = f"when '{task['when']}' was '{condition}'"
                self._finish(child, Phase.SKIPPED, message)
                return
        arguments = self._arguments(task, scope, child.id)
        self._execute(child, template, arguments, frame)

    def _run_loop(
        self,
        child: Node,
        task: Mapping[str, Any],
        template: Mapping[str, Any],
        items: list[Any],
        scope: Mapping[str, str],
        frame: Frame,
    ) -> None:
        child.kind = "loop"
        child.start()
        self.display.node_started(child)
        threads = []
        for index, item in enumerate(items):
            label = item_scope(item)["item"]
            name = f"{child.name}({index}:{label})"
            sub = self._new_node(child, name, task.get("template", ""), template, child.depth + 1)
            sub_scope = {**scope, **item_scope(item)}
            thread = threading.Thread(
                target=self._guarded, args=(sub, task, template, sub_scope, frame), daemon=True
            )
            threads.append(thread)
            thread.start()
        for thread in threads:
            thread.join()
        phases = [c.phase for c in child.children]
        if phases and all(p == Phase.SKIPPED for p in phases):
            self._finish(child, Phase.SKIPPED, "every item skipped")
        elif any(p.bad for p in phases):
            bad = next(c for c in child.children if c.phase.bad)
            child.stopped = all(c.stopped for c in child.children if c.phase.bad)
            self._finish(child, Phase.FAILED, f"{bad.name}: {bad.message}")
        else:
            self._finish(child, Phase.SUCCEEDED, f"{len(items)} items")

    def _guarded(self, sub: Node, task: Mapping[str, Any], template: Mapping[str, Any],
                 scope: Mapping[str, str], frame: Frame) -> None:  # fmt: skip
        try:
            self._run_one(sub, task, template, scope, frame)
        except (UnknownVariable, ExpressionError, InvalidRun, ValueError) as exc:
            self._finish(sub, Phase.ERROR, str(exc))
            self._record_failure(sub)

    def _loop_items(
        self, task: Mapping[str, Any], scope: Mapping[str, str], where: str
    ) -> list[Any] | None:
        if task.get("withItems") is not None:
            return list(resolve(task["withItems"], scope, where))
        if task.get("withParam") is not None:
            text = resolve(str(task["withParam"]), scope, where)
            try:
                items = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InvalidRun(f"step {where}: withParam is not a JSON list: {exc}") from None
            if not isinstance(items, list):
                raise InvalidRun(f"step {where}: withParam is not a JSON list")
            return items
        if task.get("withSequence") is not None:
            return sequence(resolve(task["withSequence"], scope, where), where)
        return None

    def _arguments(
        self, task: Mapping[str, Any], scope: Mapping[str, str], where: str
    ) -> Arguments:
        given = task.get("arguments") or {}
        arguments = Arguments()
        for parameter in given.get("parameters") or []:
            if "value" not in parameter:
                raise InvalidRun(f"step {where}: argument {parameter['name']!r} has no value")
            value = resolve(str(parameter["value"]), scope, where)
            arguments.parameters[parameter["name"]] = value
        for artifact in given.get("artifacts") or []:
            name = artifact["name"]
            if artifact.get("from"):
                path = resolve(str(artifact["from"]), scope, where)
                arguments.artifacts[name] = {"from_path": path}
            elif artifact.get("fromExpression"):
                raise InvalidRun(
                    f"step {where}: artifact {name!r}: fromExpression is not supported"
                )
            else:
                spec = {k: v for k, v in artifact.items() if k != "name"}
                arguments.artifacts[name] = resolve(spec, scope, where)
        return arguments

    def _run_hook(
        self,
        child: Node,
        task: Mapping[str, Any],
        hook: Any,
        scope: Mapping[str, str],
        frame: Frame,
        prefix: str,
        siblings: Mapping[str, Node],
    ) -> None:
        spec = {"template": hook} if isinstance(hook, str) else dict(hook)
        name = spec.get("template", "")
        template = self.templates.get(name)
        if template is None:
            raise InvalidRun(f"step {child.id}: exit hook template {name!r} does not exist")
        hook_scope = {**scope, **sibling_scope(prefix, {**siblings, child.name: child})}
        node = self._new_node(child, "onExit", name, template, child.depth + 1)
        arguments = self._arguments(spec, hook_scope, node.id)
        self._execute(node, template, arguments, Frame(Stop(self.interrupt_stop), None, None,
                                                       frame.depth))  # fmt: skip
