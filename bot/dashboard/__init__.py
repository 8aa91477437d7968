"""The results history in the bot: the store the callbacks write to, and the dashboard.

The store is the bot's alone (a workflow pod never gets the database's URL): `install` opens it
from `PERFBOT_HISTORY_URL` when the app is created, migrating it first, and the callback view
hands each payload to `recording.record`. The read-only dashboard is registered only with
`PERFBOT_DASHBOARD=public`, since benchmark names can say more than a repository's owner
wants said; with `off` its pages do not exist (404).
"""

from __future__ import annotations

from flask import Flask, current_app

from bot.settings import BotSettings, SettingsError
from workflows.history import Store, StoreError

EXTENSION = "perfbot.history"
CANNOT_OPEN = "PERFBOT_HISTORY_URL: {}"


def install(app: Flask, settings: BotSettings, store: Store | None = None) -> None:
    """Open the store (unless a test hands one in) and register the dashboard if public."""
    if store is None and settings.history_url:
        try:
            store = Store.open(settings.history_url)
        except StoreError as exc:
            raise SettingsError(CANNOT_OPEN.format(exc)) from None
    app.extensions[EXTENSION] = store
    if settings.dashboard == "public":
        from bot.dashboard.views import blueprint

        app.register_blueprint(blueprint)


def current_store() -> Store | None:
    return current_app.extensions.get(EXTENSION)
