"""Small pieces several step builders share: env lists, retries, placement, volume mounts."""

from __future__ import annotations

from collections.abc import Mapping

from hera.workflows import Env, Resources, RetryStrategy
from hera.workflows.models import Backoff, Toleration, VolumeMount

from workflows.config import PlacementConfig, ResourcesConfig
from workflows.pipeline import paths


def env(values: Mapping[str, str]) -> list[Env]:
    """Env vars in the given order; a parameter reference here is data, not shell text."""
    return [Env(name=name, value=value) for name, value in values.items()]


def retry(limit: int) -> RetryStrategy | None:
    """Retry with exponential backoff: 30 s, 1 min, 2 min ... up to 5 min between attempts
    (transient registry, node loss).

    `cap`, not `maxDuration`: Argo (v4.0.5) makes `maxDuration` the retried pod's own deadline,
    counted from the first attempt's start, so a deploy (a daemon, alive until the last round)
    that needed one retry would be killed mid-benchmark, and a build that failed after it would
    not be retried at all. `limit` and the step's own `activeDeadlineSeconds` bound a step.
    """
    if limit <= 0:
        return None
    return RetryStrategy(
        limit=limit,
        retry_policy="Always",
        backoff=Backoff(duration="30s", factor=2, cap="5m"),
    )


def tolerations(placement: PlacementConfig) -> list[Toleration] | None:
    if not placement.tolerations:
        return None
    return [
        Toleration(key=t.key, operator=t.operator, value=t.value, effect=t.effect)
        for t in placement.tolerations
    ]


def node_selector(placement: PlacementConfig) -> dict[str, str] | None:
    return dict(placement.node_selector) or None


def workspace_mount() -> VolumeMount:
    return VolumeMount(name=paths.WORKSPACE_VOLUME, mount_path=paths.WORKSPACE)


def resources(config: ResourcesConfig | None) -> Resources | None:
    """Requests equal to limits (Guaranteed QoS) for the containers whose speed is measured."""
    if config is None:
        return None
    return Resources(
        cpu_request=config.cpu,
        cpu_limit=config.cpu,
        memory_request=config.memory,
        memory_limit=config.memory,
    )


# A failed step's last log lines become its container's termination message, which Argo puts in
# the node's message and so in `workflow.failures`: the PR's report then says why the step
# failed ("no image ...; run with rebuild=true"), not only "Error (exit code 3)". Kubernetes
# keeps at most 80 lines or 2 KB; the report shows the end of it (bot.results.report).
TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError"
