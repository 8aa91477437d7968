"""No GitHub credential anywhere, and the callback secret only in the two steps that report."""

from __future__ import annotations

import re

from tests.pipeline.conftest import templates_by_name
from workflows.pipeline.report import EXIT_HANDLER, REPORT

CREDENTIAL_NAME = re.compile(r"GITHUB|GH_|TOKEN|PASSWORD|SSH", re.IGNORECASE)
RUNS_PR_CODE = ("build", "deploy", "benchmark")


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


def test_git_checkouts_are_anonymous(all_templates):
    for template in all_templates.values():
        for step in template["spec"]["templates"]:
            for artifact in step.get("inputs", {}).get("artifacts", []):
                git = artifact.get("git")
                if git:
                    assert git["repo"].startswith("https://")
                    assert not set(git) & {
                        "usernameSecret",
                        "passwordSecret",
                        "sshPrivateKeySecret",
                    }
                    assert "@" not in git["repo"]


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
