"""`templates/` is exactly what `examples/perfbot.yaml` renders to; CI checks, never rewrites."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from workflows.cli import main
from workflows.pipeline.render import drift, render

REGENERATE = "perfbot render --config examples/perfbot.yaml --out templates"


def test_committed_templates_match_the_example_config(project_root: Path, example_config):
    found = drift(render(example_config, source="perfbot.yaml"), project_root / "templates")
    assert not found, f"templates/ is out of date ({found.describe()}); run: {REGENERATE}"


def test_render_writes_one_file_per_job_and_a_kustomization(tmp_path, project_root):
    result = CliRunner().invoke(
        main,
        [
            "render",
            "--config",
            str(project_root / "examples" / "perfbot.yaml"),
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kustomization.yaml",
        "perf-databend-sql.yaml",
        "perf-ripgrep-search.yaml",
    ]


def test_render_check_reports_drift_with_the_command_that_fixes_it(tmp_path, project_root):
    config = str(project_root / "examples" / "perfbot.yaml")
    runner = CliRunner()
    runner.invoke(main, ["render", "--config", config, "--out", str(tmp_path)])
    (tmp_path / "perf-databend-sql.yaml").write_text("edited by hand\n")
    (tmp_path / "perf-removed-job.yaml").write_text("kind: WorkflowTemplate\n")

    result = runner.invoke(main, ["render", "--config", config, "--out", str(tmp_path), "--check"])

    assert result.exit_code == 1
    assert "changed: perf-databend-sql.yaml" in result.output
    assert "stale: perf-removed-job.yaml" in result.output
    assert f"perfbot render --config {config} --out {tmp_path}" in result.output
    assert (tmp_path / "perf-databend-sql.yaml").read_text() == "edited by hand\n"


def test_rendering_again_removes_the_template_of_a_removed_job(tmp_path, project_root):
    config = str(project_root / "examples" / "perfbot.yaml")
    (tmp_path / "perf-removed-job.yaml").write_text("kind: WorkflowTemplate\n")
    CliRunner().invoke(main, ["render", "--config", config, "--out", str(tmp_path)])
    assert not (tmp_path / "perf-removed-job.yaml").exists()


def test_render_refuses_a_bad_config_in_one_line(tmp_path):
    bad = tmp_path / "perfbot.yaml"
    bad.write_text("repos:\n  acme/x:\n    default_job: nope\n    jobs: {}\n")
    result = CliRunner().invoke(main, ["render", "--config", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert f"{bad}: repos.acme/x" in result.output
