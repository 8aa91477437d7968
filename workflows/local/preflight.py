"""Before anything starts: can every reachable step of this WorkflowTemplate run locally?

A run that builds the base for three minutes and only then finds that the head's deploy step
needs a container engine wastes the user's time, so every template reachable from the
entrypoint and the exit handler is checked first, and all problems are reported at once, each
naming the step and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from workflows.local import extensions
from workflows.local.expressions import ExpressionError, depends_tasks, tokenize
from workflows.local.variables import references

# Images and programs that build container images; they need a container engine.
_IMAGE_BUILDERS = re.compile(r"(^|/)(kaniko|buildkit|buildah|docker|podman)([:/@-]|$)|kaniko")
_BUILDER_PROGRAMS = {"/kaniko/executor", "executor", "buildctl", "buildctl-daemonless.sh",
                     "docker", "buildah", "podman"}  # fmt: skip
_UNSUPPORTED_KINDS = ("resource", "http", "plugin", "containerSet", "data")

LOCAL_COMMAND_HINT = (
    "give the job a local command for it (build.local_command or deploy.local_command in "
    "perfbot.yaml)"
)


class NotRunnable(ValueError):
    """Steps that cannot run on this machine; the message lists each with the reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def templates_of(spec: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Templates by name, with `spec.templateDefaults` applied as Argo does (template wins)."""
    defaults = spec.get("templateDefaults") or {}
    merged: dict[str, dict[str, Any]] = {}
    for template in spec.get("templates") or []:
        combined = {**defaults, **template}
        for key in ("container", "script"):
            if key in template and isinstance(defaults.get("container"), Mapping):
                combined[key] = {**defaults["container"], **template[key]}
        merged[template["name"]] = combined
    return merged


def kind_of(template: Mapping[str, Any]) -> str:
    for kind in ("container", "script", "dag", "steps", "suspend", *_UNSUPPORTED_KINDS):
        if template.get(kind) is not None:
            return kind
    return "unknown"


def walk(
    spec: Mapping[str, Any], templates: Mapping[str, Mapping[str, Any]]
) -> Iterator[tuple[str, str]]:
    """`(step path, template name)` for every step reachable from the entrypoint and onExit."""
    seen: set[tuple[str, str]] = set()
    entry = spec.get("entrypoint", "")
    roots = [(entry, entry, "")]  # the entrypoint's tasks are named as the executor names them
    if spec.get("onExit"):
        roots.append(("onExit", spec["onExit"], "onExit."))
    stack = list(reversed(roots))
    while stack:
        path, name, prefix = stack.pop()
        if (path, name) in seen:
            continue
        seen.add((path, name))
        yield path, name
        template = templates.get(name) or {}
        children = [(p, c, p + ".") for p, c in _children(prefix, template)]
        stack.extend(reversed(children))


def _children(prefix: str, template: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    tasks = list((template.get("dag") or {}).get("tasks") or [])
    for group in template.get("steps") or []:
        tasks.extend(group or [])
    for task in tasks:
        step = f"{prefix}{task.get('name')}"
        if task.get("template"):
            yield step, task["template"]
        elif task.get("templateRef"):
            yield step, "templateRef:" + str(task["templateRef"].get("name"))
        hook = task.get("onExit") or ((task.get("hooks") or {}).get("exit") or {}).get("template")
        if hook:
            yield f"{step}.onExit", hook


def check(spec: Mapping[str, Any]) -> None:
    """Raise NotRunnable listing every step that cannot run locally."""
    templates = templates_of(spec)
    problems: list[str] = []
    if not spec.get("entrypoint"):
        problems.append("the WorkflowTemplate has no entrypoint")
    for path, name in walk(spec, templates):
        problems.extend(_problems(path, name, templates))
    if problems:
        raise NotRunnable(list(dict.fromkeys(problems)))


def _problems(path: str, name: str, templates: Mapping[str, Mapping[str, Any]]) -> list[str]:
    if name.startswith("templateRef:"):
        return [f"step {path}: templateRef {name.split(':', 1)[1]} points outside this template"]
    template = templates.get(name)
    if template is None:
        return [f"step {path}: no template named {name!r}"]
    kind = kind_of(template)
    where = f"step {path} (template {name})"
    reason = extensions.unsupported(template)
    if reason:
        return [f"{where}: {reason}"]
    if kind in _UNSUPPORTED_KINDS or kind == "unknown":
        return [f"{where}: {kind} templates cannot run locally"]
    if kind == "suspend" and not (template.get("suspend") or {}).get("duration"):
        return [f"{where}: a suspend without a duration waits for a person; not supported locally"]
    if kind == "dag":
        return _dag_problems(where, template)
    if kind == "steps":
        return []
    if kind not in ("container", "script"):
        return []
    return _container_problems(where, template, kind)


def _container_problems(where: str, template: Mapping[str, Any], kind: str) -> list[str]:
    container = template.get(kind) or {}
    image = str(container.get("image") or "")
    command = [str(c) for c in container.get("command") or []]
    problems = []
    try:
        replaced = extensions.local_command(template, where) is not None
    except ValueError as exc:
        return [str(exc)]
    if replaced:
        pass
    elif _IMAGE_BUILDERS.search(image) or (command and command[0] in _BUILDER_PROGRAMS):
        problems.append(
            f"{where} builds a container image ({image or command[0]}), which needs a container "
            f"engine and cannot run locally; {LOCAL_COMMAND_HINT}"
        )
    elif not command:
        problems.append(
            f"{where} runs the default entrypoint of image {image or '(none)'}, which only a "
            f"container engine knows; {LOCAL_COMMAND_HINT}"
        )
    for extra in ("sidecars", "initContainers"):
        if template.get(extra):
            problems.append(f"{where}: {extra} are not supported locally")
    return problems


def _dag_problems(where: str, template: Mapping[str, Any]) -> list[str]:
    tasks = (template.get("dag") or {}).get("tasks") or []
    names = {task.get("name") for task in tasks}
    problems = []
    for task in tasks:
        label = f"{where}, task {task.get('name')}"
        try:
            needed = depends_tasks(task["depends"]) if task.get("depends") else []
            if task.get("when") and not references(task["when"]):
                tokenize(task["when"])
        except ExpressionError as exc:
            problems.append(f"{label}: {exc}")
            continue
        for dependency in [*needed, *(task.get("dependencies") or [])]:
            if dependency not in names:
                problems.append(f"{label}: depends on unknown task {dependency!r}")
    return problems
