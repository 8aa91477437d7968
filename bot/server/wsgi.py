"""`gunicorn bot.server.wsgi:app`: the app built from the environment.

A configuration problem ends the process with one line naming what to fix, not a traceback;
the committed gunicorn config checks the same thing once in the master before any worker
starts (`bot.server.gunicorn_conf.on_starting`).
"""

from __future__ import annotations

import logging
import os
import sys

from flask import Flask

from bot.server.app import create_app
from bot.shared.settings import BotSettings, SettingsError
from workflows.config import ConfigError


def build() -> Flask:
    logging.basicConfig(
        stream=sys.stderr,
        level=os.environ.get("PERFBOT_LOG_LEVEL", "info").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return create_app(BotSettings.from_env(os.environ))
    except (SettingsError, ConfigError) as exc:
        sys.stderr.write(f"perfbot: cannot start: {exc}\n")
        raise SystemExit(3) from None  # gunicorn's "worker failed to boot": stop, do not respawn


app = build()
