"""The `build` template of an image job: buildah, unprivileged (docs/security.md), build
arguments as argv data."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pipeline.conftest import env_of, templates_by_name
from workflows.config import parse_config
from workflows.pipeline.render import template_dicts

CONFIG = """
repos:
  acme/server:
    default_job: image
    jobs:
      image:
        build:
          dockerfile: docker/Dockerfile
          context: docker
          registry: r.example/acme
          image: srv
          args: {BASE_IMAGE: "python:3.11", GREETING: "$(id) `id`"}
        deploy: {port: 9000}
        benchmark: {image: bench:1, command: [bench]}
      command:
        build: {command: [make], builder_image: gcc:13}
        benchmark: {image: bench:1, command: [bench]}
"""


@pytest.fixture(scope="module")
def builds() -> dict[str, dict[str, Any]]:
    templates = template_dicts(parse_config(CONFIG))
    return {
        job: templates_by_name(templates[f"perf-{job}.yaml"])["build"]
        for job in ("image", "command")
    }


def test_an_image_build_runs_the_image_build_driver_in_the_buildah_image(builds):
    container = builds["image"]["container"]
    assert container["image"].endswith("/buildah:v1.46.1")
    assert container["command"][:2] == ["sh", "-c"]
    assert container["command"][2].startswith("# perfbot image-build")


def test_build_arguments_are_argv_items_not_shell_text(builds):
    container = builds["image"]["container"]
    assert container["args"] == ["BASE_IMAGE=python:3.11", "GREETING=$(id) `id`"]
    assert "$(id)" not in container["command"][2]


@pytest.mark.parametrize("job", ["image", "command"])
def test_no_build_asks_for_privilege(builds, job):
    assert "securityContext" not in builds[job]["container"]


def test_the_image_build_pushes_to_the_jobs_image_tagged_with_the_commit(builds):
    env = env_of(builds["image"])
    assert env["PERFBOT_IMAGE"] == "r.example/acme/srv:{{inputs.parameters.sha}}"
    assert env["PERFBOT_DOCKERFILE"] == "/perfbot/src/docker/Dockerfile"
    assert env["PERFBOT_CONTEXT"] == "/perfbot/src/docker"
    assert env["PERFBOT_CACHE_REPO"] == "r.example/acme/srv-cache"
    assert (env["STORAGE_DRIVER"], env["BUILDAH_ISOLATION"]) == ("vfs", "chroot")


@pytest.mark.parametrize("step", ["check", "build", "deploy", "benchmark"])
def test_a_failed_steps_last_log_lines_become_its_message(step):
    """So that the PR's report says why (`no image ...; run with rebuild=true`), not only the
    exit code: Argo puts the termination message into the node's message."""
    templates = templates_by_name(template_dicts(parse_config(CONFIG))["perf-image.yaml"])
    assert templates[step]["container"]["terminationMessagePolicy"] == "FallbackToLogsOnError"
