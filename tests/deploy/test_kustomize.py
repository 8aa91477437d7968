"""`kubectl kustomize .` renders the whole platform, with Secrets referenced and never filled."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy_overlays.manifests import (
    SA_TOKEN,
    executor_accounts,
    missing_executor_tokens,
)

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")

NAMESPACE = "perfbot"


@pytest.fixture(scope="module")
def objects(project_root: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        ["kubectl", "kustomize", str(project_root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def find(objects, kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [
        o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)
    ]


def one(objects, kind: str, name: str) -> dict[str, Any]:
    found = find(objects, kind, name)
    assert len(found) == 1, f"{kind}/{name}: {len(found)} objects"
    return found[0]


def test_everything_lands_in_the_perfbot_namespace(objects):
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == NAMESPACE, obj["metadata"]["name"]


def test_the_bot_runs_two_replicas_with_probes(objects):
    deployment = one(objects, "Deployment", "perfbot-bot")
    spec = deployment["spec"]["template"]["spec"]
    assert deployment["spec"]["replicas"] == 2
    (container,) = spec["containers"]
    assert container["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["command"][:1] == ["gunicorn"]
    assert spec["serviceAccountName"] == "perfbot-bot"
    assert spec["topologySpreadConstraints"][0]["topologyKey"] == "kubernetes.io/hostname"


def test_the_service_and_the_disruption_budget_select_the_bot(objects):
    labels = one(objects, "Deployment", "perfbot-bot")["spec"]["template"]["metadata"]["labels"]
    service = one(objects, "Service", "perfbot-bot")
    pdb = one(objects, "PodDisruptionBudget", "perfbot-bot")
    assert service["spec"]["selector"].items() <= labels.items()
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] == 1


def test_the_bot_and_the_workflow_executor_have_separate_accounts_and_roles(objects):
    accounts = {o["metadata"]["name"] for o in find(objects, "ServiceAccount")}
    assert accounts == {"perfbot-bot", "perfbot-workflow", "perfbot-executor"}
    bot = one(objects, "Role", "perfbot-bot")
    executor = one(objects, "Role", "perfbot-executor")
    assert {r for rule in bot["rules"] for r in rule["resources"]} == {
        "workflows",
        "workflowtemplates",
    }
    assert executor["rules"] == [
        {
            "apiGroups": ["argoproj.io"],
            "resources": ["workflowtaskresults"],
            "verbs": ["create", "patch"],
        }
    ]
    for name in ("perfbot-bot", "perfbot-executor"):
        binding = one(objects, "RoleBinding", name)
        assert binding["roleRef"]["name"] == name
        assert binding["subjects"] == [
            {"kind": "ServiceAccount", "name": name, "namespace": NAMESPACE}
        ]
    bound = {s["name"] for b in find(objects, "RoleBinding") for s in b["subjects"]}
    assert "perfbot-workflow" not in bound


def test_the_semaphore_configmap_has_the_key_the_templates_use(objects):
    semaphores = one(objects, "ConfigMap", "perfbot-semaphores")
    for template in find(objects, "WorkflowTemplate"):
        for step in template["spec"]["templates"]:
            for ref in step.get("synchronization", {}).get("semaphores", []):
                assert ref["configMapKeyRef"]["name"] == "perfbot-semaphores"
                assert ref["configMapKeyRef"]["key"] in semaphores["data"]


def test_the_bot_config_is_generated_from_the_example_and_mounted(objects, project_root):
    (config,) = [
        o for o in find(objects, "ConfigMap") if o["metadata"]["name"].startswith("perfbot-config-")
    ]
    example = (project_root / "examples" / "perfbot.yaml").read_text()
    assert config["data"]["perfbot.yaml"] == example
    volumes = one(objects, "Deployment", "perfbot-bot")["spec"]["template"]["spec"]["volumes"]
    assert {"name": "config", "configMap": {"name": config["metadata"]["name"]}} in volumes


def test_every_rendered_template_is_part_of_the_platform(objects, project_root):
    names = {o["metadata"]["name"] for o in find(objects, "WorkflowTemplate")}
    files = {p.stem for p in (project_root / "templates").glob("perf-*.yaml")}
    assert names == files
    assert names


def test_secrets_are_referenced_never_filled(objects):
    for secret in find(objects, "Secret"):
        assert "data" not in secret, secret["metadata"]["name"]
        assert "stringData" not in secret, secret["metadata"]["name"]
        assert secret["type"] == "kubernetes.io/service-account-token"
    env = one(objects, "Deployment", "perfbot-bot")["spec"]["template"]["spec"]["containers"][0]
    from_secrets = {
        e["name"]: e["valueFrom"]["secretKeyRef"]["name"]
        for e in env["env"]
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    assert from_secrets == {
        "ARGO_TOKEN": "perfbot-bot-token",
        "GITHUB_WEBHOOK_SECRET": "perfbot-github",
        "GITHUB_APP_ID": "perfbot-github",
        "PERFBOT_CALLBACK_SECRET": "perfbot-callback",
    }
    assert not any("value" in e and "SECRET" in e["name"] for e in env["env"])


def test_every_executor_account_has_the_token_secret_argo_mounts(objects):
    assert executor_accounts(objects) == {"perfbot-executor"}
    assert missing_executor_tokens(objects) == set()
    accounts = {o["metadata"]["name"] for o in find(objects, "ServiceAccount")}
    assert executor_accounts(objects) <= accounts


def _token(name: str, account: str, kind: str = SA_TOKEN) -> dict[str, Any]:
    annotations = {"kubernetes.io/service-account.name": account}
    return {"kind": "Secret", "type": kind, "metadata": {"name": name, "annotations": annotations}}


EXECUTOR_TEMPLATE = {
    "kind": "WorkflowTemplate",
    "metadata": {"name": "t"},
    "spec": {"executor": {"serviceAccountName": "runner"}},
}


@pytest.mark.parametrize(
    ("secrets", "missing"),
    [
        ([_token("runner.service-account-token", "runner")], set()),
        ([], {"runner"}),
        ([_token("runner-token", "runner")], {"runner"}),  # not the name Argo looks for
        ([_token("runner.service-account-token", "other")], {"runner"}),
        ([_token("runner.service-account-token", "runner", "Opaque")], {"runner"}),
    ],
)
def test_the_executor_token_check_finds_what_argo_would_miss(secrets, missing):
    assert missing_executor_tokens([EXECUTOR_TEMPLATE, *secrets]) == missing
