"""Every Secret a template refers to is held by the one kind of step meant to hold it.

A run's Secrets: the callback secret (report and exit steps, perfbot's own image), the
registry's docker config (image jobs' `check` and `build`: the image build has to push), and a
private repository's git credential (the `fetch` step only: Argo mounts it into that pod's init
container, which clones; the step itself runs `true`). No other step, and above all none that
runs PR code, may refer to any Secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from tests.pipeline.conftest import templates_by_name
from workflows.config import PerfbotConfig
from workflows.pipeline.fetch import NAME as FETCH
from workflows.pipeline.report import EXIT_HANDLER, REPORT

CREDENTIAL_NAME = re.compile(r"GITHUB|GH_|TOKEN|PASSWORD|SSH", re.IGNORECASE)
RUNS_PR_CODE = ("build", "deploy", "benchmark")
# What each kind of Secret is, and the templates that may refer to it.
HOLDERS = {
    "callback": {REPORT, EXIT_HANDLER},
    "registry": {"check", "build"},
    "git": {FETCH},
}
# Keys of Argo and Kubernetes objects that name a Secret: env `secretKeyRef`, `envFrom`
# `secretRef`, volumes' `secret`, artifacts' `...Secret` selectors (git, S3, ...).
SECRET_KEYS = re.compile(r"^(secretKeyRef|secretRef|secret|.+Secret)$")


def _secrets_named(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, Secret name) for every Secret reference anywhere below `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if SECRET_KEYS.match(key) and isinstance(value, dict):
                yield where, str(value.get("name") or value.get("secretName"))
            else:
                yield from _secrets_named(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from _secrets_named(item, where)


def _references(template: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Per template of the WorkflowTemplate; anything outside them is `spec`'s own."""
    spec = dict(template["spec"])
    for step in spec.pop("templates"):
        yield from _secrets_named(step, step["name"])
    yield from _secrets_named(spec, "spec")


def _kinds(config: PerfbotConfig) -> dict[str, str]:
    kinds = {config.argo.callback_secret: "callback"}
    for repo in config.repos.values():
        if repo.git_credentials_secret:
            kinds[repo.git_credentials_secret] = "git"
        for job in repo.jobs.values():
            if job.build.registry_secret:
                kinds[job.build.registry_secret] = "registry"
    return kinds


def test_every_secret_reference_is_in_a_step_meant_to_hold_it(
    all_templates, example_config, variant_config
):
    kinds = {**_kinds(example_config), **_kinds(variant_config)}
    seen = set()
    for file, template in all_templates.items():
        for where, secret in _references(template):
            assert secret in kinds, f"{file}: {where} refers to an unknown Secret {secret}"
            kind = kinds[secret]
            assert where in HOLDERS[kind], f"{file}: {where} holds the {kind} Secret {secret}"
            seen.add(kind)
    assert seen == set(HOLDERS)  # each kind is there to be found


def test_the_walk_finds_a_git_credential_in_a_step_that_runs_pr_code():
    build = {
        "name": "build",
        "inputs": {"artifacts": [{"name": "source", "git": {"passwordSecret": {"name": "g"}}}]},
    }
    assert list(_references({"spec": {"templates": [build]}})) == [("build", "g")]


def _secret_refs(step):
    container = step.get("container", {})
    for env in container.get("env", []):
        ref = env.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            yield env["name"], ref["name"]
    for source in container.get("envFrom", []):
        if "secretRef" in source:
            yield "*", source["secretRef"]["name"]


def test_no_environment_variable_is_named_like_a_credential(all_templates):
    for template in all_templates.values():
        for step in template["spec"]["templates"]:
            for env in step.get("container", {}).get("env", []):
                assert not CREDENTIAL_NAME.search(env["name"]), env["name"]


def test_the_callback_secret_is_mounted_into_report_and_exit_handler_only(all_templates):
    for template in all_templates.values():
        holders = {
            step["name"]
            for step in template["spec"]["templates"]
            for _, secret in _secret_refs(step)
            if secret == "perfbot-callback"
        }
        assert holders == {REPORT, EXIT_HANDLER}


def test_steps_that_run_pr_code_get_no_secret_env(all_templates):
    for template in all_templates.values():
        steps = templates_by_name(template)
        for name in RUNS_PR_CODE:
            if name in steps:
                assert list(_secret_refs(steps[name])) == [], name


def test_git_checkouts_are_anonymous_unless_the_repository_has_a_credential(
    all_templates, example_config, variant_config
):
    private = {
        job.template_name
        for config in (example_config, variant_config)
        for repo in config.repos.values()
        if repo.git_credentials_secret
        for job in repo.jobs.values()
    }
    assert private
    for template in all_templates.values():
        for step in template["spec"]["templates"]:
            for artifact in step.get("inputs", {}).get("artifacts", []):
                git = artifact.get("git")
                if git:
                    assert git["repo"].startswith("https://")
                    assert "@" not in git["repo"]
                    secrets = set(git) & {"usernameSecret", "passwordSecret", "sshPrivateKeySecret"}
                    named = template["metadata"]["name"] in private
                    assert secrets == ({"usernameSecret", "passwordSecret"} if named else set())


def test_secret_volumes_hold_only_the_registry_config_of_image_builds(all_templates):
    for template in all_templates.values():
        for step in template["spec"]["templates"]:
            for volume in step.get("volumes", []):
                if "secret" in volume:
                    assert step["name"] in ("check", "build")
                    assert volume["secret"]["items"] == [
                        {"key": ".dockerconfigjson", "path": "config.json"}
                    ]


def test_workflow_pods_mount_no_service_account_token(all_templates):
    for template in all_templates.values():
        assert template["spec"]["automountServiceAccountToken"] is False
