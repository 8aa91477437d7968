"""Before anything starts, steps that cannot run on this machine are named, with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.local.conftest import RunTemplate, dag, workflow
from workflows.local.preflight import NotRunnable, check

KANIKO = {
    "name": "build",
    "container": {
        "image": "gcr.io/kaniko-project/executor:v1.23.2",
        "command": ["/kaniko/executor"],
        "args": ["--dockerfile=Dockerfile"],
    },
}
ENTRYPOINT_ONLY = {"name": "deploy", "container": {"image": "ghcr.io/acme/server:abc"}}
FINE = {"name": "fine", "container": {"image": "x", "command": ["true"]}}


def problems_of(*templates: dict, tasks: list[dict] | None = None, **spec: object) -> list[str]:
    tasks = tasks or [{"name": t["name"], "template": t["name"]} for t in templates]
    try:
        check(workflow(dag("main", *tasks), *templates, **spec)["spec"])
    except NotRunnable as exc:
        return exc.problems
    return []


def test_a_runnable_template_has_no_problems() -> None:
    assert problems_of(FINE) == []


def test_an_image_build_needs_a_container_engine() -> None:
    [problem] = problems_of(KANIKO)
    assert problem.startswith("step build (template build) builds a container image")
    assert "needs a container engine" in problem
    assert "build.local_command" in problem


def test_a_step_without_a_command_needs_one_locally() -> None:
    [problem] = problems_of(ENTRYPOINT_ONLY)
    assert "default entrypoint of image ghcr.io/acme/server:abc" in problem
    assert "deploy.local_command" in problem


def test_every_problem_is_reported_at_once() -> None:
    assert len(problems_of(KANIKO, ENTRYPOINT_ONLY, FINE)) == 2


def test_a_local_command_makes_an_image_build_runnable() -> None:
    annotated = {**KANIKO, "metadata": {"annotations": {"perfbot/local-command": '["make"]'}}}
    assert problems_of(annotated) == []


def test_the_templates_own_reason_is_used_when_it_gives_one() -> None:
    reason = "build: job db builds Dockerfile into an image; add build.local_command"
    annotated = {**FINE, "metadata": {"annotations": {"perfbot/local-unsupported": reason}}}
    assert problems_of(annotated) == [f"step fine (template fine): {reason}"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ({"name": "r", "resource": {"action": "create", "manifest": "{}"}}, "resource templates"),
        ({"name": "s", "suspend": {}}, "waits for a person"),
        ({**FINE, "name": "sc", "sidecars": [{"name": "db", "image": "postgres"}]}, "sidecars"),
    ],
)
def test_kinds_of_templates_that_need_a_cluster_are_named(template: dict, expected: str) -> None:
    [problem] = problems_of(template)
    assert expected in problem


def test_an_unknown_dependency_is_a_problem() -> None:
    [problem] = problems_of(FINE, tasks=[{"name": "fine", "template": "fine", "depends": "ghost"}])
    assert "depends on unknown task 'ghost'" in problem


def test_the_exit_handler_is_checked_too() -> None:
    [problem] = problems_of(
        FINE, ENTRYPOINT_ONLY, tasks=[{"name": "fine", "template": "fine"}], onExit="deploy"
    )
    assert problem.startswith("step onExit (template deploy)")


def test_nothing_runs_when_a_step_cannot(run_template: RunTemplate, tmp_path: Path) -> None:
    with pytest.raises(NotRunnable):
        run_template(
            workflow(
                dag(
                    "main",
                    {"name": "fine", "template": "fine"},
                    {"name": "build", "template": "build", "depends": "fine"},
                ),
                FINE,
                KANIKO,
            )
        )
    assert not (tmp_path / "logs").exists()
