"""`perfbot submit`: start a job's workflow from its WorkflowTemplate through the Argo Server.

The same parameters, labels and client as the bot, so a run started here looks exactly like one
started from a PR comment (pr=0). Settings are read like the argo CLI does: flags, then
ARGO_SERVER / ARGO_TOKEN / ARGO_NAMESPACE / ARGO_UI_URL, then perfbot.yaml's `argo:` section.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping

import click

from workflows.cli.render import CONFIG_HELP, load
from workflows.errors import BadInput

SHA_RE = re.compile(r"^[0-9a-f]{7,40}$")
LS_REMOTE_TIMEOUT = 30


def resolve_ref(remote: str, ref: str) -> str:
    """The commit `ref` (branch or tag) names on `remote`, by `git ls-remote`; BadInput if none."""
    if ref.startswith("-") or not ref.strip():
        raise BadInput(f"--base {ref!r} is not a ref name")
    try:
        result = subprocess.run(
            [
                "git",
                "ls-remote",
                "--",
                remote,
                ref,
                f"refs/heads/{ref}",
                f"refs/tags/{ref}^{{}}",
                f"refs/tags/{ref}",
            ],
            capture_output=True,
            text=True,
            timeout=LS_REMOTE_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BadInput(f"cannot resolve --base {ref}: {exc}; pass --base-sha") from None
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["git ls-remote failed"])[-1]
        raise BadInput(f"cannot resolve --base {ref} on {remote}: {reason}; pass --base-sha")
    found: dict[str, str] = {}
    for line in result.stdout.splitlines():
        sha, _, name = line.partition("\t")
        found[name] = sha
    for name in (f"refs/tags/{ref}^{{}}", f"refs/heads/{ref}", f"refs/tags/{ref}", ref):
        if name in found:
            return found[name]
    raise BadInput(f"no branch or tag {ref!r} on {remote}; pass a commit or --base-sha")


def parse_params(items: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise BadInput(f"--param expects key=value, got {item!r}")
        params[key.strip()] = value
    return params


def argo_env(config_argo, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment as the client sees it: perfbot.yaml's `argo:` below the real variables."""
    fallback = {
        "ARGO_SERVER": config_argo.server or "",
        "ARGO_NAMESPACE": config_argo.namespace,
        "ARGO_UI_URL": config_argo.link_base or "",
    }
    merged = {key: value for key, value in fallback.items() if value}
    merged.update({key: value for key, value in environ.items() if value})
    return merged


@click.command(name="submit")
@click.option("--job", "job_name", required=True, help="Job name from perfbot.yaml.")
@click.option("--head", "head_sha", required=True, help="Commit to test (7 to 40 hex digits).")
@click.option("--base", "base_ref", required=True, help="Branch, tag or commit to compare with.")
@click.option("--base-sha", default=None, help="Commit of --base when it is a branch or tag.")
@click.option("--repo", default=None, help="owner/name (default: the job's repository).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A job option (rounds=20) or a template parameter; repeatable.",
)
@click.option("--pr", default=0, type=click.IntRange(min=0), help="PR number for labels.")
@click.option("--no-rebuild", is_flag=True, help="Reuse existing images (rebuild=false).")
@click.option("--callback-url", default="", help="Where the run reports (default: nowhere).")
@click.option("--name", default=None, help="Workflow name (default: generated).")
@click.option(
    "--config",
    "config_path",
    envvar="PERFBOT_CONFIG",
    default="perfbot.yaml",
    show_default=True,
    help=CONFIG_HELP,
)
@click.option("--server", default=None, help="Argo Server (overrides ARGO_SERVER).")
@click.option("--namespace", default=None, help="Namespace (overrides ARGO_NAMESPACE).")
@click.option("--dry-run", is_flag=True, help="Print the request instead of sending it.")
def command(
    job_name: str,
    head_sha: str,
    base_ref: str,
    base_sha: str | None,
    repo: str | None,
    params: tuple[str, ...],
    pr: int,
    no_rebuild: bool,
    callback_url: str,
    name: str | None,
    config_path: str,
    server: str | None,
    namespace: str | None,
    dry_run: bool,
) -> None:
    """Submit a run of JOB comparing --head with --base, and print its Argo UI link."""
    from workflows.argo import ArgoClient, ArgoError
    from workflows.labels import run_labels
    from workflows.pipeline import parameters

    config = load(config_path)
    job = config.job(job_name)
    if job is None:
        jobs = sorted(j for r in config.repos.values() for j in r.jobs)
        raise BadInput(f"unknown job {job_name!r}; jobs in {config_path}: {', '.join(jobs)}")
    owner = config.repo_of(job.name) or ""
    if repo is not None and repo.lower() != owner.lower():
        raise BadInput(f"job {job.name} belongs to {owner}, not {repo}")
    head_sha = head_sha.lower()
    if not SHA_RE.match(head_sha):
        raise BadInput(f"--head must be a commit id (7 to 40 hex digits), got {head_sha!r}")
    if base_sha is not None:
        if not SHA_RE.match(base_sha.lower()):
            raise BadInput(f"--base-sha must be 7 to 40 hex digits, got {base_sha!r}")
        base_sha = base_sha.lower()
    elif SHA_RE.match(base_ref.lower()):
        base_sha = base_ref.lower()
    else:
        base_sha = resolve_ref(config.clone_url(owner), base_ref)
    if no_rebuild and not job.can_reuse_builds:
        raise BadInput(f"job {job.name} builds with a command; its builds cannot be reused")

    options, raw = {}, {}
    declared = parameters.defaults(owner, job)
    for key, value in parse_params(params).items():
        if key in job.options:
            options[key] = value
        elif key in declared and key not in (parameters.REPO, parameters.JOB):
            raw[key] = value
        else:
            allowed = sorted({*job.options, *declared} - {parameters.REPO, parameters.JOB})
            raise BadInput(f"unknown --param {key!r}; allowed: {', '.join(allowed)}")
    try:
        parsed = job.parse_options(options)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    values = parameters.submit_parameters(
        owner,
        job,
        head_sha=head_sha,
        base_sha=base_sha,
        base_ref=base_ref,
        pr=pr,
        rebuild=not no_rebuild,
        callback_url=callback_url,
        options=parsed,
    )
    values.update(raw)
    labels = run_labels(owner, pr, job.name, head_sha)

    env = argo_env(config.argo, os.environ)
    try:
        if dry_run and not (server or env.get("ARGO_SERVER")):
            env["ARGO_SERVER"] = "argo-server.invalid"  # only to print the request's shape
        client = ArgoClient.from_env(env, server=server, namespace=namespace)
        body = client.submit_request(job.template_name, values, name=name, labels=labels)
        if dry_run:
            url = f"{client.server}/api/v1/workflows/{client.namespace}/submit"
            click.echo(json.dumps({"method": "POST", "url": url, "body": body}, indent=2))
            return
        submission = client.submit(job.template_name, values, name=name, labels=labels)
    except ArgoError as exc:
        raise BadInput(str(exc)) from None
    click.echo(
        f"submitted {submission.name} from {job.template_name} in {submission.namespace}",
        err=True,
    )
    click.echo(submission.ui_url or submission.name)
