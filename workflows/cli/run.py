"""`perfbot run --local`: run a job's pipeline on this machine, base against head.

Exit codes: 0 the comparison ran; 1 with --fail-on-regression and a regression (4 when
nothing regressed but a benchmark could not be judged); 2 bad input
(not a git repository, a bad ref, missing or invalid config, unknown job, a job that cannot
run locally); 3 a pipeline step failed or the deadline passed; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

from pathlib import Path

import click

from workflows.errors import BadInput


@click.command(name="run")
@click.option("--local", "local", is_flag=True, help="Run on this machine, with no cluster.")
@click.option(
    "--repo",
    type=click.Path(path_type=Path),
    default=Path("."),
    show_default=True,
    help="The git repository to benchmark.",
)
@click.option("--base", required=True, help="Commit to compare against (branch, tag, SHA).")
@click.option("--head", default="HEAD", show_default=True, help="Commit under test.")
@click.option("--job", default=None, help="Job from the config (default: the repo's default job).")
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    default=None,
    help="perfbot.yaml to use (default: $PERFBOT_CONFIG, else perfbot.yaml at the repo's root).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("perfbot-out"),
    show_default=True,
    help="Directory for report.md, report.json, report.html, results/ and logs/.",
)
@click.option("--rounds", type=int, default=None, help="Benchmark rounds per side (override).")
@click.option("--quiet", is_flag=True, help="Plain progress lines (for CI logs).")
@click.option(
    "--fail-on-regression", is_flag=True,
    help="Exit 1 when a benchmark regressed; 4 when none did but one could not be judged.",
)  # fmt: skip
@click.option("--record", is_flag=True, help="Keep the run in the results history (--history).")
@click.option(
    "--history",
    envvar="PERFBOT_HISTORY_URL",
    default=None,
    help="The history to record into: a SQLite file or a postgresql:// URL "
    "(default: history.sqlite in --out).",
)
@click.option("--keep-work", is_flag=True, hidden=True, help="Keep the run's work directory.")
@click.option("--horreum", is_flag=True, help="Store the run in the job's Horreum as well.")
@click.pass_context
def command(
    ctx: click.Context,
    local: bool,
    repo: Path,
    base: str,
    head: str,
    job: str | None,
    config: Path | None,
    out: Path,
    rounds: int | None,
    quiet: bool,
    fail_on_regression: bool,
    record: bool,
    history: str | None,
    keep_work: bool,
    horreum: bool,
) -> None:
    """Build, deploy, benchmark (interleaved rounds), compare and report, locally."""
    if not local:
        raise BadInput("perfbot run needs --local (to run in a cluster, use perfbot submit)")
    from workflows.cli import upload
    from workflows.local import runner

    if horreum:  # refuse before the run, not after it: a target and a key must exist
        upload.check_local_run(config, job, repo)

    request = runner.LocalRun(
        repo=repo,
        base=base,
        head=head,
        job=job,
        config=config,
        out=out,
        rounds=rounds,
        quiet=quiet,
        fail_on_regression=fail_on_regression,
        keep_work=keep_work,
    )
    try:
        outcome = runner.run(request, echo=click.echo)
    except runner.PipelineFailed as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(exc.exit_code)
    except KeyboardInterrupt:  # before the steps started or after they ended: nothing to stop
        click.echo("Error: interrupted", err=True)
        ctx.exit(runner.EXIT_INTERRUPTED)
    if record:
        from workflows.history.opening import record_run

        name = outcome.repo_name or repo.resolve().name  # owner/name, as the bot records
        click.echo(
            record_run(outcome.out, store=history, repo=repo, name=name, base=base, head=head)
        )
    if horreum:  # the report is printed already; a failed upload is one line, not a failure
        click.echo(upload.upload_local_run(outcome.out, config, job, repo)[1], err=True)
    ctx.exit(outcome.exit_code)
