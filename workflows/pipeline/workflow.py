"""The WorkflowTemplate of one job: `perf-<job>`, composed from one template per step.

    check-base -> fetch-base -> build-base --+
                                             +-> measure -> compare -> flagged -> report
    check-head -> fetch-head -> build-head --+   (deploy-base,       -> confirm -> confirm-compare
                                                  deploy-head            -> confirm-report
                                                  => benchmark)
    onExit: notify-exit

`fetch-<side>` clones the side's commit once (the run's only git artifact, with the repository's
git credential if it has one) and hands the checkout on: `build-<side>` takes it, and so does
the benchmark (through `measure` and `confirm`) when it runs in a side's checkout. A side is
fetched when it is built, and always when the benchmark needs its checkout.

With `benchmark.confirm_rounds` (default 5), `flagged` lists what the first comparison flagged;
when that is nothing, `report` sends the first comparison; otherwise `confirm` (the `measure`
DAG again, `confirm_rounds` rounds, PERFBOT_BENCHMARKS set) measures those benchmarks again,
`confirm-compare` keeps only the changes it repeats, and `confirm-report` sends that. With
`confirm_rounds: 0` the pipeline is measure -> compare -> report.

Everything run-specific arrives as a workflow parameter (see `parameters`); everything about
the job comes from perfbot.yaml and is fixed when the template is rendered.
"""

from __future__ import annotations

from hera.workflows import (
    DAG,
    Artifact,
    Container,
    Counter,
    Gauge,
    Label,
    Parameter,
    Task,
    WorkflowTemplate,
)
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
from workflows.pipeline import fetch, local, parameters, paths
from workflows.pipeline.benchmark import BENCHMARKS_INPUT, ROUNDS_INPUT, SIDES, benchmark_template
from workflows.pipeline.build import build_template
from workflows.pipeline.check import check_template
from workflows.pipeline.compare import CONFIRM_PREFIX, compare_template
from workflows.pipeline.deploy import deploy_template
from workflows.pipeline.flagged import BENCHMARKS, CONFIRM, flagged_template
from workflows.pipeline.measure import measure_dag
from workflows.pipeline.report import EXIT_HANDLER, exit_handler_template, report_template
from workflows.pipeline.reserve import reserve_template
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
    claims = workspace_claims(job)
    with WorkflowTemplate(
        name=job.template_name,
        labels={**fixed_labels, labels.WORKSPACE: "true"} if claims else fixed_labels,
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
        volume_claim_templates=claims,
        volume_claim_gc=VolumeClaimGC(strategy="OnWorkflowCompletion")
        if job.build.kind == "command"
        else None,
        metrics=run_metrics(job),
    ) as template:
        check = check_template(job)
        fetch_source = fetch.fetch_template(config, job, clone_url)
        build = build_template(job)
        deploy = deploy_template(job) if job.deploy is not None else None
        benchmark = benchmark_template(job)
        measure = measure_dag(config, job, deploy, benchmark, reserve_template(config, job))
        compare = compare_template(config, job)
        confirm_rounds = job.benchmark.confirm_rounds
        flagged = flagged_template(config) if confirm_rounds else None
        confirm_compare = compare_template(config, job, confirm=True) if confirm_rounds else None
        report = report_template(config)
        exit_handler_template(config, job)
        with DAG(name=ENTRYPOINT):
            shas = {"base": parameters.BASE_SHA, "head": parameters.HEAD_SHA}
            source = job.benchmark_source
            before_measure: list[Task] = []
            for side in SIDES:
                sha = workflow_parameter(shas[side])
                needed = task_parameter(f"check-{side}", "build") + " == true"
                checked = check(name=f"check-{side}", arguments={"side": side, "sha": sha})
                fetched = fetch_source(
                    name=f"fetch-{side}",
                    arguments={"sha": sha},
                    when=None if side == source else needed,
                )
                built = build(
                    name=f"build-{side}",
                    arguments=[
                        Parameter(name="side", value=side),
                        Parameter(name="sha", value=sha),
                        fetch.fetched(side),
                    ],
                    when=needed,
                )
                checked >> fetched >> built
                before_measure.append(built)
                if side == source:
                    before_measure.append(fetched)
            checkout = [fetch.fetched(source)] if source != "none" else []
            measured = measure(
                name="measure",
                arguments=[
                    Parameter(name=ROUNDS_INPUT, value=workflow_parameter(parameters.ROUNDS)),
                    Parameter(
                        name=BENCHMARKS_INPUT, value=workflow_parameter(parameters.BENCHMARKS)
                    ),
                    *checkout,
                ],
            )
            compared = compare(name="compare", arguments=_results("measure"))
            before_measure >> measured >> compared
            if flagged is None or confirm_compare is None:
                compared >> report(name="report", arguments=_report("compare"))
            else:
                _confirmation(
                    compared, flagged, measure, confirm_compare, report, confirm_rounds, checkout
                )
    return template


def _confirmation(
    compared: Task,
    flagged: Container,
    measure: DAG,
    confirm_compare: Container,
    report: Container,
    rounds: int,
    checkout: list[Artifact],
) -> None:
    """compare -> flagged -> report (nothing flagged) | confirm -> confirm-compare ->
    confirm-report; the `when`s read only `flagged`'s `confirm`, which perfbot writes."""
    listed = flagged(
        name="flagged",
        arguments=[Artifact(name="report-json", from_=task_artifact("compare", "report-json"))],
    )
    nothing, something = (
        task_parameter("flagged", CONFIRM) + f" == {v}" for v in ("false", "true")
    )
    compared >> listed
    listed >> report(name="report", arguments=_report("compare"), when=nothing)
    again = measure(
        name="confirm",
        arguments=[
            Parameter(name=ROUNDS_INPUT, value=str(rounds)),
            Parameter(name=BENCHMARKS_INPUT, value=task_parameter("flagged", BENCHMARKS)),
            *checkout,
        ],
        when=something,
    )
    final = confirm_compare(
        name="confirm-compare",
        arguments=[*_results("measure"), *_results("confirm", CONFIRM_PREFIX)],
        when=something,
    )
    listed >> again >> final
    final >> report(name="confirm-report", arguments=_report("confirm-compare"), when=something)


def _results(task: str, prefix: str = "") -> list[Artifact]:
    """The two sides' results of a `measure` task, as a compare step's input artifacts."""
    return [
        Artifact(name=f"{prefix}{side}-results", from_=task_artifact(task, f"{side}-results"))
        for side in SIDES
    ]


def _report(task: str) -> list[Parameter | Artifact]:
    """What the report step sends: a compare task's verdict and reports, and the first
    measurement's results (their samples go to the bot, for the results store and Horreum)."""
    return [
        Parameter(name="verdict", value=task_parameter(task, "verdict")),
        *(
            Artifact(name=name, from_=task_artifact(task, name))
            for name in ("report-json", "report-markdown")
        ),
        *(
            Artifact(name=f"{side}-results", from_=task_artifact("measure", f"{side}-results"))
            for side in SIDES
        ),
    ]


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
    """The run's duration, one series per run (`workflow` label: concurrent runs of one job
    would otherwise overwrite one series), and finished runs by job and status (an aggregate:
    a label per run would only multiply its series)."""
    job_label = Label(key="job", value=job.name)
    return [
        Gauge(
            name="perfbot_run_duration_seconds",
            help="Wall time of a perfbot run so far, by job and workflow",
            labels=[job_label, Label(key="workflow", value=var("workflow.name"))],
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
