"""docs/operations.md cites commands, flags, Secrets, labels and metrics that really exist."""

from __future__ import annotations

import importlib
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.shared.metrics import Metrics
from tests.deploy_overlays.manifests import OVERLAYS, ROOT, needs_kubectl, steps
from workflows import labels
from workflows.cli import SUBCOMMANDS

GUIDE = ROOT / "docs" / "operations.md"
TEMPLATES = ROOT / "templates"
ARGO_METRIC_PREFIX = "argo_workflows_"
# service-account-token Secrets Kubernetes fills in
AUTOMATIC_SECRETS = {"perfbot-bot-token", "perfbot-executor.service-account-token"}
# Secrets the guide shows for an optional feature that the example configuration does not use.
OPTIONAL_SECRETS = {"perfbot-git-acme"}  # a private repository's git_credentials_secret


def shell_commands() -> list[list[str]]:
    """Every command of the guide's ```sh blocks, continuation lines joined, comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[-1] == "&":
                words.pop()
            if words:
                commands.append(words)
    return commands


def commands_of(program: str, *words: str) -> list[list[str]]:
    return [c for c in shell_commands() if c[: 1 + len(words)] == [program, *words]]


def option_names(words: list[str]) -> set[str]:
    return {w.split("=", 1)[0] for w in words if w.startswith("--")}


def test_the_guide_has_commands_to_check():
    assert commands_of("perfbot")
    assert commands_of("argo", "submit")
    assert commands_of("kubectl", "-n", "perfbot", "create", "secret")


def test_every_perfbot_command_and_flag_in_the_guide_exists():
    for words in commands_of("perfbot"):
        subcommand = words[1]
        assert subcommand in SUBCOMMANDS, words
        command = importlib.import_module(SUBCOMMANDS[subcommand]).command
        known = {opt for param in command.params for opt in param.opts}
        assert option_names(words) <= known, words


def template_parameters(name: str) -> set[str]:
    template = yaml.safe_load((TEMPLATES / f"{name}.yaml").read_text())
    return {p["name"] for p in template["spec"]["arguments"]["parameters"]}


def test_argo_submit_in_the_guide_names_a_template_and_its_parameters():
    for words in commands_of("argo", "submit"):
        source = words[words.index("--from") + 1]
        kind, _, name = source.partition("/")
        assert kind == "workflowtemplate"
        given = {words[i + 1].split("=", 1)[0] for i, w in enumerate(words) if w == "-p"}
        assert given
        assert given <= template_parameters(name), words


def test_the_parameters_the_guide_adds_for_a_pr_report_exist():
    cited = set(re.findall(r"-p (\S+?)=", GUIDE.read_text()))
    for path in TEMPLATES.glob("perf-*.yaml"):
        assert cited <= template_parameters(path.stem)


def test_every_overlay_path_the_guide_applies_exists():
    for words in shell_commands():
        for i, word in enumerate(words[:-1]):
            if word in ("-k", "kustomize", "--config") and words[i + 1].startswith("deploy/"):
                assert (ROOT / words[i + 1]).exists(), words


@needs_kubectl
def test_the_secrets_the_guide_creates_are_the_ones_the_manifests_use(tmp_path, request):
    created = _created_secrets(tmp_path)
    referenced: dict[str, set[str]] = {}
    for overlay in OVERLAYS:
        objects = request.getfixturevalue(overlay.replace("-", "_"))
        for name, key in _secret_references(objects):
            referenced.setdefault(name, set()).add(key)
    for name in AUTOMATIC_SECRETS:
        referenced.pop(name, None)
    assert set(created) - OPTIONAL_SECRETS == set(referenced)
    for name, keys in referenced.items():
        assert keys <= created[name], name


def _created_secrets(workdir: Path) -> dict[str, set[str]]:
    created = {}
    for words in commands_of("kubectl", "-n", "perfbot", "create", "secret"):
        for word in words:
            if word.startswith("--from-file="):
                source = word.split("=")[-1]
                (workdir / source).write_text("placeholder\n")
        result = subprocess.run(
            [*words, "--dry-run=client", "-o", "yaml"],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert result.returncode == 0, f"{shlex.join(words)}: {result.stderr}"
        secret = yaml.safe_load(result.stdout)
        created[secret["metadata"]["name"]] = set(secret["data"])
    return created


def _secret_references(objects: list[dict[str, Any]]):
    """(Secret, key) pairs: env references, Secret volumes, artifact repository credentials."""
    pod_specs = [o["spec"]["template"]["spec"] for o in objects if o["kind"] == "Deployment"]
    pod_specs += [step for _, step in steps(objects)]
    for spec in pod_specs:
        for container in [*spec.get("containers", []), spec.get("container") or {}]:
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    yield ref["name"], ref["key"]
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                for item in volume["secret"]["items"]:
                    yield volume["secret"]["secretName"], item["key"]
    for config in objects:
        if config["kind"] == "ConfigMap" and config["metadata"]["name"] == "artifact-repositories":
            for text in config["data"].values():
                s3 = yaml.safe_load(text)["s3"]
                for field in ("accessKeySecret", "secretKeySecret"):
                    yield s3[field]["name"], s3[field]["key"]


def _known_metrics() -> set[str]:
    names = set()
    for metric in Metrics().registry.collect():
        names.add(metric.name + ("_total" if metric.type == "counter" else ""))
    for path in TEMPLATES.glob("perf-*.yaml"):
        template = yaml.safe_load(path.read_text())
        holders = [template["spec"], *template["spec"]["templates"]]
        for holder in holders:
            for metric in holder.get("metrics", {}).get("prometheus", []):
                names.add(ARGO_METRIC_PREFIX + metric["name"])
    return names


def test_the_guide_lists_every_metric_of_the_bot_and_the_templates():
    cited = set(re.findall(r"\b(?:argo_workflows_)?perfbot_[a-z_]+[a-z]", GUIDE.read_text()))
    known = _known_metrics()
    assert known <= cited
    assert cited <= known


@pytest.mark.parametrize("label", [labels.REPO, labels.PR, labels.JOB, labels.HEAD_SHA])
def test_the_labels_the_guide_finds_runs_by_are_the_ones_runs_carry(label):
    assert f"`{label}`" in GUIDE.read_text()


def test_the_node_label_the_guide_puts_on_a_single_node_is_what_the_templates_select():
    put = {}
    for words in commands_of("kubectl", "label", "node"):
        put.update(w.split("=", 1) for w in words[3:] if "=" in w and not w.startswith("-"))
    wanted = {}
    for path in TEMPLATES.glob("perf-*.yaml"):
        template = yaml.safe_load(path.read_text())
        for _, step in steps([template]):
            wanted.update(step.get("nodeSelector", {}))
    assert wanted
    assert wanted.items() <= put.items()
