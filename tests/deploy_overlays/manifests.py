"""Rendering the overlays and walking what they render: shared by the tests of this folder."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS_DIR = ROOT / "deploy" / "overlays"
OVERLAYS = ("single-node", "cloud")
NAMESPACE = "perfbot"
BOT = "perfbot-bot"
# Steps that run the perfbot image in every generated template.
PERFBOT_STEPS = ("compare", "report", "notify-exit")

needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")


def kustomize(directory: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize DIR`, parsed; a failure shows kubectl's own message."""
    result = subprocess.run(
        ["kubectl", "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"kubectl kustomize {directory}: {result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def find(objects: list[dict[str, Any]], kind: str, name: str | None = None) -> list[dict]:
    return [
        o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)
    ]


def one(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    found = find(objects, kind, name)
    assert len(found) == 1, f"{kind}/{name}: {len(found)} objects"
    return found[0]


def bot_pod_spec(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return one(objects, "Deployment", BOT)["spec"]["template"]["spec"]


def bot_container(objects: list[dict[str, Any]]) -> dict[str, Any]:
    (container,) = bot_pod_spec(objects)["containers"]
    return container


def steps(objects: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(template name, step) for every step of every WorkflowTemplate."""
    for template in find(objects, "WorkflowTemplate"):
        for step in template["spec"]["templates"]:
            yield template["metadata"]["name"], step


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def tolerates(tolerations: list[dict[str, Any]], taint: dict[str, Any]) -> bool:
    """Kubernetes' matching rule for one taint against a pod's tolerations."""
    return any(_matches(toleration, taint) for toleration in tolerations)


def _matches(toleration: dict[str, Any], taint: dict[str, Any]) -> bool:
    if toleration.get("effect") not in (None, "", taint["effect"]):
        return False
    if toleration.get("operator", "Equal") == "Exists":
        return toleration.get("key") in (None, "", taint["key"])
    return toleration.get("key") == taint["key"] and toleration.get("value", "") == taint.get(
        "value", ""
    )


SA_TOKEN = "kubernetes.io/service-account-token"
SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"


def executor_accounts(objects: list[dict[str, Any]]) -> set[str]:
    """The ServiceAccounts the WorkflowTemplates name for Argo's init and wait containers."""
    return {
        name
        for t in find(objects, "WorkflowTemplate")
        if (name := (t["spec"].get("executor") or {}).get("serviceAccountName"))
    }


def missing_executor_tokens(objects: list[dict[str, Any]]) -> set[str]:
    """Executor accounts without the token Secret Argo mounts into every workflow pod when the
    pods do not automount a token: `<account>.service-account-token`, of type
    service-account-token, annotated with the account (Kubernetes fills it in). Without it
    every pod waits at Init:0/1 ("secret ... not found") until the run's deadline."""
    present = {
        s["metadata"]["name"]
        for s in find(objects, "Secret")
        if s.get("type") == SA_TOKEN
        and (s["metadata"].get("annotations") or {}).get(SA_NAME_ANNOTATION)
        == s["metadata"]["name"].removesuffix(".service-account-token")
    }
    return {a for a in executor_accounts(objects) if f"{a}.service-account-token" not in present}
