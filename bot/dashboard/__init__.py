"""The results history in the bot: the store the callbacks write to, and the dashboard.

The store is the bot's alone (a workflow pod never gets the database's URL): `install` opens it
from `PERFBOT_HISTORY_URL` when the app is created, migrating it first, and the callback view
hands each payload to `recording.record`. The read-only dashboard is registered only with
`PERFBOT_DASHBOARD=public`, since benchmark names can say more than a repository's owner
wants said; with `off` its pages do not exist (404).
"""

from __future__ import annotations

from flask import Flask, current_app

from bot.shared import headers
from bot.shared.settings import BotSettings, SettingsError
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
    attach(app, store, public=settings.dashboard == "public")


def attach(app: Flask, store: Store | None, *, public: bool) -> None:
    app.extensions[EXTENSION] = store
    if public:
        from bot.dashboard.views import blueprint

        app.register_blueprint(blueprint)


def standalone(store: Store) -> Flask:
    """The dashboard alone, on a store: `perfbot dashboard`, with no GitHub or Argo."""
    app = Flask("perfbot-dashboard")
    headers.install(app)
    attach(app, store, public=True)
    return app


def current_store() -> Store | None:
    return current_app.extensions.get(EXTENSION)
