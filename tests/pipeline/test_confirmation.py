"""The confirmation run in the templates: which steps run when, with what, and the drivers."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.pipeline.conftest import env_of, tasks_by_name, templates_by_name
from tests.pipeline.test_drivers import bench_env, run
from workflows.config import DEFAULT_CONFIRM_ROUNDS, parse_config
from workflows.pipeline.render import template_dicts

SQL = "perf-databend-sql.yaml"
RG = "perf-ripgrep-search.yaml"
FLAGGED = "{{tasks.flagged.outputs.parameters.confirm}}"
CONFIRM_OFF = """
repos:
  acme/db:
    default_job: sql
    jobs:
      sql:
        build: {command: [make], builder_image: gcc:13}
        benchmark: {image: bench:1, command: [bench], confirm_rounds: 0}
"""

# task of the main DAG -> its `when`
WHEN = [
    ("flagged", None),
    ("report", FLAGGED + " == false"),
    ("confirm", FLAGGED + " == true"),
    ("confirm-compare", FLAGGED + " == true"),
    ("confirm-report", FLAGGED + " == true"),
]


@pytest.mark.parametrize("template", [SQL, RG])
@pytest.mark.parametrize(("task", "when"), WHEN)
def test_the_confirmation_steps_run_only_when_something_was_flagged(
    example_templates, template, task, when
):
    assert tasks_by_name(example_templates[template], "pipeline")[task].get("when") == when


def test_the_confirmation_measures_again_with_confirm_rounds_and_the_flagged_names(
    example_templates,
):
    task = tasks_by_name(example_templates[SQL], "pipeline")["confirm"]
    assert task["template"] == "measure"
    assert {p["name"]: p["value"] for p in task["arguments"]["parameters"]} == {
        "rounds": str(DEFAULT_CONFIRM_ROUNDS),
        "benchmarks": "{{tasks.flagged.outputs.parameters.benchmarks}}",
    }


def test_the_first_measurement_passes_the_rounds_and_benchmarks_parameters(example_templates):
    task = tasks_by_name(example_templates[SQL], "pipeline")["measure"]
    assert {p["name"]: p["value"] for p in task["arguments"]["parameters"]} == {
        "rounds": "{{workflow.parameters.rounds}}",
        "benchmarks": "{{workflow.parameters.benchmarks}}",
    }


@pytest.mark.parametrize("template", [SQL, RG])
def test_the_benchmark_gets_its_rounds_and_names_from_measure(example_templates, template):
    env = env_of(templates_by_name(example_templates[template])["benchmark"])
    assert env["PERFBOT_ROUNDS"] == "{{inputs.parameters.rounds}}"
    assert env["PERFBOT_BENCHMARKS"] == "{{inputs.parameters.benchmarks}}"


def test_the_final_compare_gets_both_measurements_and_passes_the_confirmation_flags(
    example_templates,
):
    templates = templates_by_name(example_templates[SQL])
    task = tasks_by_name(example_templates[SQL], "pipeline")["confirm-compare"]
    assert {a["name"]: a["from"] for a in task["arguments"]["artifacts"]} == {
        "base-results": "{{tasks.measure.outputs.artifacts.base-results}}",
        "head-results": "{{tasks.measure.outputs.artifacts.head-results}}",
        "confirm-base-results": "{{tasks.confirm.outputs.artifacts.base-results}}",
        "confirm-head-results": "{{tasks.confirm.outputs.artifacts.head-results}}",
    }
    command = templates["confirm-compare"]["container"]["command"]
    assert command[-4:] == [
        "--confirm-base", "/perfbot/in/confirm-base", "--confirm-head", "/perfbot/in/confirm-head",
    ]  # fmt: skip
    assert command[:-4] == templates["compare"]["container"]["command"]


@pytest.mark.parametrize(
    ("task", "compare"), [("report", "compare"), ("confirm-report", "confirm-compare")]
)
def test_each_report_sends_its_own_compares_verdict_and_reports(example_templates, task, compare):
    arguments = tasks_by_name(example_templates[SQL], "pipeline")[task]["arguments"]
    assert arguments["parameters"] == [
        {"name": "verdict", "value": "{{tasks." + compare + ".outputs.parameters.verdict}}"}
    ]
    assert {a["from"] for a in arguments["artifacts"]} == {
        "{{tasks." + compare + ".outputs.artifacts.report-json}}",
        "{{tasks." + compare + ".outputs.artifacts.report-markdown}}",
        # the first measurement's samples, for the results store and Horreum
        "{{tasks.measure.outputs.artifacts.base-results}}",
        "{{tasks.measure.outputs.artifacts.head-results}}",
    }


def test_the_confirmed_verdicts_have_a_counter_of_their_own(example_templates):
    templates = templates_by_name(example_templates[SQL])
    names = [
        templates[t]["metrics"]["prometheus"][0]["name"] for t in ("compare", "confirm-compare")
    ]
    assert names == ["perfbot_verdicts_total", "perfbot_confirmed_verdicts_total"]


def test_confirm_rounds_0_keeps_the_pipeline_without_a_confirmation():
    template = template_dicts(parse_config(CONFIRM_OFF))["perf-sql.yaml"]
    assert {n: t.get("depends") for n, t in tasks_by_name(template, "pipeline").items()} == {
        "check-base": None, "check-head": None,
        "fetch-base": "check-base", "fetch-head": "check-head",
        "build-base": "fetch-base", "build-head": "fetch-head",
        "measure": "build-base && build-head", "compare": "measure", "report": "compare",
    }  # fmt: skip
    assert not {"flagged", "confirm-compare"} & set(templates_by_name(template))


# -- drivers ----------------------------------------------------------------------------------


# The real `perfbot notify --flagged-of`, as the perfbot image runs it.
REAL_PERFBOT = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def report_with(tmp_path: Path, verdicts: dict[str, str]) -> Path:
    path = tmp_path / "report.json"
    rows = [{"name": name, "verdict": verdict} for name, verdict in verdicts.items()]
    path.write_text(json.dumps({"benchmarks": rows}))
    return path


FLAGGED_CASES = [
    ({"a": "regressed", "b": "unchanged", "c": "improved"}, "a\nc\n", "true"),
    ({"a": "unchanged", "b": "added", "c": "removed"}, "", "false"),
    ({"line\nbreak": "regressed"}, "", "false"),  # cannot be listed one a line
]


@pytest.mark.parametrize(("verdicts", "benchmarks", "confirm"), FLAGGED_CASES)
def test_the_flagged_step_lists_regressions_and_improvements_and_says_whether_to_confirm(
    tmp_path, verdicts, benchmarks, confirm
):
    out = tmp_path / "out"
    report = str(report_with(tmp_path, verdicts))
    result = run("flagged", REAL_PERFBOT, report, str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "benchmarks").read_text() == benchmarks
    assert (out / "confirm").read_text() == confirm


def test_the_flagged_step_fails_on_an_unreadable_report(tmp_path):
    missing = str(tmp_path / "missing.json")
    result = run("flagged", REAL_PERFBOT, missing, str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode != 0
    assert "does not exist" in result.stderr


SHOW = 'printf "%s|" "${PERFBOT_BENCHMARKS-unset}" >> "$LOG"; echo {} > "$PERFBOT_RESULT"'


@pytest.mark.parametrize(("names", "seen"), [("GET /a\nGET /b", "GET /a\nGET /b|"), ("", "unset|")])
def test_the_benchmark_command_sees_the_names_only_when_there_are_some(tmp_path, names, seen):
    env = {**bench_env(tmp_path, "1"), "PERFBOT_BENCHMARKS": names}
    result = run("benchmark", env, "sh", "-c", SHOW, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "log").read_text() == seen * 2
