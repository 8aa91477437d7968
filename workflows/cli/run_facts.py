"""The `perfbot compare` options that say what was compared, for the reports' provenance line.

Each option also reads the environment variable the pipeline's steps already get for that
workflow parameter (`PERFBOT_REPO`, `PERFBOT_BASE_SHA`, ...: `parameters.env_name`), so the
compare step needs no flag built from parameters, and no parameter ever reaches a shell line.
Values are checked here, since they end up in a PR comment and in links: a SHA is hex, a
repository is `owner/name`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from workflows.compare.provenance import REPOSITORY, SHA, RunFacts
from workflows.errors import BadInput

MAX_TEXT = 200
LINKS_ENV = "PERFBOT_COMMIT_LINKS"  # set by a local run (workflows.local.links)
OPTIONS = (
    ("--repository", "repository", "PERFBOT_REPO", "Repository compared (owner/name)."),
    ("--job", "job", "PERFBOT_JOB", "Job of perfbot.yaml that was run."),
    ("--base-ref", "base_ref", "PERFBOT_BASE_REF", "Base as asked (branch, tag, latest)."),
    ("--base-sha", "base_sha", "PERFBOT_BASE_SHA", "Commit the base resolved to."),
    ("--head-ref", "head_ref", "PERFBOT_HEAD_REF", "Head as asked (branch, tag)."),
    ("--head-sha", "head_sha", "PERFBOT_HEAD_SHA", "Commit the head resolved to."),
)
PR_OPTION = ("--pr", "pr", "PERFBOT_PR", "Pull request number (0: none).")
BAD_SHA = "{flag} must be a commit id (7 to 40 hex digits), got {value!r}"
BAD_REPOSITORY = "--repository must be owner/name, got {value!r}"
BAD_PR = "--pr must be a whole number from 0, got {value!r}"
TOO_LONG = "{flag} is longer than {most} characters"


def options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the provenance options to a click command (as keyword arguments)."""
    for flag, name, env, text in reversed(OPTIONS):
        command = click.option(flag, name, envvar=env, default="", show_envvar=True, help=text)(
            command
        )
    command = click.option(
        "--commit-links/--no-commit-links",
        "commit_links",
        envvar=LINKS_ENV,
        default=True,
        show_envvar=True,
        help="Link commits to GitHub (a local run turns it off for a repository not there).",
    )(command)
    flag, name, env, text = PR_OPTION
    return click.option(flag, name, envvar=env, default="0", show_envvar=True, help=text)(command)


def facts(params: dict[str, Any]) -> RunFacts:
    """The checked facts from the options' values; BadInput names the first bad one."""
    found: dict[str, Any] = {}
    for flag, name, _, _ in OPTIONS:
        value = str(params.get(name) or "").strip()
        if len(value) > MAX_TEXT:
            raise BadInput(TOO_LONG.format(flag=flag, most=MAX_TEXT))
        if name.endswith("_sha") and value:
            value = value.lower()
            if not SHA.fullmatch(value):
                raise BadInput(BAD_SHA.format(flag=flag, value=value))
        if name == "repository" and value and not REPOSITORY.fullmatch(value):
            raise BadInput(BAD_REPOSITORY.format(value=value))
        found[name] = value
    pr = str(params.get("pr") or "0").strip()
    if not pr.isdigit():
        raise BadInput(BAD_PR.format(value=pr))
    return RunFacts(pr=int(pr), commit_links=params.get("commit_links") is not False, **found)
