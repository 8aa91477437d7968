"""`deploy`: one side's service as a daemon step, ready when its readiness probe passes.

Base and head run side by side (two tasks of this template) so the benchmark can alternate
between them. The port is an input so the local runner, where both share 127.0.0.1, can give
each its own; in the cluster each pod has its own IP and the configured port.
"""

from __future__ import annotations

from hera.workflows import Container, Parameter
from hera.workflows.models import (
    ContainerPort,
    ExecAction,
    HTTPGetAction,
    Probe,
    TCPSocketAction,
)

from workflows.config import DeployConfig, JobConfig
from workflows.pipeline import check, common, local, paths, placement
from workflows.pipeline.variables import input_parameter

NAME = "deploy"


def readiness_probe(deploy: DeployConfig) -> Probe:
    ready = deploy.readiness
    timing = dict(
        initial_delay_seconds=ready.initial_delay_seconds,
        period_seconds=ready.period_seconds,
        timeout_seconds=ready.timeout_seconds,
        failure_threshold=ready.failure_threshold,
    )
    if ready.http_path:
        return Probe(http_get=HTTPGetAction(path=ready.http_path, port=deploy.port), **timing)
    if ready.exec:
        return Probe(exec=ExecAction(command=list(ready.exec)), **timing)
    return Probe(tcp_socket=TCPSocketAction(port=deploy.port), **timing)


def deploy_template(job: JobConfig) -> Container:
    deploy = job.deploy
    assert deploy is not None
    side, sha = input_parameter("side"), input_parameter("sha")
    values = {
        "PERFBOT_SIDE": side,
        "PERFBOT_SHA": sha,
        "PERFBOT_PORT": input_parameter("port"),
        "PERFBOT_WORKSPACE": paths.side_workspace(side),
        **deploy.env,
    }
    workspace = paths.side_workspace(side)
    image = deploy_image(job, sha)
    if job.build.kind == "image":
        working_dir = None
        mounts = None
        annotations = (
            {**local.command(deploy.local_command), local.WORKING_DIR: workspace}
            if deploy.local_command
            else {local.UNSUPPORTED: _local_unsupported(job)}
        )
    else:
        working_dir = workspace
        mounts = [common.workspace_mount()]
        annotations = local.command(deploy.local_command) if deploy.local_command else None
    return Container(
        termination_message_policy=common.TERMINATION_MESSAGE_POLICY,
        name=NAME,
        image=image,
        command=list(deploy.command) if deploy.command else None,
        args=list(deploy.args) or None,
        env=common.env(values),
        working_dir=working_dir,
        volume_mounts=mounts,
        inputs=[
            Parameter(name="side"),
            Parameter(name="sha"),
            Parameter(name="port", value=str(deploy.port)),
        ],
        ports=[ContainerPort(container_port=deploy.port, name="service")],
        readiness_probe=readiness_probe(deploy),
        daemon=True,
        retry_strategy=common.retry(deploy.retries),
        node_selector=common.node_selector(job.placement),
        tolerations=common.tolerations(job.placement),
        affinity=placement.measure_affinity(),
        labels=placement.measure_labels(),
        resources=common.resources(deploy.resources),
        annotations=annotations,
    )


def deploy_image(job: JobConfig, sha: str) -> str:
    """The image one side's service runs: the side's build (image jobs) or a fixed image."""
    deploy = job.deploy
    assert deploy is not None
    if deploy.image:
        return deploy.image
    if job.build.kind == "image":
        return check.image_ref(job, sha)
    image = job.build.builder_image
    assert image is not None  # config validation: a command build names its builder image
    return image


def _local_unsupported(job: JobConfig) -> str:
    return (
        f"deploy: job {job.name} runs its service from the built image, which needs a "
        "container engine; add deploy.local_command to perfbot.yaml to run it locally"
    )
