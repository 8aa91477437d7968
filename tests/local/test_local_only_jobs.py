"""A job that only runs locally may leave out the images Argo needs; rendering it says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.local.conftest import ONE_RESULT, git
from workflows.cli import main

LOCAL_ONLY = """\
repos:
  acme/tool:
    default_job: cli
    jobs:
      cli:
        build:
          command: [sh, -c, "true"]
        benchmark:
          command: [sh, bench.sh]
          rounds: 2
"""
WITH_DEPLOY = """\
repos:
  acme/svc:
    default_job: svc
    jobs:
      svc:
        build: {command: [make]}
        deploy: {port: 8080, command: [./serve]}
        benchmark: {image: bench:1, command: [bench]}
"""


@pytest.fixture
def local_only(repo: Path) -> Path:
    (repo / "perfbot.yaml").write_text(LOCAL_ONLY)
    (repo / "bench.sh").write_text(f"echo '{ONE_RESULT}' > \"$PERFBOT_RESULT\"\n")
    git(repo, "add", "perfbot.yaml", "bench.sh")
    git(repo, "commit", "--quiet", "-m", "config")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "head")
    return repo


def test_a_job_without_builder_or_benchmark_image_runs_locally(local_only, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", "--local", "--repo", str(local_only), "--base", "HEAD~1", "--quiet",
               "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "report.json").is_file()


@pytest.mark.parametrize(
    ("config", "gaps"),
    [
        (LOCAL_ONLY, ["job cli has no builder_image", "job cli has no benchmark.image"]),
        (WITH_DEPLOY, ["job svc has no builder_image", "job svc has no deploy.image"]),
    ],
)
def test_rendering_a_local_only_job_says_it_cannot_run_on_argo(tmp_path, config, gaps):
    path = tmp_path / "perfbot.yaml"
    path.write_text(config)
    out = tmp_path / "templates"
    result = CliRunner().invoke(main, ["render", "--config", str(path), "--out", str(out)])
    assert result.exit_code == 2
    for gap in gaps:
        assert f"{gap}: it cannot run on Argo" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_local_run_with_several_processes_a_round_keeps_each_process(local_only, tmp_path):
    config = local_only / "perfbot.yaml"
    config.write_text(LOCAL_ONLY.replace("rounds: 2", "rounds: 2\n          processes: 3"))
    git(local_only, "commit", "--quiet", "-am", "three processes a round")
    git(local_only, "commit", "--quiet", "--allow-empty", "-m", "head")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", "--local", "--repo", str(local_only), "--base", "HEAD~1", "--quiet",
               "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    rounds = report["base"]["metadata"]["rounds"]
    assert [r["round"] for r in rounds] == [1, 2]
    assert all(isinstance(r["cpus"], int) for r in rounds)
    files = report["base"]["metadata"]["files"]
    assert [Path(f).name for f in files] == [
        f"round-00{r}-p{p}.json" for r in (1, 2) for p in (1, 2, 3)
    ]
