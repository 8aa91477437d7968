"""The Argo path: the report step sends the raw samples to the bot, and no pod sees the key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.horreum.conftest import SECRET, horreum_config
from workflows.cli import main
from workflows.config import load_config
from workflows.pipeline.workflow import build_workflow_template


def notify(report: dict[str, Any], tmp_path: Path, *extra: str, env: dict | None = None) -> dict:
    report_path = tmp_path / "report.json"
    report_path.write_text(json.dumps(report))
    args = ["notify", "--kind", "result", "--report-json", str(report_path), *extra]
    result = CliRunner().invoke(main, args, env={"PERFBOT_CALLBACK_URL": "", **(env or {})})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_result_callback_carries_both_sides_samples_and_the_parameters(
    tmp_path: Path, report, results
) -> None:
    base, head = results
    parameters = json.dumps({"rounds": "6", "head-sha": "e" * 40})

    payload = notify(report, tmp_path, "--results-base", str(base), "--results-head", str(head),
                     "--parameters", parameters)  # fmt: skip

    search = payload["samples"]["head"]["benchmarks"]["GET /search"]
    assert len(search["samples"]) == len(search["rounds"]) == 30
    assert payload["parameters"] == {"rounds": "6", "head-sha": "e" * 40}


@pytest.mark.parametrize("content", ["not a result file", '{"benchmarks": "nope"}'])
def test_unreadable_results_leave_the_samples_out_but_still_send_the_report(
    tmp_path: Path, report, results, content: str
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "round-001.json").write_text(content)

    payload = notify(report, tmp_path, "--results-base", str(broken), "--results-head",
                     str(results[1]))  # fmt: skip

    assert payload["samples"] is None
    assert payload["report"]["summary"] == report["summary"]


def test_samples_over_the_size_cap_are_left_out(
    tmp_path: Path, report, results, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workflows.cli.notify.MAX_SAMPLES_BYTES", 100)

    payload = notify(report, tmp_path, "--results-base", str(results[0]), "--results-head",
                     str(results[1]))  # fmt: skip

    assert payload["samples"] is None


def test_the_report_step_receives_both_sides_results(tmp_path: Path) -> None:
    config = load_config(horreum_config(tmp_path, "https://horreum.example.test"))
    template = build_workflow_template(config, config.job("api")).to_dict()

    [report] = [t for t in template["spec"]["templates"] if t["name"] == "report"]
    names = {a["name"] for a in report["inputs"]["artifacts"]}
    assert {"base-results", "head-results"} <= names


def test_no_workflow_pod_can_see_the_horreum_key(tmp_path: Path) -> None:
    """The Secret named by `horreum.api_key_secret` appears nowhere in the WorkflowTemplates:
    no env, no volume, no step that runs the PR's code (or any other) can read it."""
    config = load_config(horreum_config(tmp_path, "https://horreum.example.test"))
    for job in ("api", "cli"):
        text = yaml.safe_dump(build_workflow_template(config, config.job(job)).to_dict())
        assert SECRET not in text
        assert "horreum" not in text.lower()
