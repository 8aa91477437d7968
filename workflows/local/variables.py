"""`{{...}}` substitution with Argo's variable names, strict about unknown names.

Argo leaves an unresolvable `{{x}}` in place or fails the workflow depending on where it
appears; locally an unknown variable is always an error naming the step, because a silently
literal `{{tasks.build.outputs.parameters.dir}}` in argv only fails much later and obscurely.
Expression templates (`{{=...}}`) are outside the subset and refused the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class UnknownVariable(ValueError):
    """A `{{name}}` with no value in scope; the message names the step and the variable."""

    def __init__(self, name: str, where: str) -> None:
        hint = ""
        if name.startswith("="):
            hint = " (expression templates {{=...}} are not supported locally)"
        super().__init__(f"step {where}: unknown variable {{{{{name}}}}}{hint}")
        self.name = name
        self.where = where


def references(text: str) -> list[str]:
    """The variable names used in `text`."""
    return [match.group(1) for match in _VARIABLE.finditer(text)]


def substitute(text: str, scope: Mapping[str, str], where: str) -> str:
    """Replace every `{{name}}` by `scope[name]`; UnknownVariable for any other name."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = scope.get(name)
        if value is None:
            raise UnknownVariable(name, where)
        return value

    return _VARIABLE.sub(replace, text)


def substitute_tree(value: Any, scope: Mapping[str, str], where: str) -> Any:
    """`substitute` applied to every string inside lists and dicts (keys stay as they are)."""
    if isinstance(value, str):
        return substitute(value, scope, where)
    if isinstance(value, list):
        return [substitute_tree(item, scope, where) for item in value]
    if isinstance(value, dict):
        return {key: substitute_tree(item, scope, where) for key, item in value.items()}
    return value


def item_scope(item: Any) -> dict[str, str]:
    """`{{item}}` and, for a mapping item, `{{item.key}}`, as Argo formats them."""
    if isinstance(item, dict):
        scope = {"item": json.dumps(item, separators=(",", ":"), sort_keys=True)}
        for key, value in item.items():
            scope[f"item.{key}"] = value if isinstance(value, str) else json.dumps(value)
        return scope
    if isinstance(item, str):
        return {"item": item}
    if isinstance(item, bool):
        return {"item": "true" if item else "false"}
    if isinstance(item, float) and item.is_integer():
        return {"item": str(int(item))}
    return {"item": json.dumps(item)}
