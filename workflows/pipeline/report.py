"""`report` and the `onExit` handler: the two steps that talk to the bot, and nothing else does.

Both run `perfbot notify` in the perfbot image with the callback secret from a Kubernetes
Secret, mounted into these two templates only: no step that runs code from the PR can read it.
All run facts arrive as environment variables; `notify` builds and signs the payload.
"""

from __future__ import annotations

from hera.workflows import Artifact, Container, Env, Parameter, SecretEnv

from workflows.config import JobConfig, PerfbotConfig
from workflows.pipeline import paths, reserve
from workflows.pipeline.parameters import (
    BASE_REF,
    BASE_SHA,
    CALLBACK_URL,
    HEAD_SHA,
    JOB,
    PR,
    REPO,
    env_name,
)
from workflows.pipeline.variables import input_parameter, var, workflow_parameter

REPORT = "report"
EXIT_HANDLER = "notify-exit"
SECRET_KEY = "secret"  # noqa: S105 - the key name inside the Secret, not a secret
REPORT_JSON = f"{paths.INPUTS}/report.json"
REPORT_MARKDOWN = f"{paths.INPUTS}/report.md"
# Both sides' result files: their raw samples travel to the bot for Horreum (docs/horreum.md).
RESULTS = {side: f"{paths.INPUTS}/results/{side}" for side in ("base", "head")}


def notify_env(config: PerfbotConfig) -> list[Env | SecretEnv]:
    """What every callback needs: the run's identity, where to send it, and the secret."""
    run = [
        Env(name=env_name(name), value=workflow_parameter(name))
        for name in (CALLBACK_URL, REPO, PR, JOB, HEAD_SHA, BASE_SHA, BASE_REF)
    ]
    return [
        *run,
        Env(name="PERFBOT_WORKFLOW_NAME", value=var("workflow.name")),
        Env(name="PERFBOT_NAMESPACE", value=var("workflow.namespace")),
        SecretEnv(
            name="PERFBOT_CALLBACK_SECRET",
            secret_name=config.argo.callback_secret,
            secret_key=SECRET_KEY,
            optional=True,  # a run started by hand with no callback URL needs no secret
        ),
    ]


def report_template(config: PerfbotConfig) -> Container:
    return Container(
        name=REPORT,
        image=config.perfbot_image,
        command=["perfbot", "notify", "--kind", "result"],
        env=[
            *notify_env(config),
            Env(name="PERFBOT_VERDICT", value=input_parameter("verdict")),
            Env(name="PERFBOT_REPORT_JSON", value=REPORT_JSON),
            Env(name="PERFBOT_REPORT_MARKDOWN", value=REPORT_MARKDOWN),
            Env(name="PERFBOT_RESULTS_BASE", value=RESULTS["base"]),
            Env(name="PERFBOT_RESULTS_HEAD", value=RESULTS["head"]),
            Env(name="PERFBOT_PARAMETERS", value=var("workflow.parameters.json")),
        ],
        inputs=[
            Parameter(name="verdict"),
            Artifact(name="report-json", path=REPORT_JSON),
            Artifact(name="report-markdown", path=REPORT_MARKDOWN),
            *(Artifact(name=f"{side}-results", path=path) for side, path in RESULTS.items()),
        ],
    )


def exit_handler_template(config: PerfbotConfig, job: JobConfig) -> Container:
    """Always runs; tells the bot how the run ended (`workflow.failures` names the failed step;
    a `reserve` that timed out is explained with the run's sizes)."""
    return Container(
        name=EXIT_HANDLER,
        image=config.perfbot_image,
        command=["perfbot", "notify", "--kind", "exit"],
        env=[
            *notify_env(config),
            Env(name="PERFBOT_STATUS", value=var("workflow.status")),
            Env(name="PERFBOT_FAILURES", value=var("workflow.failures")),
            Env(name=reserve.NOTE_ENV, value=reserve.note(job)),
        ],
    )
