"""`perfbot lint`: Argo's own validator on the templates and on what a submission becomes.

The schema check in the tests catches structure; this runs Argo's Go code
(`tools/argo-validate`, built with `go build` on first use), which also refuses what the
controller would refuse on the first `/run-perf`: unknown dependencies, cycles, unresolved
template references and `{{...}}` variables, names too long. Without paths it checks the
config's rendered templates together with the Workflows that `perfbot submit` and the bot
would create from them (each job, and `rebuild=false` where a job can reuse its images).
With paths it checks those files (directories: their YAML and JSON files).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import click

from workflows.cli.render import CONFIG_HELP, LOCAL_ONLY, cluster_gaps, load
from workflows.errors import EXIT_FAILED_CHECK, BadInput

SAMPLE_HEAD = "3f2c9e1d" * 5
SAMPLE_BASE = "8d1e0aa4" * 5
SAMPLE_PR = 1347
SAMPLE_DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
SAMPLE_CALLBACK = "https://perfbot.example.com/callback"
BOT_COMMENT_LABEL = "perfbot/comment"  # the bot's label naming the comment (bot/runs/submission.py)
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
SKIPPED_FILES = ("kustomization.yaml", "kustomization.yml")

ACCEPTED = "Argo accepts all of it: {summary}"
REFUSED = "Argo refuses {count} of it: {summary}"
NO_FILES = "no YAML or JSON manifests in {path}"
NOT_FOR_ARGO = (
    "Argo would not get {count} of it: perfbot render refuses it ({local}); "
    "add the images, then lint again to run Argo's validator"
)


def submissions(config) -> dict[str, dict[str, Any]]:  # config: PerfbotConfig
    """File name -> WorkflowSubmitRequest, as `perfbot submit` and the bot send them."""
    from workflows.argo import ArgoClient, workflow_name_for_delivery
    from workflows.labels import run_labels
    from workflows.pipeline.parameters import submit_parameters

    client = ArgoClient("argo-server.invalid", config.argo.namespace)  # builds bodies only
    requests: dict[str, dict[str, Any]] = {}
    for owner, repo in config.repos.items():
        for job in repo.jobs.values():
            rebuilds = (True, False) if job.can_reuse_builds else (True,)
            for rebuild in rebuilds:
                suffix = "" if rebuild else "-reuse"
                by_hand = submit_parameters(
                    owner,
                    job,
                    head_sha=SAMPLE_HEAD,
                    base_sha=SAMPLE_BASE,
                    base_ref="main",
                    rebuild=rebuild,
                    options=job.parse_options({}),
                )
                requests[f"submit-{job.name}{suffix}.json"] = client.submit_request(
                    job.template_name,
                    by_hand,
                    labels=run_labels(owner, 0, job.name, SAMPLE_HEAD),
                )
                from_pr = submit_parameters(
                    owner,
                    job,
                    head_sha=SAMPLE_HEAD,
                    base_sha=SAMPLE_BASE,
                    base_ref="main",
                    pr=SAMPLE_PR,
                    rebuild=rebuild,
                    callback_url=SAMPLE_CALLBACK,
                    options=job.parse_options({}),
                )
                labels = run_labels(owner, SAMPLE_PR, job.name, SAMPLE_HEAD)
                labels[BOT_COMMENT_LABEL] = "1"
                requests[f"bot-{job.name}{suffix}.json"] = client.submit_request(
                    job.template_name,
                    from_pr,
                    name=workflow_name_for_delivery(SAMPLE_DELIVERY),
                    labels=labels,
                )
    return requests


def config_manifests(config, source: str) -> dict[str, str]:
    """File name -> text: the rendered templates and the Workflows their submissions become."""
    import json

    from workflows.argo_submission import workflow_from_submit_request
    from workflows.pipeline.render import KUSTOMIZATION, render

    files = {n: t for n, t in render(config, source=source).items() if n != KUSTOMIZATION}
    for name, request in submissions(config).items():
        files[name] = json.dumps(workflow_from_submit_request(request), indent=2)
    return files


def expand(paths: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix in MANIFEST_SUFFIXES and p.name not in SKIPPED_FILES
        )
        if not inside:
            raise BadInput(NO_FILES.format(path=path))
        found.extend(inside)
    return found


def refuse_gaps(config, config_path: str) -> None:
    """Jobs without the images Argo needs: render refuses them, so lint must not accept them.

    They cannot be rendered, so Argo's validator has nothing to check until they are fixed.
    """
    gaps = cluster_gaps(config)
    if not gaps:
        return
    for gap in gaps:
        click.echo(f"{config_path}: {gap}")
    click.echo(NOT_FOR_ARGO.format(count=len(gaps), local=LOCAL_ONLY), err=True)
    raise SystemExit(EXIT_FAILED_CHECK)


def report(verdict, scratch: Path | None = None) -> None:
    for line in verdict.problems:
        if scratch is not None:  # name the rendered file, not the temporary directory
            line = line.replace(f"{scratch}/", "")
        click.echo(line)
    if verdict.ok:
        click.echo(ACCEPTED.format(summary=verdict.summary), err=True)
        return
    click.echo(REFUSED.format(count=len(verdict.problems), summary=verdict.summary), err=True)
    raise SystemExit(EXIT_FAILED_CHECK)


@click.command(name="lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--config",
    "config_path",
    envvar="PERFBOT_CONFIG",
    default="perfbot.yaml",
    show_default=True,
    help=CONFIG_HELP + " Used when no PATHS are given.",
)
@click.option("--build-only", is_flag=True, help="Build Argo's validator, print its path, stop.")
def command(paths: tuple[Path, ...], config_path: str, build_only: bool) -> None:
    """Validate with Argo's own code: PATHS, or the config's templates and submissions."""
    from workflows import argo_validate

    def announce(line: str) -> None:
        click.echo(line, err=True)

    try:
        if build_only:
            click.echo(str(argo_validate.ensure_built(announce=announce)))
            return
        if paths:
            report(argo_validate.validate(expand(paths), announce=announce))
            return
        config = load(config_path)
        refuse_gaps(config, config_path)
        with tempfile.TemporaryDirectory(prefix="perfbot-lint-") as scratch:
            root = Path(scratch)
            written = []
            for name, text in config_manifests(config, Path(config_path).name).items():
                (root / name).write_text(text, encoding="utf-8")
                written.append(root / name)
            report(argo_validate.validate(written, announce=announce), root)
    except argo_validate.ValidatorUnavailable as exc:
        raise BadInput(str(exc)) from None
