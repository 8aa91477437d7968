"""One node per run: every measure pod of a run on the same node, no other run's beside them.

The rules are read with Kubernetes' own semantics: label selectors (matchLabels, In, NotIn,
Exists, DoesNotExist) and the required inter-pod affinity filter of kube-scheduler, including
its rule for the first pod of a group (no pod matches the term yet and the pod matches its own
term). The pods are the rendered templates after Argo's substitution of `{{workflow.uid}}`, and
each is checked against the Kubernetes Pod schema.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping
from typing import Any

import kubernetes_validate
import pytest

from tests.pipeline.conftest import env_of, templates_by_name
from workflows.pipeline.placement import RUN_LABEL, TOPOLOGY_KEY

MEASURE_STEPS = ("deploy", "benchmark")
OTHER_STEPS = ("check", "build", "compare", "report", "notify-exit")
SQL = "perf-databend-sql.yaml"  # deploys both sides: three measure pods per run
RG = "perf-ripgrep-search.yaml"  # no deploy: the benchmark pod alone
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
KUBERNETES_VERSIONS = ("1.28", kubernetes_validate.latest_version())


def measure_steps(template: dict[str, Any]) -> list[dict[str, Any]]:
    steps = templates_by_name(template)
    return [steps[name] for name in MEASURE_STEPS if name in steps]


def pod_of(step: Mapping[str, Any], uid: str, name: str) -> dict[str, Any]:
    """The Pod Argo creates from a container template, with `{{workflow.uid}}` substituted."""
    step = _substitute(copy.deepcopy(dict(step)), {"{{workflow.uid}}": uid})
    container = {k: v for k, v in step["container"].items() if k in ("name", "image", "resources")}
    spec: dict[str, Any] = {"containers": [{**container, "name": "main"}]}
    for key in ("affinity", "nodeSelector", "tolerations"):
        if key in step:
            spec[key] = step[key]
    labels = (step.get("metadata") or {}).get("labels") or {}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "perfbot", "labels": labels},
        "spec": spec,
    }


def _substitute(node: Any, values: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _substitute(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_substitute(value, values) for value in node]
    if isinstance(node, str):
        for variable, value in values.items():
            node = node.replace(variable, value)
    return node


def selects(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """Kubernetes' LabelSelector: all matchLabels and all matchExpressions must hold."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for requirement in selector.get("matchExpressions") or []:
        key, operator = requirement["key"], requirement["operator"]
        values = requirement.get("values") or []
        present = key in labels
        holds = {
            "In": present and labels.get(key) in values,
            "NotIn": not present or labels.get(key) not in values,
            "Exists": present,
            "DoesNotExist": not present,
        }[operator]
        if not holds:
            return False
    return True


def _terms(pod: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    rules = (pod["spec"].get("affinity") or {}).get(kind) or {}
    return rules.get("requiredDuringSchedulingIgnoredDuringExecution") or []


def _labels(pod: Mapping[str, Any]) -> dict[str, str]:
    return pod["metadata"]["labels"]


def fits(pod: Mapping[str, Any], node: str, placed: Mapping[str, list[dict[str, Any]]]) -> bool:
    """kube-scheduler's required inter-pod affinity filter, on the hostname topology only."""
    on_node = placed.get(node, [])
    everywhere = [p for pods in placed.values() for p in pods]
    for term in _terms(pod, "podAffinity"):
        assert term["topologyKey"] == TOPOLOGY_KEY
        if any(selects(term["labelSelector"], _labels(p)) for p in on_node):
            continue
        first_of_group = not any(selects(term["labelSelector"], _labels(p)) for p in everywhere)
        if not (first_of_group and selects(term["labelSelector"], _labels(pod))):
            return False
    for term in _terms(pod, "podAntiAffinity"):
        if any(selects(term["labelSelector"], _labels(p)) for p in on_node):
            return False
    for existing in on_node:  # anti-affinity of pods already there protects them too
        for term in _terms(existing, "podAntiAffinity"):
            if selects(term["labelSelector"], _labels(pod)):
                return False
    return True


def schedule(
    pods: list[dict[str, Any]], nodes: list[str]
) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Places pods one by one on the first node that fits; returns placement and the unplaced."""
    placed: dict[str, list[dict[str, Any]]] = {}
    pending = []
    for pod in pods:
        node = next((n for n in nodes if fits(pod, n, placed)), None)
        if node is None:
            pending.append(pod["metadata"]["name"])
        else:
            placed.setdefault(node, []).append(pod)
    return placed, pending


def run_pods(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The measure pods of one run: deploy-base, deploy-head (if any), then benchmark."""
    uid = str(uuid.uuid4())
    steps = templates_by_name(template)
    pods = []
    if "deploy" in steps:
        pods += [pod_of(steps["deploy"], uid, f"{uid[:8]}-deploy-{s}") for s in ("base", "head")]
    return [*pods, pod_of(steps["benchmark"], uid, f"{uid[:8]}-benchmark")]


def nodes_of(placed: Mapping[str, list[dict[str, Any]]]) -> dict[str, str]:
    return {pod["metadata"]["name"]: node for node, pods in placed.items() for pod in pods}


def test_every_measure_pod_carries_the_runs_uid_as_its_label(all_templates):
    for name, template in all_templates.items():
        steps = measure_steps(template)
        assert steps, name
        for step in steps:
            assert step["metadata"]["labels"] == {RUN_LABEL: "{{workflow.uid}}"}, name


def test_pods_that_measure_nothing_carry_no_run_label_and_no_affinity(all_templates):
    for template in all_templates.values():
        for name, step in templates_by_name(template).items():
            if name in OTHER_STEPS:
                assert RUN_LABEL not in (step.get("metadata") or {}).get("labels", {}), name
                assert "affinity" not in step, name


def test_the_run_label_is_a_valid_label_value_unique_to_each_run(example_templates):
    deploy = templates_by_name(example_templates[SQL])["deploy"]
    values = {_labels(pod_of(deploy, str(uuid.uuid4()), "p"))[RUN_LABEL] for _ in range(3)}
    assert len(values) == 3
    assert all(len(v) <= 63 and LABEL_VALUE.match(v) for v in values)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_measure_pods_validate_against_the_kubernetes_pod_schema(all_templates, version):
    for name, template in all_templates.items():
        for pod in run_pods(template):
            kubernetes_validate.validate(pod, version, strict=True)
            assert pod["spec"]["affinity"], name


def test_the_schema_check_rejects_a_misspelt_affinity_field(example_templates):
    pod = run_pods(example_templates[SQL])[0]
    pod["spec"]["affinity"]["podAffinity"]["requiredDuringScheduling"] = []
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(pod, KUBERNETES_VERSIONS[0], strict=True)


@pytest.mark.parametrize("job", [SQL, RG])
def test_a_runs_measure_pods_all_land_on_one_node(example_templates, job):
    placed, pending = schedule(run_pods(example_templates[job]), ["node-a", "node-b"])
    assert pending == []
    assert len(set(nodes_of(placed).values())) == 1


def test_the_first_pod_of_a_run_may_go_to_any_free_node(example_templates):
    first = run_pods(example_templates[SQL])[0]
    assert fits(first, "node-b", {"node-a": []})


def test_two_runs_measure_on_two_different_nodes(example_templates):
    pods = run_pods(example_templates[SQL]) + run_pods(example_templates[RG])
    placed, pending = schedule(pods, ["node-a", "node-b"])
    assert pending == []
    assert {node: len(on) for node, on in placed.items()} == {"node-a": 3, "node-b": 1}


def test_a_run_waits_rather_than_share_a_node_with_another_run(example_templates):
    first, second = run_pods(example_templates[SQL]), run_pods(example_templates[SQL])
    placed, pending = schedule(first + second, ["node-a"])
    assert len(placed["node-a"]) == 3
    assert pending == [pod["metadata"]["name"] for pod in second]


@pytest.mark.parametrize(("with_rules", "may_go_elsewhere"), [(True, False), (False, True)])
def test_a_second_pod_may_leave_its_runs_node_only_without_the_rules(
    example_templates, with_rules, may_go_elsewhere
):
    first, second, _ = run_pods(example_templates[SQL])
    if not with_rules:
        del second["spec"]["affinity"]
    assert fits(second, "node-b", {"node-a": [first]}) is may_go_elsewhere


def test_an_unrelated_pod_on_the_node_does_not_block_a_run(example_templates):
    unrelated = {"metadata": {"name": "x", "labels": {"app": "other"}}, "spec": {}}
    pod = run_pods(example_templates[SQL])[0]
    assert fits(pod, "node-a", {"node-a": [unrelated]})


@pytest.mark.parametrize("step", MEASURE_STEPS)
def test_the_rules_sit_beside_the_benchmark_pools_selector_and_guaranteed_resources(
    example_templates, step
):
    template = templates_by_name(example_templates[SQL])[step]
    assert template["nodeSelector"] == {"perfbot.example.com/benchmark": "true"}
    resources = template["container"]["resources"]
    assert resources["requests"] == resources["limits"]


def test_the_benchmark_learns_its_node_from_the_downward_api(all_templates):
    for template in all_templates.values():
        benchmark = templates_by_name(template)["benchmark"]
        assert env_of(benchmark)["PERFBOT_NODE_NAME"] == {
            "fieldRef": {"fieldPath": "spec.nodeName"}
        }


@pytest.mark.parametrize(
    ("job", "client", "base", "head"),
    [
        (
            SQL,
            "ghcr.io/example-org/perf-tools:2024.10",
            "ghcr.io/example-org/databend-query-perf:{{workflow.parameters.base-sha}}",
            "ghcr.io/example-org/databend-query-perf:{{workflow.parameters.head-sha}}",
        ),
        (RG, *["ghcr.io/example-org/rust-hyperfine:1.82"] * 3),
    ],
)
def test_the_benchmark_knows_the_images_of_the_client_and_of_both_sides(
    example_templates, job, client, base, head
):
    env = env_of(templates_by_name(example_templates[job])["benchmark"])
    assert (env["PERFBOT_IMAGE"], env["PERFBOT_BASE_IMAGE"], env["PERFBOT_HEAD_IMAGE"]) == (
        client,
        base,
        head,
    )


def test_a_command_built_service_reports_the_image_it_is_deployed_from(all_templates):
    env = env_of(templates_by_name(all_templates["perf-command-server.yaml"])["benchmark"])
    assert env["PERFBOT_BASE_IMAGE"] == env["PERFBOT_HEAD_IMAGE"] == "gcc:13"
