"""`perfbot bisect --local`: which commit between base and head brought a regression.

Exit codes: 0 the bisection ran (whatever it found: a commit, several, none, or the range it
narrowed to); 2 bad input (a bad ref, a base not on head's first-parent line, no benchmark to
bisect, an invalid config or job); 3 a step's pipeline failed; 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path

import click

from workflows.errors import BadInput


@click.command(name="bisect")
@click.option("--local", "local", is_flag=True, help="Run on this machine, with no cluster.")
@click.option(
    "--repo", type=click.Path(path_type=Path), default=Path("."), show_default=True,
    help="The git repository to bisect.",
)  # fmt: skip
@click.option("--base", required=True, help="The commit without the regression (the run's base).")
@click.option("--head", default="HEAD", show_default=True, help="The commit with it.")
@click.option("--job", default=None, help="Job from the config (default: the repo's default job).")
@click.option(
    "--config", type=click.Path(path_type=Path), default=None,
    help="perfbot.yaml to use (default: $PERFBOT_CONFIG, else perfbot.yaml at the repo's root).",
)  # fmt: skip
@click.option(
    "--benchmark", "benchmarks", multiple=True,
    help="A regressed benchmark to follow (repeatable; default: the regressions in --report).",
)  # fmt: skip
@click.option(
    "--report", type=click.Path(path_type=Path), default=Path("perfbot-out/report.json"),
    show_default=True, help="The run's JSON report whose regressions are bisected.",
)  # fmt: skip
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("perfbot-bisect"), show_default=True,
    help="Directory for bisect.json, bisect.txt and each step's reports (steps/).",
)  # fmt: skip
@click.option("--rounds", type=int, default=None, help="Benchmark rounds per side and step.")
@click.option(
    "--max-steps", type=int, default=None,
    help="Comparisons allowed (default: the job's bisect.max_steps, 8).",
)  # fmt: skip
@click.option("--quiet", is_flag=True, help="Plain progress lines (for CI logs).")
@click.pass_context
def command(
    ctx: click.Context,
    local: bool,
    repo: Path,
    base: str,
    head: str,
    job: str | None,
    config: Path | None,
    benchmarks: tuple[str, ...],
    report: Path,
    out: Path,
    rounds: int | None,
    max_steps: int | None,
    quiet: bool,
) -> None:
    """Measure the regressed benchmarks on the commits between base and head (first-parent),
    halving the range each step, and name the commit that brought the change."""
    if not local:
        raise BadInput("perfbot bisect needs --local (a bisection on Argo is not built yet)")
    from workflows.bisect import local as bisection
    from workflows.local import runner

    request = bisection.BisectRun(
        repo=repo, base=base, head=head, job=job, config=config, out=out, report=report,
        benchmarks=benchmarks, rounds=rounds, max_steps=max_steps, quiet=quiet,
    )  # fmt: skip
    try:
        bisection.run(request, echo=click.echo, note=lambda text: click.echo(text, err=True))
    except runner.PipelineFailed as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Error: interrupted", err=True)
        ctx.exit(runner.EXIT_INTERRUPTED)
