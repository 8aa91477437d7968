"""The check has teeth: deliberately broken templates and Workflows, each refused with Argo's
own message (the errors the schema lets through and a real cluster would report on the first
`/run-perf`)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

Template = dict[str, Any]


@pytest.fixture(scope="module")
def template(project_root: Path) -> Template:
    return yaml.safe_load((project_root / "templates" / "perf-databend-sql.yaml").read_text())


def _task(template: Template, dag: str, name: str) -> dict[str, Any]:
    [holder] = [t for t in template["spec"]["templates"] if t["name"] == dag]
    [task] = [t for t in holder["dag"]["tasks"] if t["name"] == name]
    return task


def missing_dependency(t: Template) -> None:
    _task(t, "measure", "benchmark")["depends"] = "deploy-base && no-such-task"


def dependency_cycle(t: Template) -> None:
    _task(t, "pipeline", "check-base")["depends"] = "report"


def depends_and_dependencies_mixed(t: Template) -> None:
    _task(t, "pipeline", "build-base")["dependencies"] = ["check-base"]


def unknown_template(t: Template) -> None:
    _task(t, "measure", "deploy-base")["template"] = "no-such-template"


def unresolvable_variable(t: Template) -> None:
    [check] = [s for s in t["spec"]["templates"] if s["name"] == "check"]
    check["container"]["env"].append({"name": "X", "value": "{{inputs.parameters.nope}}"})


def output_read_without_depending(t: Template) -> None:
    _task(t, "pipeline", "build-base")["arguments"]["parameters"][0]["value"] = (
        "{{tasks.check-head.outputs.parameters.build}}"
    )


def name_too_long(t: Template) -> None:
    t["metadata"]["name"] = "perf-" + "x" * 60


BROKEN: list[tuple[Callable[[Template], None], str]] = [
    (missing_dependency, "invalid dependency no-such-task"),
    (dependency_cycle, "graph with cycle"),
    (depends_and_dependencies_mixed, "cannot use both 'depends' and 'dependencies'"),
    (unknown_template, "template name 'no-such-template' undefined"),
    (unresolvable_variable, "failed to resolve {{inputs.parameters.nope}}"),
    (output_read_without_depending, "missing dependency 'check-head'"),
    (name_too_long, "must not be more than 63 characters long"),
]


@pytest.mark.parametrize(("breakage", "message"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_a_broken_template_is_refused_with_argos_message(validate, template, breakage, message):
    broken = copy.deepcopy(template)
    breakage(broken)

    verdict = validate({"broken.yaml": broken})

    assert verdict.returncode == 1
    [problem] = verdict.problems
    assert problem.startswith(f"broken.yaml: WorkflowTemplate {broken['metadata']['name']} ")
    assert message in problem


def test_the_unbroken_template_the_table_starts_from_is_accepted(validate, template):
    assert validate({"template.yaml": template}).problems == []


def workflow(template_name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": f"{template_name}-"},
        "spec": {"workflowTemplateRef": {"name": template_name}, **spec},
    }


def unchanged(t: Template) -> None:
    del t


def head_sha_without_default(t: Template) -> None:
    [head] = [p for p in t["spec"]["arguments"]["parameters"] if p["name"] == "head-sha"]
    del head["value"]


def unknown_workflow_parameter(t: Template) -> None:
    # Argo lets this through when it lints the template alone (the parameter could come with
    # the submission); only the Workflow a submission becomes shows the problem.
    _task(t, "pipeline", "build-base")["arguments"]["parameters"][1]["value"] = (
        "{{workflow.parameters.no-such-parameter}}"
    )


SUBMISSIONS: list[tuple[str, Callable[[Template], None], dict[str, Any], str]] = [
    (
        "unknown-template",
        unchanged,
        workflow("perf-no-such-job"),
        'couldn\'t find workflow template "perf-no-such-job"',
    ),
    (
        "name-too-long",
        unchanged,
        {**workflow("perf-databend-sql"), "metadata": {"name": "perf-" + "x" * 60}},
        "must not be more than 63 characters long",
    ),
    (
        "required-parameter-missing",
        head_sha_without_default,
        workflow("perf-databend-sql"),
        "spec.arguments.head-sha.value or spec.arguments.head-sha.valueFrom is required",
    ),
    (
        "unknown-workflow-parameter",
        unknown_workflow_parameter,
        workflow("perf-databend-sql"),
        "failed to resolve {{workflow.parameters.no-such-parameter}}",
    ),
]


@pytest.mark.parametrize(
    ("change", "submitted", "message"),
    [case[1:] for case in SUBMISSIONS],
    ids=[case[0] for case in SUBMISSIONS],
)
def test_a_submission_argo_would_refuse_is_refused_with_argos_message(
    validate, template, change, submitted, message
):
    changed = copy.deepcopy(template)
    change(changed)

    verdict = validate({"template.yaml": changed, "workflow.yaml": submitted})

    [problem] = verdict.problems
    assert problem.startswith("workflow.yaml: Workflow ")
    assert message in problem


def test_a_file_with_nothing_to_validate_is_a_problem_not_a_pass(validate):
    verdict = validate({"config.yaml": "apiVersion: v1\nkind: ConfigMap\n"})

    assert verdict.returncode == 1
    assert verdict.problems == ["config.yaml: file: no WorkflowTemplate or Workflow in it"]


def test_a_field_argo_does_not_know_is_refused(validate, template):
    misspelt = copy.deepcopy(template)
    misspelt["spec"]["entrypointt"] = "pipeline"

    [problem] = validate({"misspelt.yaml": misspelt}).problems

    assert 'unknown field "spec.entrypointt"' in problem
