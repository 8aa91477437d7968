"""`compare`: `perfbot compare` on the two sides' results; reports as artifacts, verdict as output.

Runs in the perfbot image, not in anything built from the PR. The JSON report feeds the bot,
the Markdown report is what the PR comment shows, the HTML and text reports are what a local
run hands over (all four from one comparison: a large suite is compared once), and the verdict
output parameter drives the `perfbot_verdicts_total` metric and is visible in the Argo UI.

`confirm-compare` is the same step after a confirmation run: it also receives that run's two
result sets and passes them as `--confirm-base`/`--confirm-head`, so only changes the second
measurement repeats are reported; its counter, `perfbot_confirmed_verdicts_total`, set beside
`perfbot_verdicts_total` (the first comparison's), shows how many alarms did not repeat.
"""

from __future__ import annotations

import json

from hera.workflows import Artifact, Container, Counter, Env, Label, Parameter
from hera.workflows.models import ValueFrom

from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import drivers, paths
from workflows.pipeline.benchmark import SIDES
from workflows.pipeline.parameters import (
    BASE_REF,
    BASE_SHA,
    HEAD_REF,
    HEAD_SHA,
    JOB,
    PR,
    REPO,
    env_name,
)
from workflows.pipeline.variables import output_parameter, var, workflow_parameter

# What the reports' provenance line shows; `perfbot compare` reads these variables itself.
PROVENANCE = (REPO, PR, JOB, BASE_REF, BASE_SHA, HEAD_REF, HEAD_SHA)

NAME = "compare"
CONFIRM_NAME = "confirm-compare"
CONFIRM_PREFIX = "confirm-"  # the confirmation run's result artifacts: confirm-base-results
REPORT_JSON = f"{paths.OUTPUTS}/report.json"
REPORT_MARKDOWN = f"{paths.OUTPUTS}/report.md"
REPORT_HTML = f"{paths.OUTPUTS}/report.html"
REPORT_TEXT = f"{paths.OUTPUTS}/report.txt"
VERDICT = f"{paths.OUTPUTS}/verdict"


def compare_args(job: JobConfig) -> list[str]:
    """Flags for `perfbot compare`, from the job's config only (never from parameters); the
    per-benchmark rules travel as one JSON argv item, never through a shell."""
    rules = [rule.model_dump(exclude_none=True) for rule in job.compare.benchmarks]
    return [
        "--input-format",
        job.benchmark.format,
        "--threshold",
        repr(job.compare.threshold),
        *(["--benchmark-rules", json.dumps(rules, separators=(",", ":"))] if rules else []),
        *job.compare.extra_args,
    ]


def compare_argv(job: JobConfig, confirm: bool = False) -> list[str]:
    confirmation = [
        item
        for side in SIDES
        for item in (f"--confirm-{side}", f"{paths.INPUTS}/{CONFIRM_PREFIX}{side}")
    ]
    return [
        f"{paths.INPUTS}/base",
        f"{paths.INPUTS}/head",
        paths.OUTPUTS,
        *compare_args(job),
        *(confirmation if confirm else []),
    ]


def compare_template(config: PerfbotConfig, job: JobConfig, confirm: bool = False) -> Container:
    """The first comparison; with `confirm`, the final one after a confirmation run."""
    prefixes = ("", CONFIRM_PREFIX) if confirm else ("",)
    metric = "perfbot_confirmed_verdicts_total" if confirm else "perfbot_verdicts_total"
    return Container(
        name=CONFIRM_NAME if confirm else NAME,
        image=config.perfbot_image,
        command=[
            "sh",
            "-c",
            drivers.load("compare"),
            "perfbot-compare",
            *compare_argv(job, confirm),
        ],
        env=[Env(name=env_name(p), value=workflow_parameter(p)) for p in PROVENANCE],
        inputs=[
            Artifact(name=f"{prefix}{side}-results", path=f"{paths.INPUTS}/{prefix}{side}")
            for prefix in prefixes
            for side in SIDES
        ],
        outputs=[
            Artifact(name="report-json", path=REPORT_JSON),
            Artifact(name="report-markdown", path=REPORT_MARKDOWN),
            Artifact(name="report-html", path=REPORT_HTML),
            Artifact(name="report-text", path=REPORT_TEXT),
            Parameter(name="verdict", value_from=ValueFrom(path=VERDICT)),
        ],
        metrics=[
            Counter(
                name=metric,
                help="Comparisons after a confirmation run by job and overall verdict"
                if confirm
                else "Comparisons by job and overall verdict",
                labels=[
                    Label(key="job", value=job.name),
                    Label(key="verdict", value=output_parameter("verdict")),
                ],
                when=var("status") + " == Succeeded",
                value="1",
            )
        ],
    )
