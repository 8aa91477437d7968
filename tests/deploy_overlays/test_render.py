"""What every overlay must be: renderable, valid for Kubernetes and Argo, free of secret values."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from hera.workflows import WorkflowTemplate

from tests.deploy_overlays.manifests import (
    BOT,
    NAMESPACE,
    OVERLAYS,
    OVERLAYS_DIR,
    PERFBOT_STEPS,
    ROOT,
    bot_container,
    bot_pod_spec,
    executor_accounts,
    find,
    kustomize,
    missing_executor_tokens,
    needs_kubectl,
    one,
    steps,
    strings,
)
from workflows.config import load_config
from workflows.pipeline.render import drift, render

pytestmark = needs_kubectl

# The oldest Kubernetes the guide supports and the newest kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.28", kubernetes_validate.latest_version())
# Custom resources: WorkflowTemplates are checked against Argo's schema below; the Prometheus
# Operator's ServiceMonitor has no schema here.
CUSTOM_KINDS = {"WorkflowTemplate", "ServiceMonitor"}
CORE_KINDS = {"Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret"}
CORE_KINDS |= {"Service", "Deployment"}
PERFBOT_IMAGE = "ghcr.io/example-org/perfbot"
# Settings that hold a secret (bot/shared/settings.py, the callback contract): never a literal
# value.
SECRET_SUFFIXES = ("_SECRET", "_TOKEN", "_PRIVATE_KEY")


def test_everything_lands_in_the_perfbot_namespace(objects):
    assert objects
    for obj in objects:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == NAMESPACE, obj["metadata"]["name"]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_core_objects_validate_against_the_kubernetes_schemas(objects, version):
    validated = set()
    for obj in objects:
        if obj["kind"] in CUSTOM_KINDS:
            continue
        kubernetes_validate.validate(obj, version, strict=True)
        validated.add(obj["kind"])
    assert validated >= CORE_KINDS


def test_the_schema_check_rejects_a_misspelt_field(objects):
    deployment = copy.deepcopy(one(objects, "Deployment", BOT))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)


def test_only_known_custom_resources_reach_the_cluster(objects):
    """The overlays' local-config helper objects must never be applied."""
    unknown = set()
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSIONS[-1])
        except kubernetes_validate.SchemaNotFoundError:
            unknown.add(obj["kind"])
    assert unknown <= CUSTOM_KINDS
    assert not any("local-config" in key for s in objects for key in strings(s["metadata"]))


@pytest.fixture(scope="session")
def argo_validator(contracts_dir: Path) -> jsonschema.protocols.Validator:
    schema = json.loads((contracts_dir / "argo" / "schema.json").read_text())
    definition = "#/definitions/io.argoproj.workflow.v1alpha1.WorkflowTemplate"
    return jsonschema.Draft202012Validator({"$ref": definition, **schema})


def test_workflow_templates_stay_valid_for_argo(objects, argo_validator):
    templates = find(objects, "WorkflowTemplate")
    assert templates
    for template in templates:
        name = template["metadata"]["name"]
        assert [e.message for e in argo_validator.iter_errors(template)] == [], name
        without_namespace = copy.deepcopy(template)
        del without_namespace["metadata"]["namespace"]
        assert WorkflowTemplate.from_dict(without_namespace).to_dict() == without_namespace, name


def test_the_overlay_applies_every_committed_template_with_no_step_added(objects):
    committed = {}
    for path in (ROOT / "templates").glob("perf-*.yaml"):
        template = yaml.safe_load(path.read_text())
        committed[template["metadata"]["name"]] = [t["name"] for t in template["spec"]["templates"]]
    applied = {
        t["metadata"]["name"]: [s["name"] for s in t["spec"]["templates"]]
        for t in find(objects, "WorkflowTemplate")
    }
    assert applied == committed


def test_every_executor_account_has_the_token_secret_argo_mounts(objects):
    assert executor_accounts(objects)
    assert missing_executor_tokens(objects) == set()


def test_no_secret_value_is_rendered(objects):
    for secret in find(objects, "Secret"):
        assert secret["type"] == "kubernetes.io/service-account-token"
        assert "data" not in secret
        assert "stringData" not in secret
    env = list(bot_container(objects)["env"])
    env += [e for _, step in steps(objects) for e in step.get("container", {}).get("env", [])]
    for variable in env:
        if variable["name"].endswith(SECRET_SUFFIXES):
            assert "valueFrom" in variable, variable["name"]
    text = "\n".join(s for obj in objects for s in strings(obj))
    for marker in ("PRIVATE KEY", "ghp_", "github_pat_", "ghs_"):
        assert marker not in text


def test_the_bot_config_is_the_overlays_perfbot_yaml_and_is_mounted(objects, overlay):
    (config,) = [
        c for c in find(objects, "ConfigMap") if c["metadata"]["name"].startswith("perfbot-config-")
    ]
    assert config["data"]["perfbot.yaml"] == (OVERLAYS_DIR / overlay / "perfbot.yaml").read_text()
    volumes = bot_pod_spec(objects)["volumes"]
    assert {"name": "config", "configMap": {"name": config["metadata"]["name"]}} in volumes


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_the_overlays_config_is_the_one_the_templates_were_rendered_from(overlay_name):
    """The bot submits what its config describes; the cluster runs what templates/ holds."""
    config_path = OVERLAYS_DIR / overlay_name / "perfbot.yaml"
    found = drift(render(load_config(config_path)), ROOT / "templates")
    assert not found, (
        f"templates/ does not match {config_path.name} of {overlay_name} ({found.describe()})"
    )


def perfbot_images(objects: list[dict[str, Any]]) -> set[str]:
    images = {bot_container(objects)["image"]}
    for _, step in steps(objects):
        if step["name"] in PERFBOT_STEPS:
            images.add(step["container"]["image"])
    return images


def test_the_bot_and_the_perfbot_steps_run_one_image(objects):
    (image,) = perfbot_images(objects)
    assert image.startswith(PERFBOT_IMAGE + ":")


@pytest.mark.parametrize("overlay_name", OVERLAYS)
def test_an_image_override_in_the_overlay_reaches_the_bot_and_every_perfbot_step(
    overlay_name, tmp_path
):
    for part in ("deploy", "templates"):
        shutil.copytree(ROOT / part, tmp_path / part)
    kustomization = tmp_path / "deploy" / "overlays" / overlay_name / "kustomization.yaml"
    data = yaml.safe_load(kustomization.read_text())
    (entry,) = [i for i in data["images"] if i["name"] == PERFBOT_IMAGE]
    entry.update(newName="registry.test/team/perfbot", newTag="9.9.9")
    kustomization.write_text(yaml.safe_dump(data))

    objects = kustomize(kustomization.parent)

    assert perfbot_images(objects) == {"registry.test/team/perfbot:9.9.9"}
    leftovers = [
        s
        for obj in objects
        if obj["kind"] != "ConfigMap"  # perfbot.yaml's perfbot_image is only read by render
        for s in strings(obj)
        if PERFBOT_IMAGE in s
    ]
    assert leftovers == []
