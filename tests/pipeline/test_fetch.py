"""The source is fetched once per side, by a step that runs no PR code, and handed on.

`fetch-<side>` carries the only git artifact of a run (with the repository's git credential, if
it has one); `build-<side>` and the benchmark take its checkout with `from:` instead of cloning
again, so a private repository's credential is needed (and mounted) in one place only.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.pipeline.conftest import tasks_by_name, templates_by_name
from workflows.pipeline.fetch import NAME as FETCH

SQL = "perf-databend-sql.yaml"  # image build, deployed service, benchmark in the head checkout
RG = "perf-ripgrep-search.yaml"  # command build, benchmark of the builds, no checkout
PRIVATE = "perf-private-cli.yaml"  # private repository, benchmark in the head checkout
FROM_FETCH = "{{tasks.fetch-%s.outputs.artifacts.source}}"


def _git_artifacts(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (step["name"], artifact)
        for step in template["spec"]["templates"]
        for artifact in step.get("inputs", {}).get("artifacts", [])
        if "git" in artifact
    ]


def test_only_the_fetch_step_clones(all_templates):
    for file, template in all_templates.items():
        holders = {name for name, _ in _git_artifacts(template)}
        assert holders == {FETCH}, file


def test_the_fetch_step_runs_no_pr_code_and_hands_the_checkout_on(all_templates):
    for file, template in all_templates.items():
        fetch = templates_by_name(template)[FETCH]
        assert fetch["container"]["command"] == ["true"], file
        assert "args" not in fetch["container"], file
        assert "workingDir" not in fetch["container"], file
        assert fetch["outputs"]["artifacts"] == [{"name": "source", "path": "/perfbot/src"}], file


@pytest.mark.parametrize(
    ("file", "always"),
    [
        (SQL, "head"),  # the benchmark runs in the head's checkout
        (RG, None),  # nothing but the builds needs a checkout
        (PRIVATE, "head"),
    ],
)
def test_a_side_is_fetched_after_its_check_and_only_when_something_needs_it(
    all_templates, file, always
):
    tasks = tasks_by_name(all_templates[file], "pipeline")
    for side in ("base", "head"):
        fetch, build = tasks[f"fetch-{side}"], tasks[f"build-{side}"]
        assert fetch["depends"] == f"check-{side}"
        assert build["depends"] == f"fetch-{side}"
        wanted = "{{tasks.check-" + side + ".outputs.parameters.build}} == true"
        assert fetch.get("when") == (None if side == always else wanted)
        assert build["when"] == wanted
        assert build["arguments"]["artifacts"] == [{"name": "source", "from": FROM_FETCH % side}]


@pytest.mark.parametrize("file", [SQL, PRIVATE])
def test_the_benchmark_takes_the_fetched_checkout_through_measure(all_templates, file):
    template = all_templates[file]
    pipeline = tasks_by_name(template, "pipeline")
    for task in ("measure", "confirm"):
        if task in pipeline:
            assert pipeline[task]["arguments"]["artifacts"] == [
                {"name": "source", "from": FROM_FETCH % "head"}
            ]
    assert "fetch-head" in pipeline["measure"]["depends"].split(" && ")
    measure = templates_by_name(template)["measure"]
    assert measure["inputs"]["artifacts"] == [{"name": "source"}]
    benchmark = tasks_by_name(template, "measure")["benchmark"]
    assert benchmark["arguments"]["artifacts"] == [
        {"name": "source", "from": "{{inputs.artifacts.source}}"}
    ]
    inputs = templates_by_name(template)["benchmark"]["inputs"]["artifacts"]
    assert inputs == [{"name": "source", "path": "/perfbot/src"}]


def test_without_a_checkout_the_benchmark_and_measure_take_no_source(all_templates):
    template = all_templates[RG]
    assert "artifacts" not in templates_by_name(template)["measure"].get("inputs", {})
    assert "artifacts" not in templates_by_name(template)["benchmark"].get("inputs", {})
    assert "artifacts" not in tasks_by_name(template, "pipeline")["measure"].get("arguments", {})


@pytest.mark.parametrize(
    ("file", "git"),
    [
        (SQL, {"repo": "https://github.com/datafuselabs/databend.git"}),
        (
            PRIVATE,
            {
                "repo": "https://git.example.com/acme/private.git",
                "usernameSecret": {"name": "perfbot-git-acme", "key": "username"},
                "passwordSecret": {"name": "perfbot-git-acme", "key": "password"},
            },
        ),
    ],
)
def test_the_fetch_carries_the_repositorys_git_credential_if_it_has_one(all_templates, file, git):
    ((_, artifact),) = _git_artifacts(all_templates[file])
    assert artifact["path"] == "/perfbot/src"
    assert artifact["git"]["revision"] == "{{inputs.parameters.sha}}"
    fixed = {k: v for k, v in artifact["git"].items() if k not in ("revision", "fetch")}
    assert fixed == git
