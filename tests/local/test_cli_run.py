"""`perfbot run --local` refuses bad input with one clear line and exit code 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.local.conftest import git
from workflows.cli import main

CONFIG = """\
repos:
  acme/tool:
    default_job: cli
    jobs:
      cli:
        build:
          builder_image: python:3.11
          command: [python, -c, "print('built')"]
        benchmark:
          image: python:3.11
          command: [python, bench.py]
          rounds: 2
"""
IMAGE_JOB = """\
repos:
  acme/server:
    default_job: server
    jobs:
      server:
        build:
          dockerfile: Dockerfile
          registry: ghcr.io/acme
          image: server
        deploy:
          port: 8080
        benchmark:
          image: tools
          command: [bench]
"""


@pytest.fixture
def configured(repo: Path) -> Path:
    (repo / "perfbot.yaml").write_text(CONFIG)
    git(repo, "add", "perfbot.yaml")
    git(repo, "commit", "--quiet", "-m", "config")
    return repo


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "no-such-branch"], "Error: --base: 'no-such-branch' is not a commit in "),
        (["--base", "first", "--head", "v9.9"], "Error: --head: 'v9.9' is not a commit in "),
        (["--base", "--upload-pack=x"], "Error: --base: '--upload-pack=x' is not a git ref"),
        (["--base", "first", "--job", "nope"], "Error: {config}: no job 'nope' (jobs: cli)"),
        (["--base", "first", "--rounds", "0"], "Error: --rounds must be from 1 to 1000, got 0"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(configured: Path, args: list[str], message: str) -> None:
    code, output = invoke("--local", "--repo", str(configured), *args)
    assert code == 2
    assert output.startswith(message.format(config=configured / "perfbot.yaml"))
    assert output.count("\n") == 1
    assert "Traceback" not in output


def test_a_missing_config_is_exit_2_naming_where_it_looked(repo: Path) -> None:
    code, output = invoke("--local", "--repo", str(repo), "--base", "first")
    assert code == 2
    assert output == f"Error: no config at {repo / 'perfbot.yaml'} (pass --config FILE)\n"


def test_an_invalid_config_is_exit_2_naming_the_key(repo: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CONFIG.replace("rounds: 2", "rounds: ten"))
    code, output = invoke("--local", "--repo", str(repo), "--base", "first", "--config", str(bad))
    assert code == 2
    assert "benchmark.rounds: expected an integer" in output
    assert output.count("\n") == 1


def test_a_directory_outside_git_is_exit_2(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    code, output = invoke("--local", "--repo", str(outside), "--base", "main")
    assert code == 2
    assert "is not inside a git repository" in output


def test_a_job_that_needs_a_container_engine_is_exit_2_naming_the_step(
    repo: Path, tmp_path: Path
) -> None:
    config = tmp_path / "image.yaml"
    config.write_text(IMAGE_JOB)
    code, output = invoke(
        "--local",
        "--repo",
        str(repo),
        "--base",
        "first",
        "--config",
        str(config),
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 2
    assert "job server cannot run locally: step build-base" in output
    assert "add build.local_command to perfbot.yaml" in output
    assert not any((tmp_path / "out" / "logs").iterdir())  # nothing ran


def test_run_without_local_says_how_to_use_a_cluster() -> None:
    code, output = invoke("--base", "main")
    assert code == 2
    assert output == "Error: perfbot run needs --local (to run in a cluster, use perfbot submit)\n"
