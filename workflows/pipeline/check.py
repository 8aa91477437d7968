"""`check`: does a side need building? Validates the commit id and `rebuild` on the way.

Its output parameter `build` ("true"/"false") is the only thing the `build` task's `when`
reads, so a workflow parameter never reaches Argo's expression evaluator unchecked. With
`rebuild=false` a missing image fails here, with a message saying to run `/run-perf`.
"""

from __future__ import annotations

from hera.workflows import Container, Parameter, SecretVolume
from hera.workflows.models import KeyToPath, ValueFrom

from workflows.config import JobConfig
from workflows.pipeline import common, drivers, paths
from workflows.pipeline.parameters import REBUILD
from workflows.pipeline.variables import input_parameter, workflow_parameter

NAME = "check"
OUTPUT = f"{paths.OUTPUTS}/build"


def image_ref(job: JobConfig, sha: str) -> str:
    """The image a side is built as: `<registry>/<image>:<commit>`."""
    return f"{job.build.image_repository}:{sha}"


def registry_volume(job: JobConfig) -> list[SecretVolume] | None:
    """The registry's docker config, for steps that check or push images (never PR-code runners
    other than the image build, which must push)."""
    if job.build.kind != "image" or not job.build.registry_secret:
        return None
    return [
        SecretVolume(
            name=paths.DOCKER_CONFIG_VOLUME,
            secret_name=job.build.registry_secret,
            mount_path=paths.DOCKER_CONFIG,
            items=[KeyToPath(key=".dockerconfigjson", path="config.json")],
        )
    ]


def check_template(job: JobConfig) -> Container:
    sha = input_parameter("sha")
    values = {
        "PERFBOT_SIDE": input_parameter("side"),
        "PERFBOT_SHA": sha,
        "PERFBOT_REBUILD": workflow_parameter(REBUILD),
        "PERFBOT_BUILD_KIND": job.build.kind,
        "PERFBOT_OUTPUT": OUTPUT,
    }
    if job.build.kind == "image":
        values["PERFBOT_IMAGE"] = image_ref(job, sha)
        values["DOCKER_CONFIG"] = paths.DOCKER_CONFIG
    return Container(
        termination_message_policy=common.TERMINATION_MESSAGE_POLICY,
        name=NAME,
        image=job.build.crane_image,
        command=["sh", "-c", drivers.load("check"), "perfbot-check"],
        env=common.env(values),
        inputs=[Parameter(name="side"), Parameter(name="sha")],
        outputs=[Parameter(name="build", value_from=ValueFrom(path=OUTPUT))],
        volumes=registry_volume(job),
    )
