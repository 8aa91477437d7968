"""The single-node overlay: small, one replica, nothing that needs a second node or a node pool."""

from __future__ import annotations

import pytest
import yaml

from tests.deploy_overlays.manifests import (
    BOT,
    ROOT,
    bot_container,
    bot_pod_spec,
    find,
    needs_kubectl,
    one,
)

pytestmark = needs_kubectl

ARGO_DEFAULT_REPOSITORY = "workflows.argoproj.io/default-artifact-repository"


def test_one_replica_with_one_worker(single_node):
    assert one(single_node, "Deployment", BOT)["spec"]["replicas"] == 1
    env = {e["name"]: e.get("value") for e in bot_container(single_node)["env"]}
    assert env["WEB_CONCURRENCY"] == "1"


def test_no_disruption_budget_blocks_draining_the_only_node(single_node):
    assert find(single_node, "PodDisruptionBudget") == []


def test_nothing_requires_a_second_node(single_node):
    affinity = bot_pod_spec(single_node).get("affinity", {})
    assert "requiredDuringSchedulingIgnoredDuringExecution" not in affinity.get(
        "podAntiAffinity", {}
    )
    for constraint in bot_pod_spec(single_node).get("topologySpreadConstraints", []):
        assert constraint["whenUnsatisfiable"] == "ScheduleAnyway"


def test_the_bot_asks_for_less_than_the_base_does(single_node):
    base = yaml.safe_load((ROOT / "deploy" / "base" / "deployment.yaml").read_text())
    (base_container,) = base["spec"]["template"]["spec"]["containers"]
    mine = bot_container(single_node)["resources"]
    assert _mebibytes(mine["requests"]["memory"]) < _mebibytes(
        base_container["resources"]["requests"]["memory"]
    )
    assert _mebibytes(mine["limits"]["memory"]) <= _mebibytes(
        base_container["resources"]["limits"]["memory"]
    )


def _mebibytes(quantity: str) -> int:
    assert quantity.endswith("Mi"), quantity
    return int(quantity[:-2])


def test_the_argo_ui_links_point_at_a_port_forward(single_node):
    env = {e["name"]: e.get("value") for e in bot_container(single_node)["env"]}
    assert env["ARGO_UI_URL"] == "https://localhost:2746"
    assert env["ARGO_INSECURE_SKIP_VERIFY"] == "true"


def test_runs_have_a_default_artifact_repository_reachable_from_this_namespace(single_node):
    config = one(single_node, "ConfigMap", "artifact-repositories")
    key = config["metadata"]["annotations"][ARGO_DEFAULT_REPOSITORY]
    repository = yaml.safe_load(config["data"][key])
    assert repository["s3"]["endpoint"].split(":")[0].endswith(".svc")  # MinIO is in `argo`


def test_one_run_measures_at_a_time_on_the_one_node(single_node):
    semaphores = one(single_node, "ConfigMap", "perfbot-semaphores")["data"]
    assert semaphores["benchmark-nodes"] == "1"


def workspace_modes(objects) -> dict[str, list[str]]:
    """The workspace claim's access modes of every template that has one, by template."""
    return {
        template["metadata"]["name"]: claim["spec"]["accessModes"]
        for template in find(objects, "WorkflowTemplate")
        for claim in template["spec"].get("volumeClaimTemplates", [])
        if claim["metadata"]["name"] == "workspace"
    }


@pytest.mark.parametrize(
    ("overlay", "mode"),
    [("single_node", "ReadWriteOnce"), ("cloud", "ReadWriteMany")],
)
def test_the_workspace_is_read_write_once_on_one_node_only(request, overlay, mode):
    """kind's and k3d's provisioners give only ReadWriteOnce, and one node needs no more; on a
    cluster the builds and the benchmark may land on different nodes."""
    modes = workspace_modes(request.getfixturevalue(overlay))
    assert modes  # the example's command job keeps its build on a workspace
    assert set(map(tuple, modes.values())) == {(mode,)}


def test_templates_without_a_workspace_get_none_on_one_node(single_node):
    without = [
        t["metadata"]["name"]
        for t in find(single_node, "WorkflowTemplate")
        if "volumeClaimTemplates" not in t["spec"]
    ]
    assert without  # the image job: its build is an image, not a workspace


def test_the_recreate_strategy_carries_no_rolling_update_settings(single_node):
    """The real API server refuses `rollingUpdate` beside `type: Recreate` (found by the
    cluster harness's server-side dry run); the base's settings must be dropped, not kept."""
    strategy = one(single_node, "Deployment", BOT)["spec"]["strategy"]
    assert strategy == {"type": "Recreate"}
