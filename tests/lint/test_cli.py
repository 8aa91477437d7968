"""`perfbot lint`: exit 0 when Argo accepts, 1 with Argo's lines when it refuses, 2 for bad input
or a missing Go, always one readable message and never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from workflows.argo_validate import BINARY_ENV, GO_MISSING
from workflows.cli import main


def lint(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["lint", *args], env=env)


@pytest.fixture
def broken_dir(tmp_path: Path, project_root: Path) -> Path:
    template = yaml.safe_load((project_root / "templates" / "perf-databend-sql.yaml").read_text())
    broken = copy.deepcopy(template)
    [measure] = [t for t in broken["spec"]["templates"] if t["name"] == "measure"]
    measure["dag"]["tasks"][-1]["depends"] = "no-such-task"
    (tmp_path / "perf-databend-sql.yaml").write_text(yaml.safe_dump(broken))
    (tmp_path / "kustomization.yaml").write_text("resources: [perf-databend-sql.yaml]\n")
    return tmp_path


def test_the_committed_templates_directory_lints_clean(validator, project_root):
    result = lint(str(project_root / "templates"))

    assert result.exit_code == 0, result.output
    assert "Argo accepts all of it" in result.stderr
    assert "2 WorkflowTemplates" in result.stderr


def test_a_config_lints_its_rendered_templates_with_their_submissions(validator, project_root):
    result = lint("--config", str(project_root / "examples" / "perfbot.yaml"))

    assert result.exit_code == 0, result.output
    assert "2 WorkflowTemplates, 6 Workflows, 0 problems" in result.stderr


def test_a_refused_template_prints_argos_line_and_exits_1(validator, broken_dir):
    result = lint(str(broken_dir))

    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{broken_dir}/perf-databend-sql.yaml: WorkflowTemplate perf-databend")
    assert "invalid dependency no-such-task" in line
    assert "Argo refuses 1 of it" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--config", "no-such-perfbot.yaml"], "no-such-perfbot.yaml"),
        (["no-such-dir"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = lint(*args)

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_directory_without_manifests_is_bad_input(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: []\n")

    result = lint(str(tmp_path))

    assert result.exit_code == 2
    assert f"no YAML or JSON manifests in {tmp_path}" in result.output


def test_without_go_it_says_how_to_install_go_instead_of_passing(tmp_path, project_root):
    env = {"PATH": str(tmp_path), BINARY_ENV: ""}

    result = lint(str(project_root / "templates"), env=env)

    assert result.exit_code == 2
    assert GO_MISSING in result.output
    assert "Traceback" not in result.output
