"""`perfbot dashboard`: the read-only dashboard alone, on a history store, on this machine.

The bot serves the same pages (with `PERFBOT_DASHBOARD=public`); this is for looking at a
local history, such as the demo's, without GitHub or Argo credentials. It listens on
loopback unless told otherwise, since the pages show every benchmark's name.
"""

from __future__ import annotations

import click

from workflows.cli.history import store_option

SERVING = "perfbot: the dashboard of {store} on http://{host}:{port}/ (Ctrl-C stops it)"


@click.command(name="dashboard")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8090, show_default=True)
def command(store: str, host: str, port: int) -> None:
    """Serve the results dashboard of a history store (development server)."""
    from bot.dashboard import standalone
    from workflows.history.database import shown
    from workflows.history.opening import open_store

    app = standalone(open_store(store))
    click.echo(SERVING.format(store=shown(store), host=host, port=port))
    app.run(host=host, port=port, threaded=True, use_reloader=False)
