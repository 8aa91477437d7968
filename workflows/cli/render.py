"""`perfbot render`: write every job's WorkflowTemplate (and a kustomization) to a directory.

`templates/` in this repository is the output for `examples/perfbot.yaml`; `--check` is the
CI form: it writes nothing and exits 1 when the directory differs from what would be written.
"""

from __future__ import annotations

from pathlib import Path

import click

from workflows.errors import EXIT_FAILED_CHECK, BadInput

CONFIG_HELP = "perfbot.yaml to read (default: $PERFBOT_CONFIG, else ./perfbot.yaml)."


LOCAL_ONLY = "perfbot run --local can run it"


def cluster_gaps(config) -> list[str]:  # config: PerfbotConfig
    """Why jobs cannot run on Argo (images left out): render refuses them, lint reports them."""
    return [gap for repo in config.repos.values() for job in repo.jobs.values()
            for gap in job.cluster_gaps()]  # fmt: skip


def load(config_path: str):  # -> PerfbotConfig (imported lazily with pydantic)
    from workflows.config import ConfigError, load_config

    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise BadInput(exc.summary()) from None


@click.command(name="render")
@click.option(
    "--config",
    "config_path",
    envvar="PERFBOT_CONFIG",
    default="perfbot.yaml",
    show_default=True,
    help=CONFIG_HELP,
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for perf-<job>.yaml files and their kustomization.yaml.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if --out is out of date.")
def command(config_path: str, out: Path, check: bool) -> None:
    """Render the WorkflowTemplates of every job in the config."""
    from workflows.pipeline.render import drift, render, write

    config = load(config_path)
    gaps = cluster_gaps(config)
    if gaps:
        raise BadInput(f"{config_path}: {'; '.join(gaps)} ({LOCAL_ONLY})")
    files = render(config, source=Path(config_path).name)
    if check:
        found = drift(files, out)
        if found:
            click.echo(
                f"{out} is out of date ({found.describe()}); run: "
                f"perfbot render --config {config_path} --out {out}",
                err=True,
            )
            raise SystemExit(EXIT_FAILED_CHECK)
        click.echo(f"{out} is up to date ({len(files)} files)")
        return
    for path in write(files, out):
        click.echo(str(path))
