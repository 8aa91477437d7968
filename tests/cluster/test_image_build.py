"""Image jobs on the real cluster: each side's Dockerfile built by buildah in a build pod and
pushed to the node's registry, the deploys pulled from there by the kubelet; `/rerun-perf` then
reuses both images and builds nothing, and with an image gone it stops at `check` saying what
to do (the promise of docs/templates.md and docs/commands.md)."""

from __future__ import annotations

import json

import pytest

from tests.cluster import registry
from tests.cluster.conftest import (
    IMAGES_REPO,
    RUN_TIMEOUT,
    Bot,
    DemoRepo,
    followed,
    submit,
)
from tests.cluster.node import Node

pytestmark = [pytest.mark.cluster, pytest.mark.slow]
IMAGE = f"{registry.ADDRESS}/perfbot-demo/shop"


def follow(bot: Bot, cluster: Node, contracts_dir, body: str, timeout: float = RUN_TIMEOUT):
    name = submit(bot, cluster, contracts_dir, body, IMAGES_REPO)
    return followed(bot, cluster, name, IMAGES_REPO, timeout)


def steps(flow: dict, template: str) -> list[dict]:
    nodes = flow["status"]["nodes"].values()
    return [n for n in nodes if n.get("templateName") == template and n.get("type") == "Pod"]


def skipped(flow: dict, template: str) -> list[dict]:
    nodes = flow["status"]["nodes"].values()
    return [n for n in nodes if n.get("templateName") == template and n.get("phase") == "Skipped"]


@pytest.fixture(scope="module")
def built(cluster: Node, bot: Bot, background: dict[str, str]) -> dict:
    return followed(bot, cluster, background["image"], IMAGES_REPO, RUN_TIMEOUT)


@pytest.fixture(scope="module")
def reused(built: dict, cluster: Node, bot: Bot, contracts_dir) -> dict:
    return follow(bot, cluster, contracts_dir, "/rerun-perf main")


@pytest.fixture(scope="module")
def missing(reused: dict, cluster: Node, bot: Bot, demo_repo: DemoRepo, contracts_dir) -> dict:
    registry.delete(cluster, f"{IMAGE}:{demo_repo.head}")
    return follow(bot, cluster, contracts_dir, "/rerun-perf main", timeout=600)


def reported(check: dict | None) -> None:
    """The run's report reached the PR: every endpoint, and no failed step (the verdict itself
    is the main e2e's business: these runs take 5 rounds on a busy machine)."""
    assert check is not None
    print("check run:", check["conclusion"], check["output"]["title"])
    assert check["conclusion"] in ("success", "neutral", "failure")
    assert "at step" not in check["output"]["title"]
    assert "GET /search" in check["output"]["summary"]


def test_an_image_job_builds_both_sides_in_the_cluster_and_is_reported(built: dict) -> None:
    status = built["workflow"]["status"]
    assert status["phase"] == "Succeeded", json.dumps(status)[:3000]
    assert sorted(n["phase"] for n in steps(built["workflow"], "build")) == ["Succeeded"] * 2
    reported(built["check"])


@pytest.mark.parametrize("side", ["base", "head"])
def test_each_sides_image_is_in_the_registry_labelled_with_its_commit(
    built: dict, cluster: Node, demo_repo: DemoRepo, side: str
) -> None:
    sha = getattr(demo_repo, side)
    config = json.loads(registry.crane(cluster, "config", f"{IMAGE}:{sha}").stdout)
    assert config["config"]["Labels"]["org.opencontainers.image.revision"] == sha


def test_the_kubelet_pulled_both_images_from_the_registry(
    built: dict, cluster: Node, demo_repo: DemoRepo
) -> None:
    listed = cluster.run(
        ["ctr", "--address", str(cluster.containerd_socket), "-n", "k8s.io", "images", "ls", "-q"]
    ).stdout.split()
    assert {f"{IMAGE}:{demo_repo.base}", f"{IMAGE}:{demo_repo.head}"} <= set(listed)


def test_a_rerun_reuses_both_images_and_builds_nothing(reused: dict) -> None:
    flow = reused["workflow"]
    assert flow["status"]["phase"] == "Succeeded", json.dumps(flow["status"])[:3000]
    assert steps(flow, "build") == []
    assert len(skipped(flow, "build")) == 2
    reported(reused["check"])


def test_a_rerun_with_an_image_gone_stops_at_check_and_says_to_build(missing: dict) -> None:
    flow = missing["workflow"]
    assert flow["status"]["phase"] in ("Failed", "Error")
    failed = [n for n in steps(flow, "check") if n["phase"] in ("Failed", "Error")]
    assert len(failed) == 1, json.dumps(flow["status"])[:3000]
    check = missing["check"]
    assert check is not None
    assert check["conclusion"] == "failure", check
    print("the refused rerun's check run:", json.dumps(check["output"])[:2000])
    assert "at step check" in check["output"]["title"], check["output"]["title"]
    assert "/run-perf" in check["output"]["summary"]
