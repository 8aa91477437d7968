"""The image-build driver: buildah builds the side's Dockerfile and pushes it, with the build
arguments passed as data (run for real with `sh`, against a recording fake of buildah)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pipeline.test_drivers import SHA, fake_executable, run

IMAGE = f"registry.invalid/acme/db:{SHA}"
# Each call's argv, one JSON list per line: what buildah was asked to do, exactly.
RECORDING_BUILDAH = """printf '[' >> "$CALLS"
first=1
for arg; do
  [ "$first" = 1 ] || printf ',' >> "$CALLS"
  first=0
  printf '"%s"' "$arg" >> "$CALLS"
done
printf ']\\n' >> "$CALLS"
[ "$3" != "${FAIL_ON:-}" ]
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    source = tmp_path / "src"
    (source / "svc").mkdir(parents=True)
    (source / "Dockerfile").write_text("FROM scratch\n")
    return source


def image_env(tmp_path: Path, checkout: Path, **overrides: str) -> dict[str, str]:
    bin_dir = fake_executable(tmp_path / "bin", "buildah", RECORDING_BUILDAH)
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "CALLS": str(tmp_path / "calls"),
        "PERFBOT_IMAGE": IMAGE,
        "PERFBOT_SHA": SHA,
        "PERFBOT_DOCKERFILE": str(checkout / "Dockerfile"),
        "PERFBOT_CONTEXT": str(checkout),
        "PERFBOT_CACHE_REPO": "registry.invalid/acme/db-cache",
        "DOCKER_CONFIG": str(tmp_path / "docker"),
        "STORAGE_DRIVER": "vfs",
        **overrides,
    }


def calls(tmp_path: Path) -> list[list[str]]:
    return [json.loads(line) for line in (tmp_path / "calls").read_text().splitlines()]


def test_the_image_is_built_from_the_dockerfile_labelled_with_its_commit_then_pushed(
    tmp_path, checkout
):
    result = run("image-build", image_env(tmp_path, checkout), cwd=checkout)
    assert result.returncode == 0, result.stderr
    build, push = calls(tmp_path)
    assert build[:3] == ["--storage-driver", "vfs", "build"]
    assert build[build.index("--file") + 1] == str(checkout / "Dockerfile")
    assert build[build.index("--tag") + 1] == IMAGE
    assert f"org.opencontainers.image.revision={SHA}" in build
    assert build[-1] == str(checkout)
    assert push == ["--storage-driver", "vfs", "push", IMAGE]


def test_build_arguments_reach_buildah_as_data_even_with_shell_text_in_them(tmp_path, checkout):
    hostile = "X=$(touch pwned); `id`"
    env = image_env(tmp_path, checkout)
    result = run("image-build", env, "BASE_IMAGE=python:3.11", hostile, cwd=checkout)
    assert result.returncode == 0, result.stderr
    build = calls(tmp_path)[0]
    assert build[build.index("--build-arg") + 1] == "BASE_IMAGE=python:3.11"
    assert build[-3:-1] == ["--build-arg", hostile]
    assert not (checkout / "pwned").exists()


def test_the_registry_credentials_are_used_only_when_mounted(tmp_path, checkout):
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text("{}")
    env = image_env(tmp_path, checkout)
    env["CALLS"] = str(tmp_path / "calls")
    fake_executable(
        tmp_path / "bin", "buildah", 'printf "%s\\n" "${REGISTRY_AUTH_FILE:-none}" >> "$CALLS"\n'
    )
    assert run("image-build", env, cwd=checkout).returncode == 0
    assert (tmp_path / "calls").read_text().split() == [str(tmp_path / "docker/config.json")] * 2


def test_without_credentials_buildah_is_not_pointed_at_a_missing_file(tmp_path, checkout):
    env = image_env(tmp_path, checkout)
    fake_executable(
        tmp_path / "bin",
        "buildah",
        'printf "%s|%s\\n" "${DOCKER_CONFIG:-unset}" "${REGISTRY_AUTH_FILE:-unset}" >> "$CALLS"\n',
    )
    assert run("image-build", env, cwd=checkout).returncode == 0
    assert (tmp_path / "calls").read_text().split() == ["unset|unset"] * 2


def test_a_failed_build_pushes_nothing_and_fails_the_step(tmp_path, checkout):
    env = image_env(tmp_path, checkout, FAIL_ON="build")
    result = run("image-build", env, cwd=checkout)
    assert result.returncode != 0
    assert [call[2] for call in calls(tmp_path)] == ["build"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"PERFBOT_SHA": "main; rm -rf /"}, "hex commit id"),
        ({"PERFBOT_DOCKERFILE": "/nonexistent/Dockerfile"}, "no Dockerfile at"),
        ({"PERFBOT_CONTEXT": "/nonexistent"}, "no build context"),
    ],
)
def test_the_driver_refuses_what_it_cannot_build(tmp_path, checkout, overrides, message):
    result = run("image-build", image_env(tmp_path, checkout, **overrides), cwd=checkout)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "calls").exists()
