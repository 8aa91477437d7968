"""What `{{...}}` can see, and substitution with daemon addresses.

`sibling_scope` is what a DAG's task (`tasks.T.*`) or a steps template's step (`steps.S.*`)
may refer to once its siblings have finished; `resolve` substitutes a string, list or dict
and maps `{{tasks.<daemon>.ip}}:<declared port>` to the daemon's local address first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from workflows.local.frames import InvalidRun
from workflows.local.nodes import Node, Phase
from workflows.local.variables import substitute

_ADDRESS = re.compile(r"\{\{\s*((?:tasks|steps)\.[^{}\s]+?\.ip)\s*\}\}:(\d+)")


def sibling_scope(prefix: str, children: Mapping[str, Node]) -> dict[str, str]:
    """`tasks.T.*` / `steps.S.*` of the siblings that have finished (or are daemoned)."""
    scope: dict[str, str] = {}
    for name, child in children.items():
        if not (child.phase.done or child.daemoned):
            continue
        key = f"{prefix}.{name}"
        scope[f"{key}.status"] = child.phase.value
        scope[f"{key}.id"] = child.id
        scope[f"{key}.ip"] = "127.0.0.1"
        for declared, local in child.ports.items():
            scope[f"{key}.ip:{declared}"] = f"127.0.0.1:{local}"
        if child.outputs.exit_code is not None:
            scope[f"{key}.exitCode"] = str(child.outputs.exit_code)
        for pname, value in child.outputs.parameters.items():
            scope[f"{key}.outputs.parameters.{pname}"] = value
        for aname, path in child.outputs.artifacts.items():
            scope[f"{key}.outputs.artifacts.{aname}"] = str(path)
        if child.outputs.result is not None:
            scope[f"{key}.outputs.result"] = child.outputs.result
        if child.kind == "loop":
            runs = [c for c in child.children if c.phase == Phase.SUCCEEDED]
            scope[f"{key}.outputs.parameters"] = json.dumps([c.outputs.parameters for c in runs])
            scope[f"{key}.outputs.result"] = json.dumps([c.outputs.result for c in runs])
    return scope


def resolve(value: Any, scope: Mapping[str, str], where: str) -> Any:
    """Substitution with daemon addresses: `{{tasks.d.ip}}:8080` -> `127.0.0.1:<its port>`."""

    def addresses(text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            mapped = scope.get(f"{match.group(1)}:{match.group(2)}")
            return mapped if mapped is not None else match.group(0)

        return _ADDRESS.sub(replace, text)

    if isinstance(value, str):
        return substitute(addresses(value), scope, where)
    if isinstance(value, list):
        return [resolve(item, scope, where) for item in value]
    if isinstance(value, dict):
        return {k: resolve(v, scope, where) for k, v in value.items()}
    return value


def sequence(spec: Mapping[str, Any], where: str) -> list[str]:
    try:
        start = int(str(spec.get("start", 0) or 0))
        if spec.get("count") is not None:
            end = start + int(str(spec["count"])) - 1
        else:
            end = int(str(spec.get("end", 0) or 0))
    except ValueError:
        raise InvalidRun(f"step {where}: withSequence needs integer start/end/count") from None
    step = 1 if end >= start else -1
    fmt = spec.get("format")
    values = range(start, end + step, step)
    return [fmt % value if fmt else str(value) for value in values]
