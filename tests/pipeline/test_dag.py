"""The pipeline's shape: dependencies, skip conditions, daemons, the exit handler, run settings."""

from __future__ import annotations

import pytest

from tests.pipeline.conftest import env_of, tasks_by_name, templates_by_name

SQL = "perf-databend-sql.yaml"  # image build, deployed service
RG = "perf-ripgrep-search.yaml"  # command build, command-line benchmark


def test_the_main_dag_builds_both_sides_then_measures_compares_and_reports(example_templates):
    tasks = tasks_by_name(example_templates[SQL], "pipeline")
    assert {name: task.get("depends") for name, task in tasks.items()} == {
        "check-base": None,
        "check-head": None,
        "fetch-base": "check-base",
        "fetch-head": "check-head",
        "build-base": "fetch-base",
        "build-head": "fetch-head",
        "measure": "build-base && build-head && fetch-head",
        "compare": "measure",
        "flagged": "compare",
        "report": "flagged",
        "confirm": "flagged",
        "confirm-compare": "confirm",
        "confirm-report": "confirm-compare",
    }


@pytest.mark.parametrize("side", ["base", "head"])
def test_a_build_runs_only_when_its_check_says_so(example_templates, side):
    task = tasks_by_name(example_templates[SQL], "pipeline")[f"build-{side}"]
    assert task["when"] == "{{tasks.check-" + side + ".outputs.parameters.build}} == true"
    sha = {"base": "base-sha", "head": "head-sha"}[side]
    assert {p["name"]: p["value"] for p in task["arguments"]["parameters"]} == {
        "side": side,
        "sha": "{{workflow.parameters." + sha + "}}",
    }


def test_the_check_step_reads_the_rebuild_parameter_and_outputs_build(example_templates):
    check = templates_by_name(example_templates[SQL])["check"]
    assert env_of(check)["PERFBOT_REBUILD"] == "{{workflow.parameters.rebuild}}"
    assert env_of(check)["PERFBOT_IMAGE"] == (
        "ghcr.io/example-org/databend-query-perf:{{inputs.parameters.sha}}"
    )
    assert check["outputs"]["parameters"] == [
        {"name": "build", "valueFrom": {"path": "/perfbot/out/build"}}
    ]


def test_measure_deploys_both_sides_as_daemons_before_the_benchmark(example_templates):
    tasks = tasks_by_name(example_templates[SQL], "measure")
    assert tasks["benchmark"]["depends"] == "deploy-base && deploy-head"
    args = {p["name"]: p["value"] for p in tasks["benchmark"]["arguments"]["parameters"]}
    assert args == {
        "rounds": "{{inputs.parameters.rounds}}",
        "benchmarks": "{{inputs.parameters.benchmarks}}",
        "base-host": "{{tasks.deploy-base.ip}}",
        "base-port": "{{inputs.parameters.base-port}}",
        "head-host": "{{tasks.deploy-head.ip}}",
        "head-port": "{{inputs.parameters.head-port}}",
    }
    deploy = templates_by_name(example_templates[SQL])["deploy"]
    assert deploy["daemon"] is True
    assert deploy["container"]["readinessProbe"]["httpGet"] == {"path": "/v1/health", "port": 8000}
    assert env_of(deploy)["PERFBOT_PORT"] == "{{inputs.parameters.port}}"


def test_measure_holds_the_semaphore_and_hands_on_both_result_artifacts(example_templates):
    measure = templates_by_name(example_templates[SQL])["measure"]
    assert measure["synchronization"] == {
        "semaphores": [
            {"configMapKeyRef": {"name": "perfbot-semaphores", "key": "benchmark-nodes"}}
        ]
    }
    assert [a["from"] for a in measure["outputs"]["artifacts"]] == [
        "{{tasks.benchmark.outputs.artifacts.base-results}}",
        "{{tasks.benchmark.outputs.artifacts.head-results}}",
    ]


def test_a_command_line_job_benchmarks_the_builds_on_the_workspace(example_templates):
    template = example_templates[RG]
    assert list(tasks_by_name(template, "measure")) == ["reserve", "benchmark"]
    benchmark = templates_by_name(template)["benchmark"]
    env = env_of(benchmark)
    assert env["PERFBOT_TARGET_KIND"] == "dir"
    assert env["PERFBOT_BASE_DIR"] == "/perfbot/workspace/base"
    assert "artifacts" not in benchmark.get("inputs", {})  # no checkout: it runs in the builds
    claim = template["spec"]["volumeClaimTemplates"][0]
    assert claim["metadata"]["name"] == "workspace"
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]


def test_an_image_job_has_no_workspace_volume(example_templates):
    assert "volumeClaimTemplates" not in example_templates[SQL]["spec"]


def test_the_benchmark_writes_one_artifact_per_side(example_templates):
    benchmark = templates_by_name(example_templates[SQL])["benchmark"]
    assert benchmark["outputs"]["artifacts"] == [
        {"name": "base-results", "path": "/perfbot/results/base"},
        {"name": "head-results", "path": "/perfbot/results/head"},
    ]


def test_compare_runs_perfbot_compare_and_outputs_reports_and_the_verdict(example_templates):
    compare = templates_by_name(example_templates[SQL])["compare"]
    command = compare["container"]["command"]
    assert command[:2] == ["sh", "-c"]
    assert command[3:] == [
        "perfbot-compare",
        "/perfbot/in/base",
        "/perfbot/in/head",
        "/perfbot/out",
        "--input-format",
        "hyperfine",
        "--threshold",
        "0.05",
    ]
    assert compare["container"]["image"] == "ghcr.io/example-org/perfbot:0.1.0"
    outputs = compare["outputs"]
    assert [a["name"] for a in outputs["artifacts"]] == [
        "report-json", "report-markdown", "report-html", "report-text",
    ]  # fmt: skip
    assert outputs["parameters"] == [
        {"name": "verdict", "valueFrom": {"path": "/perfbot/out/verdict"}}
    ]


def test_the_exit_handler_always_reports_status_and_failures(example_templates):
    template = example_templates[SQL]
    assert template["spec"]["onExit"] == "notify-exit"
    handler = templates_by_name(template)["notify-exit"]
    assert handler["container"]["command"] == ["perfbot", "notify", "--kind", "exit"]
    env = env_of(handler)
    assert env["PERFBOT_STATUS"] == "{{workflow.status}}"
    assert env["PERFBOT_FAILURES"] == "{{workflow.failures}}"


@pytest.mark.parametrize("step", ["build", "deploy"])
def test_builds_and_deploys_retry_with_backoff(example_templates, step):
    retry = templates_by_name(example_templates[SQL])[step]["retryStrategy"]
    assert retry["limit"] == 2
    assert retry["backoff"] == {"duration": "30s", "factor": 2, "cap": "5m"}


def test_run_settings_deadline_gc_ttl_and_accounts(example_templates):
    spec = example_templates[SQL]["spec"]
    assert spec["activeDeadlineSeconds"] == 7200
    assert spec["podGC"] == {"strategy": "OnWorkflowSuccess"}
    assert spec["ttlStrategy"] == {"secondsAfterSuccess": 86400, "secondsAfterFailure": 604800}
    assert spec["serviceAccountName"] == "perfbot-workflow"
    assert spec["automountServiceAccountToken"] is False
    assert spec["executor"] == {"serviceAccountName": "perfbot-executor"}


def test_runs_carry_labels_to_be_found_by_repo_pr_job_and_head(example_templates):
    labels = example_templates[SQL]["spec"]["workflowMetadata"]["labels"]
    assert labels["perfbot/repo"] == "datafuselabs.databend"
    assert labels["perfbot/job"] == "databend-sql"
    assert labels["perfbot/pr"] == "{{workflow.parameters.pr}}"
    assert labels["perfbot/head-sha"] == "{{workflow.parameters.head-sha}}"


def test_metrics_record_run_duration_and_verdicts(example_templates):
    template = example_templates[SQL]
    names = [m["name"] for m in template["spec"]["metrics"]["prometheus"]]
    assert names == ["perfbot_run_duration_seconds", "perfbot_runs_total"]
    duration = template["spec"]["metrics"]["prometheus"][0]
    assert duration["gauge"] == {"realtime": True, "value": "{{workflow.duration}}"}
    runs = template["spec"]["metrics"]["prometheus"][1]
    assert {"key": "job", "value": "databend-sql"} in runs["labels"]
    verdicts = templates_by_name(template)["compare"]["metrics"]["prometheus"][0]
    assert verdicts["name"] == "perfbot_verdicts_total"
    assert {"key": "verdict", "value": "{{outputs.parameters.verdict}}"} in verdicts["labels"]


@pytest.mark.parametrize(
    ("metric", "per_run"),
    [("perfbot_run_duration_seconds", True), ("perfbot_runs_total", False)],
)
def test_only_the_duration_gauge_has_a_series_per_run(example_templates, metric, per_run):
    """Two runs of one job at once must not overwrite one duration series; the counter of
    finished runs is an aggregate, and a label per run would only multiply its series."""
    (found,) = [
        m for m in example_templates[SQL]["spec"]["metrics"]["prometheus"] if m["name"] == metric
    ]
    labels = {label["key"]: label["value"] for label in found["labels"]}
    assert labels["job"] == "databend-sql"
    assert (labels.get("workflow") == "{{workflow.name}}") is per_run
    assert ("workflow" in labels) is per_run


@pytest.mark.parametrize("step", ["deploy", "benchmark"])
def test_benchmark_side_steps_are_placed_on_the_benchmark_nodes(example_templates, step):
    template = templates_by_name(example_templates[SQL])[step]
    assert template["nodeSelector"] == {"perfbot.example.com/benchmark": "true"}
    assert template["tolerations"] == [
        {"effect": "NoSchedule", "key": "perfbot.example.com/benchmark", "operator": "Exists"}
    ]


def test_the_parameters_the_bot_passes_are_declared_with_defaults(example_templates):
    declared = {
        p["name"]: p.get("value") for p in example_templates[SQL]["spec"]["arguments"]["parameters"]
    }
    assert declared == {
        "repo": "datafuselabs/databend",
        "pr": "0",
        "head-sha": "",
        "base-sha": "",
        "base-ref": "",
        "head-ref": "",
        "job": "databend-sql",
        "rebuild": "true",
        "callback-url": "",
        "rounds": "10",
        "benchmarks": "",
        "dataset": "hits-1m",
    }


def test_options_reach_the_benchmark_as_environment_variables(example_templates):
    benchmark = templates_by_name(example_templates[SQL])["benchmark"]
    assert env_of(benchmark)["PERFBOT_DATASET"] == "{{workflow.parameters.dataset}}"
    assert env_of(benchmark)["PERFBOT_ROUNDS"] == "{{inputs.parameters.rounds}}"


@pytest.mark.parametrize("step", ["deploy", "benchmark"])
def test_measured_containers_get_equal_requests_and_limits(example_templates, step):
    resources = templates_by_name(example_templates[SQL])[step]["container"]["resources"]
    assert resources["requests"] == resources["limits"]
    assert set(resources["requests"]) == {"cpu", "memory"}


def test_without_resources_in_the_config_a_step_asks_for_none(example_templates):
    assert "resources" not in templates_by_name(example_templates[RG])["benchmark"]["container"]


def test_only_measure_holds_a_semaphore_so_builds_never_wait_for_a_benchmark_node(all_templates):
    for name, template in all_templates.items():
        holders = [t["name"] for t in template["spec"]["templates"] if "synchronization" in t]
        assert holders == ["measure"], name
        assert "synchronization" not in template["spec"], name


def test_the_compare_step_knows_what_base_and_head_were_asked_as(example_templates):
    """The report's provenance line: `base main -> 3f9c2e1 · head feature -> a1b2c3d`."""
    env = env_of(templates_by_name(example_templates[SQL])["compare"])
    assert env["PERFBOT_BASE_REF"] == "{{workflow.parameters.base-ref}}"
    assert env["PERFBOT_HEAD_REF"] == "{{workflow.parameters.head-ref}}"


@pytest.mark.parametrize(
    ("template", "marked"),
    [(RG, True), (SQL, False)],
)
def test_a_template_with_a_workspace_claim_says_so_in_a_label(example_templates, template, marked):
    """Overlays select these templates to set the claim's access mode (kustomize cannot patch
    a field that only some of the templates have)."""
    metadata = example_templates[template]["metadata"]
    has_claim = "volumeClaimTemplates" in example_templates[template]["spec"]
    assert has_claim is marked
    assert (metadata["labels"].get("perfbot/workspace") == "true") is marked
