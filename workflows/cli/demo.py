"""`perfbot demo`: the local pipeline on a small real project with a real slowdown.

Exit codes as `perfbot run --local` (the demo exits 0 when the comparison ran, whatever it found).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command(name="demo")
@click.option(
    "--change",
    type=click.Choice(["slow-search", "readme-only"]),
    default="slow-search",
    show_default=True,
    help="The second commit: a real slowdown of /search, or a README edit (no alarm).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("perfbot-out"),
    show_default=True,
    help="Directory for the reports and logs.",
)
@click.option(
    "--rounds", type=int, default=None, help="Benchmark rounds per side (default: the job's, 10)."
)
@click.option("--quiet", is_flag=True, help="Plain progress lines (for CI logs).")
@click.option("--keep-repo", is_flag=True, help="Keep the throwaway repository to look at.")
@click.pass_context
def command(
    ctx: click.Context, change: str, out: Path, rounds: int | None, quiet: bool, keep_repo: bool
) -> None:
    """Benchmark a tiny HTTP service before and after a commit that slows one endpoint."""
    from workflows.local import demo, runner

    def note(text: str) -> None:
        click.echo(text, err=True)

    try:
        outcome = demo.run_demo(
            change=change,
            out=out,
            rounds=rounds,
            quiet=quiet,
            keep_repository=keep_repo,
            echo=click.echo,
            note=note,
        )
    except runner.PipelineFailed as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(exc.exit_code)
    except KeyboardInterrupt:  # before the steps started or after they ended: nothing to stop
        click.echo("Error: interrupted", err=True)
        ctx.exit(runner.EXIT_INTERRUPTED)
    ctx.exit(outcome.exit_code)
