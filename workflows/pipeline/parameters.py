"""The workflow parameters every perfbot template declares, and the values a submit passes.

Kept apart from the Hera builders so the bot and `perfbot submit` can build a submission
without importing Hera. Each parameter reaches commands only as an environment variable
(`env_name`) or an argv item, never inside shell text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workflows.config import JobConfig

REPO = "repo"
PR = "pr"
HEAD_SHA = "head-sha"
BASE_SHA = "base-sha"
BASE_REF = "base-ref"
HEAD_REF = "head-ref"
JOB = "job"
REBUILD = "rebuild"
CALLBACK_URL = "callback-url"
ROUNDS = "rounds"
BENCHMARKS = "benchmarks"

# name -> description shown in the Argo UI's submit form and in docs/templates.md
DESCRIPTIONS: dict[str, str] = {
    REPO: "owner/name of the repository (labels and the callback; the source URL is fixed)",
    PR: "pull request number, 0 for a run started by hand",
    HEAD_SHA: "commit under test (7 to 40 hex digits)",
    BASE_SHA: "commit to compare against (7 to 40 hex digits)",
    BASE_REF: "what the base was asked as (branch, tag, latest); shown in the report only",
    HEAD_REF: "what the head was asked as (the pull request's branch); shown in the report only",
    JOB: "job name from perfbot.yaml",
    REBUILD: "true: build what is missing; false: reuse existing images or fail",
    CALLBACK_URL: "bot endpoint for the signed result; empty: report nowhere",
    ROUNDS: "benchmark rounds per side, interleaved AB BA AB BA ... (sides alternate going first)",
    BENCHMARKS: "benchmarks to measure, one a line; empty: all (a bisection step names some)",
}


def env_name(parameter: str) -> str:
    """`head-sha` -> `PERFBOT_HEAD_SHA`: how a parameter appears to a command."""
    return "PERFBOT_" + parameter.upper().replace("-", "_")


def defaults(repo: str, job: JobConfig) -> dict[str, str]:
    """Every parameter of `job`'s template with its default (`argo submit` may omit these)."""
    values = {
        REPO: repo,
        PR: "0",
        HEAD_SHA: "",
        BASE_SHA: "",
        BASE_REF: "",
        HEAD_REF: "",
        JOB: job.name,
        REBUILD: "true",
        CALLBACK_URL: "",
        ROUNDS: str(job.benchmark.rounds),
        BENCHMARKS: "",
    }
    values.update(job.option_parameters())
    return values


def submit_parameters(
    repo: str,
    job: JobConfig,
    *,
    head_sha: str,
    base_sha: str,
    base_ref: str,
    head_ref: str = "",
    pr: int = 0,
    rebuild: bool = True,
    callback_url: str = "",
    options: Mapping[str, str] | None = None,
    benchmarks: Sequence[str] = (),
) -> dict[str, str]:
    """The `parameters` of a submission; `options` are already parsed (`JobConfig.parse_options`).

    Unknown option parameters raise ValueError, so nothing the template does not declare is sent.
    `benchmarks` limits the measurement to those names (a bisection's step); none: all.
    """
    values = defaults(repo, job)
    values.update(
        {
            PR: str(pr),
            HEAD_SHA: head_sha,
            BASE_SHA: base_sha,
            BASE_REF: base_ref,
            HEAD_REF: head_ref,
            REBUILD: "true" if rebuild else "false",
            CALLBACK_URL: callback_url,
            BENCHMARKS: "\n".join(benchmarks),
        }
    )
    for name, value in (options or {}).items():
        if name not in values or name in (
            REPO,
            PR,
            HEAD_SHA,
            BASE_SHA,
            BASE_REF,
            HEAD_REF,
            JOB,
            REBUILD,
            CALLBACK_URL,
            BENCHMARKS,
        ):
            raise ValueError(f"job {job.name} has no option parameter {name!r}")
        values[name] = value
    return values
