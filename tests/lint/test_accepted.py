"""Argo accepts every template perfbot ships or renders, and every Workflow its submissions
become: from `perfbot submit` (each job, and `--no-rebuild`) and from the bot's PR commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.bot.stack import running_stack
from tests.pipeline.conftest import VARIANTS
from workflows.argo_submission import workflow_from_submit_request
from workflows.cli import main
from workflows.cli.lint import config_manifests
from workflows.config import PerfbotConfig, load_config, parse_config
from workflows.pipeline.render import KUSTOMIZATION, render

HEAD = "3f2c9e1d" * 5
BASE = "8d1e0aa4" * 5
BOT_CONFIG = Path(__file__).resolve().parents[1] / "bot" / "perfbot.test.yaml"


def counts(summary: str) -> tuple[int, int]:
    found = re.search(r"(\d+) WorkflowTemplates, (\d+) Workflows", summary)
    assert found, summary
    return int(found[1]), int(found[2])


@pytest.fixture(scope="module")
def example(project_root: Path) -> PerfbotConfig:
    return load_config(project_root / "examples" / "perfbot.yaml")


def rendered_templates(config: PerfbotConfig) -> dict[str, str]:
    return {n: t for n, t in render(config).items() if n != KUSTOMIZATION}


def test_every_committed_template_is_accepted(validate, project_root):
    files = {
        path.name: path.read_text()
        for path in sorted((project_root / "templates").glob("perf-*.yaml"))
    }

    verdict = validate(files)

    assert verdict.problems == []
    assert counts(verdict.summary) == (len(files), 0)


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(lambda root: load_config(root / "examples" / "perfbot.yaml"), id="example"),
        pytest.param(lambda root: parse_config(VARIANTS, source="variants.yaml"), id="variants"),
        pytest.param(lambda root: load_config(BOT_CONFIG), id="bot-tests"),
    ],
)
def test_every_rendered_template_and_its_submissions_are_accepted(validate, project_root, config):
    loaded = config(project_root)
    jobs = [job for repo in loaded.repos.values() for job in repo.jobs.values()]
    reusable = sum(job.can_reuse_builds for job in jobs)

    verdict = validate(config_manifests(loaded, "perfbot.yaml"))

    assert verdict.problems == []
    # by hand and from a PR, each with rebuild=true, and rebuild=false where images persist
    assert counts(verdict.summary) == (len(jobs), 2 * (len(jobs) + reusable))


def dry_run(config: Path, *args: str) -> dict:
    result = CliRunner().invoke(
        main,
        ["submit", "--config", str(config), "--head", HEAD, "--base", BASE, "--dry-run", *args],
        env={"ARGO_SERVER": "", "ARGO_TOKEN": "", "ARGO_NAMESPACE": "perfbot"},
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["body"]


@pytest.mark.parametrize(
    ("job", "flags"),
    [
        ("databend-sql", ()),
        ("databend-sql", ("--no-rebuild",)),
        ("databend-sql", ("--param", "rounds=20", "--pr", "7", "--name", "perf-by-hand")),
        ("ripgrep-search", ()),
    ],
)
def test_what_perfbot_submit_sends_becomes_a_workflow_argo_accepts(
    validate, project_root, example, job, flags
):
    body = dry_run(project_root / "examples" / "perfbot.yaml", "--job", job, *flags)
    workflow = workflow_from_submit_request(body)

    verdict = validate({**rendered_templates(example), "workflow.json": workflow})

    assert verdict.problems == []
    assert counts(verdict.summary) == (2, 1)


@pytest.fixture
def bot(contracts_dir):
    yield from running_stack(contracts_dir, BOT_CONFIG, load_config(BOT_CONFIG))


@pytest.mark.parametrize(
    "comment",
    ["/run-perf main", "/rerun-perf main", "/run-perf v1.2.0 rounds=5", "/perf-bot run cli"],
)
def test_what_the_bot_submits_for_a_pr_command_becomes_a_workflow_argo_accepts(
    validate, bot, comment
):
    response = bot.comment(comment)
    assert response.json["outcome"] == "submitted", response.json
    [body] = bot.submitted()

    workflow = workflow_from_submit_request(body)
    verdict = validate({**rendered_templates(load_config(BOT_CONFIG)), "workflow.json": workflow})

    assert verdict.problems == []
    assert counts(verdict.summary) == (2, 1)
