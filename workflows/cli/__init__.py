"""The `perfbot` command line, composed from one module per subcommand.

Each subcommand lives in its own module, which defines a click command named `command`;
adding one is a line in `SUBCOMMANDS`. Modules are imported only when their subcommand runs,
so `perfbot compare` never pays for importing Hera, Flask or PyGithub.

Exit codes are shared by every subcommand: 0 ran, 1 ran and found what a `--fail-on-...`
flag asked to fail on, 2 bad input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import importlib

import click

SUBCOMMANDS: dict[str, str] = {
    "compare": "workflows.cli.compare",
    "serve": "bot.server.cli",
    "render": "workflows.cli.render",
    "submit": "workflows.cli.submit",
    "notify": "workflows.cli.notify",
    "run": "workflows.cli.run",
    "bisect": "workflows.cli.bisect",
    "demo": "workflows.cli.demo",
    "lint": "workflows.cli.lint",
    "history": "workflows.cli.history",
    "dashboard": "bot.dashboard.cli",
    "upload": "workflows.cli.upload",
    "init": "workflows.cli.init",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = SUBCOMMANDS.get(cmd_name)
        if module is None:
            return None
        return importlib.import_module(module).command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="perfbot")
def main() -> None:
    """perfbot: pull-request performance testing with Argo Workflows."""
