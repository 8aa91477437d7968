"""The WorkflowTemplate of one job: `perf-<job>`, composed from one template per step.

    check-base -> build-base --+
                               +-> measure -> compare -> report
    check-head -> build-head --+    (deploy-base, deploy-head => benchmark)
    onExit: notify-exit

Everything run-specific arrives as a workflow parameter (see `parameters`); everything about
the job comes from perfbot.yaml and is fixed when the template is rendered.
"""

from __future__ import annotations

from hera.workflows import DAG, Artifact, Counter, Gauge, Label, Parameter, WorkflowTemplate
from hera.workflows.models import (
    ExecutorConfig,
    ObjectMeta,
    PersistentVolumeClaim,
    PersistentVolumeClaimSpec,
    PodGC,
    TTLStrategy,
    VolumeClaimGC,
    VolumeResourceRequirements,
    WorkflowMetadata,
)
from hera.workflows.models.io.k8s.apimachinery.pkg.api.resource import Quantity

from workflows import labels
from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import local, parameters, paths
from workflows.pipeline.benchmark import SIDES, benchmark_template
from workflows.pipeline.build import build_template
from workflows.pipeline.check import check_template
from workflows.pipeline.compare import compare_template
from workflows.pipeline.deploy import deploy_template
from workflows.pipeline.measure import measure_dag
from workflows.pipeline.report import EXIT_HANDLER, exit_handler_template, report_template
from workflows.pipeline.variables import task_artifact, task_parameter, var, workflow_parameter

ENTRYPOINT = "pipeline"
PART_OF = {"app.kubernetes.io/part-of": "perfbot"}
DAY = 24 * 3600


def build_workflow_template(config: PerfbotConfig, job: JobConfig) -> WorkflowTemplate:
    repo = config.repo_of(job.name)
    if repo is None:
        raise ValueError(f"job {job.name} is not in the config")
    clone_url = config.clone_url(repo)
    fixed_labels = {**PART_OF, labels.REPO: labels.repo_label(repo), labels.JOB: job.name}
    with WorkflowTemplate(
        name=job.template_name,
        labels=fixed_labels,
        annotations={
            "workflows.argoproj.io/description": job.description or f"perfbot {job.name} ({repo})",
            local.WORKSPACE: paths.WORKSPACE,
        },
        entrypoint=ENTRYPOINT,
        on_exit=EXIT_HANDLER,
        arguments=workflow_arguments(repo, job),
        workflow_metadata=WorkflowMetadata(
            labels={
                **fixed_labels,
                labels.PR: workflow_parameter(parameters.PR),
                labels.HEAD_SHA: workflow_parameter(parameters.HEAD_SHA),
            }
        ),
        service_account_name=config.argo.service_account,
        automount_service_account_token=False,
        executor=ExecutorConfig(service_account_name=config.argo.executor_service_account),
        active_deadline_seconds=job.deadline,
        pod_gc=PodGC(strategy="OnWorkflowSuccess"),
        ttl_strategy=TTLStrategy(seconds_after_success=DAY, seconds_after_failure=7 * DAY),
        volume_claim_templates=workspace_claims(job),
        volume_claim_gc=VolumeClaimGC(strategy="OnWorkflowCompletion")
        if job.build.kind == "command"
        else None,
        metrics=run_metrics(job),
    ) as template:
        check = check_template(job)
        build = build_template(job, clone_url)
        deploy = deploy_template(job) if job.deploy is not None else None
        benchmark = benchmark_template(job, clone_url)
        measure = measure_dag(config, job, deploy, benchmark)
        compare = compare_template(config, job)
        report = report_template(config)
        exit_handler_template(config)
        with DAG(name=ENTRYPOINT):
            shas = {"base": parameters.BASE_SHA, "head": parameters.HEAD_SHA}
            builds = []
            for side in SIDES:
                checked = check(
                    name=f"check-{side}",
                    arguments={"side": side, "sha": workflow_parameter(shas[side])},
                )
                built = build(
                    name=f"build-{side}",
                    arguments={"side": side, "sha": workflow_parameter(shas[side])},
                    when=task_parameter(f"check-{side}", "build") + " == true",
                )
                checked >> built
                builds.append(built)
            measured = measure(name="measure")
            compared = compare(
                name="compare",
                arguments=[
                    Artifact(
                        name=f"{side}-results",
                        from_=task_artifact("measure", f"{side}-results"),
                    )
                    for side in SIDES
                ],
            )
            reported = report(
                name="report",
                arguments=[
                    Parameter(name="verdict", value=task_parameter("compare", "verdict")),
                    Artifact(name="report-json", from_=task_artifact("compare", "report-json")),
                    Artifact(
                        name="report-markdown",
                        from_=task_artifact("compare", "report-markdown"),
                    ),
                    *(
                        Artifact(
                            name=f"{side}-results",
                            from_=task_artifact("measure", f"{side}-results"),
                        )
                        for side in SIDES
                    ),
                ],
            )
            builds >> measured >> compared >> reported
    return template


def workflow_arguments(repo: str, job: JobConfig) -> list[Parameter]:
    defaults = parameters.defaults(repo, job)
    descriptions = dict(parameters.DESCRIPTIONS)
    for key, spec in job.options.items():
        if spec.parameter != parameters.ROUNDS:
            descriptions[spec.parameter] = spec.help or f"option {key} ({spec.accepted})"
    enums = {parameters.REBUILD: ["true", "false"]}
    for spec in job.options.values():
        if spec.type == "choice" and spec.parameter != parameters.ROUNDS:
            enums[spec.parameter] = list(spec.choices)
    return [
        Parameter(name=name, value=value, description=descriptions.get(name), enum=enums.get(name))
        for name, value in defaults.items()
    ]


def workspace_claims(job: JobConfig) -> list[PersistentVolumeClaim] | None:
    """The run's workspace, only for command builds (an image carries its own build)."""
    if job.build.kind != "command":
        return None
    workspace = job.build.workspace
    return [
        PersistentVolumeClaim(
            metadata=ObjectMeta(name=paths.WORKSPACE_VOLUME),
            spec=PersistentVolumeClaimSpec(
                access_modes=[workspace.access_mode],
                storage_class_name=workspace.storage_class,
                resources=VolumeResourceRequirements(
                    requests={"storage": Quantity(root=workspace.size)}
                ),
            ),
        )
    ]


def run_metrics(job: JobConfig) -> list[Gauge | Counter]:
    job_label = Label(key="job", value=job.name)
    return [
        Gauge(
            name="perfbot_run_duration_seconds",
            help="Wall time of a perfbot run so far, by job",
            labels=[job_label],
            realtime=True,
            value=var("workflow.duration"),
        ),
        Counter(
            name="perfbot_runs_total",
            help="Finished perfbot runs by job and Argo status",
            labels=[job_label, Label(key="status", value=var("workflow.status"))],
            value="1",
        ),
    ]
