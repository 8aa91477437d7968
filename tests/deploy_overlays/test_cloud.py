"""The cloud overlay: no single point of failure, bounded resources, hardened pods, a pool."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.deploy_overlays.manifests import (
    BOT,
    OVERLAYS_DIR,
    PERFBOT_STEPS,
    bot_container,
    bot_pod_spec,
    find,
    needs_kubectl,
    one,
    steps,
    tolerates,
)

pytestmark = needs_kubectl


@pytest.fixture(scope="module")
def pool() -> dict[str, Any]:
    """The benchmark pool as benchmark-pool.yaml declares it (a local-config object)."""
    return yaml.safe_load((OVERLAYS_DIR / "cloud" / "benchmark-pool.yaml").read_text())["spec"]


def bot_labels(cloud) -> dict[str, str]:
    return one(cloud, "Deployment", BOT)["spec"]["template"]["metadata"]["labels"]


def test_the_bot_runs_at_least_two_replicas(cloud):
    assert one(cloud, "Deployment", BOT)["spec"]["replicas"] >= 2


def test_a_disruption_budget_keeps_one_replica_and_still_lets_nodes_drain(cloud):
    pdb = one(cloud, "PodDisruptionBudget", BOT)
    replicas = one(cloud, "Deployment", BOT)["spec"]["replicas"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= bot_labels(cloud).items()
    assert 1 <= pdb["spec"]["minAvailable"] < replicas


def test_no_two_replicas_share_a_node(cloud):
    terms = bot_pod_spec(cloud)["affinity"]["podAntiAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]
    assert any(
        term["topologyKey"] == "kubernetes.io/hostname"
        and term["labelSelector"]["matchLabels"].items() <= bot_labels(cloud).items()
        for term in terms
    )


def test_a_rollout_needs_no_more_nodes_than_replicas(cloud):
    """Required anti-affinity plus a surge pod would wait for a node that may not exist."""
    rolling = one(cloud, "Deployment", BOT)["spec"]["strategy"]["rollingUpdate"]
    assert rolling["maxSurge"] == 0
    assert rolling["maxUnavailable"] == 1


def test_the_bot_never_lands_on_a_benchmark_node(cloud, pool):
    terms = bot_pod_spec(cloud)["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]["nodeSelectorTerms"]
    for key in pool["nodeLabels"]:
        assert all(
            {"key": key, "operator": "DoesNotExist"} in term["matchExpressions"] for term in terms
        )
    assert not any(
        tolerates(bot_pod_spec(cloud).get("tolerations", []), taint) for taint in pool["taints"]
    )


@pytest.mark.parametrize("resource", ["cpu", "memory"])
def test_the_bot_has_requests_and_limits(cloud, resource):
    resources = bot_container(cloud)["resources"]
    assert resources["requests"][resource]
    assert resources["limits"][resource]


def test_the_bot_pod_runs_hardened(cloud):
    pod = bot_pod_spec(cloud)["securityContext"]
    container = bot_container(cloud)["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert pod["runAsUser"] > 0
    assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["readOnlyRootFilesystem"] is True
    assert container["allowPrivilegeEscalation"] is False
    assert container["capabilities"] == {"drop": ["ALL"]}


def test_the_perfbot_steps_of_every_template_run_as_the_images_non_root_user(cloud):
    bot_user = bot_pod_spec(cloud)["securityContext"]["runAsUser"]
    seen = set()
    for template, step in steps(cloud):
        if step["name"] not in PERFBOT_STEPS:
            continue
        seen.add((template, step["name"]))
        assert step["securityContext"]["runAsNonRoot"] is True
        assert step["securityContext"]["runAsUser"] == bot_user
        assert step["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert step["container"]["securityContext"]["capabilities"] == {"drop": ["ALL"]}
        assert step["container"]["securityContext"]["allowPrivilegeEscalation"] is False
    assert len(seen) == len(PERFBOT_STEPS) * len(find(cloud, "WorkflowTemplate"))


def test_steps_sent_to_the_benchmark_pool_tolerate_its_taints(cloud, pool):
    sent = []
    for template, step in steps(cloud):
        selector = step.get("nodeSelector", {})
        if selector and selector.items() <= pool["nodeLabels"].items():
            sent.append((template, step["name"]))
            for taint in pool["taints"]:
                assert tolerates(step.get("tolerations", []), taint), (template, step["name"])
    assert ("perf-databend-sql", "benchmark") in sent
    assert ("perf-ripgrep-search", "benchmark") in sent


def test_the_pools_declared_toleration_accepts_its_taints(pool):
    for taint in pool["taints"]:
        assert tolerates(pool["tolerations"], taint)
    assert not tolerates(pool["tolerations"], {"key": "other", "effect": "NoSchedule"})


def test_the_service_monitor_scrapes_the_bots_metrics_port(cloud):
    monitor = one(cloud, "ServiceMonitor", BOT)
    service = one(cloud, "Service", BOT)
    assert (
        monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    )
    ports = {p["name"] for p in service["spec"]["ports"]}
    for endpoint in monitor["spec"]["endpoints"]:
        assert endpoint["port"] in ports
        assert endpoint["path"] == "/metrics"


def test_workflow_pods_cannot_reach_the_cloud_metadata_endpoint(cloud):
    (policy,) = find(cloud, "NetworkPolicy")
    assert policy["spec"]["podSelector"]["matchExpressions"] == [
        {"key": "workflows.argoproj.io/workflow", "operator": "Exists"}
    ]
    assert set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    blocks = [
        peer["ipBlock"]
        for rule in policy["spec"]["egress"]
        for peer in rule.get("to", [])
        if "ipBlock" in peer
    ]
    assert blocks
    for block in blocks:
        assert "169.254.169.254/32" in block.get("except", [])


def test_workflow_pods_can_still_resolve_names(cloud):
    (policy,) = find(cloud, "NetworkPolicy")
    dns = [
        rule
        for rule in policy["spec"]["egress"]
        if {"protocol": "UDP", "port": 53} in rule.get("ports", [])
    ]
    assert dns


def test_argo_server_certificates_are_verified(cloud):
    env = {e["name"]: e.get("value") for e in bot_container(cloud)["env"]}
    assert env.get("ARGO_INSECURE_SKIP_VERIFY", "false") == "false"


def test_as_many_runs_measure_at_once_as_the_pool_can_have_nodes(cloud, pool):
    semaphores = one(cloud, "ConfigMap", "perfbot-semaphores")["data"]
    assert int(semaphores["benchmark-nodes"]) == pool["autoscaling"]["maxNodes"] > 1


def test_the_pool_shrinks_to_no_node_when_nothing_runs(pool):
    assert pool["autoscaling"]["minNodes"] == 0
    assert pool["autoscaling"]["maxNodes"] >= 1


def test_the_pools_nodes_give_guaranteed_pods_exclusive_cores(pool):
    assert pool["machine"]["cpuManagerPolicy"] == "static"
