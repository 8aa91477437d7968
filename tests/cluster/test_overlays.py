"""The deploy overlays against the real API server (issue 25): `kubectl apply -k --dry-run=server`
sends every object through admission and the real schemas (Argo's CRDs, the ServiceMonitor CRD
from the Prometheus Operator's own module), which a client-side render never does."""

from __future__ import annotations

import json

import pytest

from tests.cluster import build
from tests.cluster.node import Node

pytestmark = [pytest.mark.cluster]
OVERLAYS = build.ROOT / "deploy" / "overlays"
CRD = "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"


@pytest.fixture(scope="module")
def servicemonitors(cluster: Node) -> None:
    pin = build.versions()["prometheus-operator"]
    crd = build.module_dir(pin["module"], pin["version"]) / CRD
    cluster.kubectl("apply", "--server-side", "-f", str(crd))
    cluster.kubectl(
        "wait", "--for=condition=Established", "--timeout=60s",
        "crd/servicemonitors.monitoring.coreos.com",
    )  # fmt: skip


@pytest.mark.parametrize("overlay", ["single-node", "cloud"])
def test_the_overlay_passes_a_server_side_dry_run(
    cluster: Node, servicemonitors: None, overlay: str
) -> None:
    result = cluster.kubectl(
        "apply", "-k", str(OVERLAYS / overlay), "--dry-run=server", "-o", "json", check=False
    )
    assert result.returncode == 0, result.stderr
    kinds = {item["kind"] for item in json.loads(result.stdout)["items"]}
    print(f"{overlay}: {sorted(kinds)}")
    assert {"Deployment", "WorkflowTemplate", "Role"} <= kinds
