"""`build`: one side's build, as an image (buildah) or as a command whose output is kept.

The same template builds base and head (its `side` and `sha` inputs differ), in parallel. A
Dockerfile build pushes `<registry>/<image>:<sha>`; its `local_command` (if any) is what the
local runner does instead, through the same driver as a command build. The checkout is the
`fetch` step's output (input artifact `source`): a build never clones, and never sees a git
credential.
"""

from __future__ import annotations

import posixpath

from hera.workflows import Container, Parameter

from workflows.config import JobConfig
from workflows.pipeline import check, common, drivers, fetch, local, paths
from workflows.pipeline.variables import input_parameter

NAME = "build"


def build_template(job: JobConfig) -> Container:
    side, sha = input_parameter("side"), input_parameter("sha")
    values = {
        "PERFBOT_SIDE": side,
        "PERFBOT_SHA": sha,
        "PERFBOT_OUT": f"{paths.WORKSPACE}/{side}",
        "PERFBOT_KEEP": "\n".join(job.build.keep),
        **job.build.env,
    }
    driver = ["sh", "-c", drivers.load("build"), "perfbot-build"]
    common_args = dict(
        name=NAME,
        inputs=[Parameter(name="side"), Parameter(name="sha"), fetch.source_input()],
        working_dir=paths.SOURCE,
        retry_strategy=common.retry(job.build.retries),
        active_deadline_seconds=job.build.timeout,
    )
    if job.build.kind == "command":
        assert job.build.command
        return Container(
            termination_message_policy=common.TERMINATION_MESSAGE_POLICY,
            image=job.build.builder_image,
            command=[*driver, *job.build.command],
            env=common.env(values),
            volume_mounts=[common.workspace_mount()],
            annotations=local.command([*driver, *job.build.local_command])
            if job.build.local_command
            else None,
            **common_args,
        )
    return Container(
        termination_message_policy=common.TERMINATION_MESSAGE_POLICY,
        image=job.build.buildah_image,
        command=["sh", "-c", drivers.load("image-build"), "perfbot-image-build"],
        args=[f"{name}={value}" for name, value in job.build.args.items()] or None,
        env=common.env({**values, **image_build_values(job, sha)}),
        volumes=check.registry_volume(job),
        annotations=local.command([*driver, *job.build.local_command])
        if job.build.local_command
        else {local.UNSUPPORTED: local_unsupported(job)},
        **common_args,
    )


def image_build_values(job: JobConfig, sha: str) -> dict[str, str]:
    """What the image-build driver reads: the paths in the checkout, the image and its cache.

    vfs storage and chroot isolation: no overlay mount inside the pod's own overlay file
    system and no nested container runtime, so the pod needs no privilege (shown on the real
    cluster: tests/cluster/test_image_build.py builds a Dockerfile with a RUN line unprivileged).
    """
    return {
        "PERFBOT_IMAGE": check.image_ref(job, sha),
        "PERFBOT_DOCKERFILE": posixpath.normpath(f"{paths.SOURCE}/{job.build.dockerfile}"),
        "PERFBOT_CONTEXT": posixpath.normpath(f"{paths.SOURCE}/{job.build.context}"),
        "PERFBOT_CACHE_REPO": f"{job.build.image_repository}-cache",
        **({"DOCKER_CONFIG": paths.DOCKER_CONFIG} if job.build.registry_secret else {}),
        "STORAGE_DRIVER": "vfs",
        "BUILDAH_ISOLATION": "chroot",
    }


def local_unsupported(job: JobConfig) -> str:
    return (
        f"build: job {job.name} builds {job.build.dockerfile} into an image, which needs a "
        "container engine; add build.local_command to perfbot.yaml to build it locally"
    )
