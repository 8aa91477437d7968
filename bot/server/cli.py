"""`perfbot serve`: the bot on Flask's development server, configured like production.

Production runs gunicorn with `bot.server.gunicorn_conf`; this is for trying the bot locally (for
example behind a tunnel that forwards GitHub's webhooks). Settings come from the same
environment variables (see docs/bot.md).
"""

from __future__ import annotations

import os

import click

from workflows.errors import BadInput


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=lambda: int(os.environ.get("PORT", "8080")),
    show_default="PORT or 8080",
    help="Port to listen on.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="perfbot.yaml to serve (default: PERFBOT_CONFIG, else ./perfbot.yaml).",
)
def command(host: str, port: int, config_path: str | None) -> None:
    """Run the GitHub App webhook server (development server; use gunicorn in production)."""
    from bot.server.app import create_app
    from bot.shared.settings import BotSettings, SettingsError
    from workflows.config import ConfigError

    env = dict(os.environ)
    if config_path is not None:
        env["PERFBOT_CONFIG"] = config_path
    try:
        app = create_app(BotSettings.from_env(env))
    except (SettingsError, ConfigError) as exc:
        raise BadInput(str(exc)) from None
    click.echo(f"perfbot: serving the GitHub App on http://{host}:{port} (webhook: /webhook)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)
