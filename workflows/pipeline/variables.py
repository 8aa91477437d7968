"""Argo's `{{...}}` variables, spelt in one place.

Only these helpers write `{{`: the values they refer to are substituted by Argo into env
values, argv items, artifact fields and `when` expressions, never into shell script text.
"""

from __future__ import annotations


def var(expression: str) -> str:
    return "{{" + expression + "}}"


def workflow_parameter(name: str) -> str:
    return var(f"workflow.parameters.{name}")


def input_parameter(name: str) -> str:
    return var(f"inputs.parameters.{name}")


def input_artifact(name: str) -> str:
    return var(f"inputs.artifacts.{name}")


def output_parameter(name: str) -> str:
    return var(f"outputs.parameters.{name}")


def task_parameter(task: str, name: str) -> str:
    return var(f"tasks.{task}.outputs.parameters.{name}")


def task_artifact(task: str, name: str) -> str:
    return var(f"tasks.{task}.outputs.artifacts.{name}")


def task_ip(task: str) -> str:
    return var(f"tasks.{task}.ip")
