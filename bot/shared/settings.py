"""Everything the bot reads from its environment, checked once at start-up.

The bot is a public endpoint that starts work on the cluster, so it refuses to start rather
than run half-configured: without the webhook secret anyone could post commands, without the
callback secret anyone could post results, and without the public URL no run could report
back. Every problem is one `SettingsError` line naming the variable to set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

DEFAULT_GITHUB_API_URL = "https://api.github.com"
RUN_KEPT = 86_400  # seconds Argo keeps a finished run at least (`ttlStrategy`, a day after success)
Number = TypeVar("Number", int, float)
MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB


class SettingsError(ValueError):
    """A missing or malformed environment variable; the message says which one and why."""


@dataclass(frozen=True)
class BotSettings:
    webhook_secret: str
    callback_secret: str
    public_url: str  # where workflows reach the bot; callbacks go to <public_url>/callback
    config_path: str = "perfbot.yaml"
    github_api_url: str = DEFAULT_GITHUB_API_URL
    github_app_id: str | None = None
    github_private_key: str | None = None
    github_token: str | None = None
    bot_login: str | None = None  # default: asked from GitHub (the App's `<slug>[bot]`)
    argo_server: str | None = None  # default: `argo.server` of perfbot.yaml
    argo_token: str | None = None
    argo_namespace: str | None = None  # default: `argo.namespace` of perfbot.yaml
    argo_ui_url: str | None = None  # default: `argo.ui_url` of perfbot.yaml, else the server
    argo_insecure: bool = False
    # Outbound calls: small timeouts and few retries, so a delivery is answered within GitHub's
    # 10 s even when a neighbour is slow. GitHub's timeout is whole seconds (PyGithub's rule).
    github_timeout: int = 4
    github_retries: int = 2
    argo_timeout: float = 4.0
    argo_retries: int = 2
    retry_backoff: float = 0.2  # seconds; doubles per retry, capped by retry_backoff_max
    retry_backoff_max: float = 1.0
    # Everything a delivery or a callback does before it is answered, retries included, fits in
    # this budget (GitHub gives up after 10 s; gunicorn's timeout is 9 s).
    delivery_budget: float = 8.0
    read_threads: int = 32  # concurrent reads of the deliveries a worker is handling
    followup_workers: int = 8  # threads acknowledging deliveries after their answer
    followup_queue: int = 256  # deliveries whose acknowledgements may wait; more are dropped
    check_run_prefix: str = "perfbot"  # check runs are named <prefix>/<job>
    history_url: str | None = None  # the results store (docs/history.md); None: none kept
    dashboard: str = "off"  # `public`: anyone who reaches the bot reads the dashboard
    # A command is run only this many seconds after it was written (`bot.delivery.freshness`): a
    # replay of an older delivery starts nothing, even once Argo has let go of the run it started.
    command_max_age: int = 900
    status_interval: int = 60  # seconds between two answered `/perf-bot status` on one PR

    @property
    def callback_url(self) -> str:
        return self.public_url.rstrip("/") + "/callback"

    def check_run_name(self, job: str) -> str:
        return f"{self.check_run_prefix}/{job}"

    @property
    def uses_app_auth(self) -> bool:
        return self.github_app_id is not None

    @property
    def check_runs(self) -> bool:
        """GitHub lets only Apps create check runs; with a plain token the PR gets comments."""
        return self.uses_app_auth

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> BotSettings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def require(name: str, why: str) -> str:
            value = get(name)
            if value is None:
                raise SettingsError(f"{name} is not set: {why}")
            return value

        webhook_secret = require(
            "GITHUB_WEBHOOK_SECRET", "the bot refuses unsigned webhooks, so it needs the secret"
        )
        callback_secret = require(
            "PERFBOT_CALLBACK_SECRET", "workflows sign their results with it; set the same value"
        )
        public_url = require(
            "PERFBOT_PUBLIC_URL", "the URL at which workflows reach this bot (for callbacks)"
        )
        if not public_url.startswith(("http://", "https://")):
            raise SettingsError(f"PERFBOT_PUBLIC_URL must be an http(s) URL, got {public_url!r}")

        app_id = get("GITHUB_APP_ID")
        private_key = _private_key(
            get("GITHUB_APP_PRIVATE_KEY"), get("GITHUB_APP_PRIVATE_KEY_PATH")
        )
        token = get("GITHUB_TOKEN")
        if app_id is not None and private_key is None:
            raise SettingsError(
                "GITHUB_APP_ID is set but neither GITHUB_APP_PRIVATE_KEY nor "
                "GITHUB_APP_PRIVATE_KEY_PATH is"
            )
        if app_id is None and token is None:
            raise SettingsError(
                "no GitHub credentials: set GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY "
                "(or GITHUB_APP_PRIVATE_KEY_PATH), or GITHUB_TOKEN"
            )
        if app_id is not None and not app_id.isdigit():
            raise SettingsError(f"GITHUB_APP_ID must be a number, got {app_id!r}")

        return cls(
            webhook_secret=webhook_secret,
            callback_secret=callback_secret,
            public_url=public_url.rstrip("/"),
            config_path=get("PERFBOT_CONFIG") or "perfbot.yaml",
            github_api_url=(get("GITHUB_API_URL") or DEFAULT_GITHUB_API_URL).rstrip("/"),
            github_app_id=app_id,
            github_private_key=private_key,
            github_token=token if app_id is None else None,
            bot_login=get("PERFBOT_BOT_LOGIN"),
            argo_server=get("ARGO_SERVER"),
            argo_token=get("ARGO_TOKEN"),
            argo_namespace=get("ARGO_NAMESPACE"),
            argo_ui_url=get("ARGO_UI_URL"),
            argo_insecure=(get("ARGO_INSECURE_SKIP_VERIFY") or "false").lower()
            in ("true", "1", "yes"),
            github_timeout=_number(env, "PERFBOT_GITHUB_TIMEOUT", int, 4, minimum=1),
            github_retries=_number(env, "PERFBOT_GITHUB_RETRIES", int, 2, minimum=0),
            argo_timeout=_number(env, "PERFBOT_ARGO_TIMEOUT", float, 4.0, minimum=0.1),
            argo_retries=_number(env, "PERFBOT_ARGO_RETRIES", int, 2, minimum=0),
            retry_backoff=_number(env, "PERFBOT_RETRY_BACKOFF", float, 0.2, minimum=0.0),
            retry_backoff_max=_number(env, "PERFBOT_RETRY_BACKOFF_MAX", float, 1.0, minimum=0.0),
            delivery_budget=_number(env, "PERFBOT_DELIVERY_BUDGET", float, 8.0, minimum=0.5),
            read_threads=_number(env, "PERFBOT_READ_THREADS", int, 32, minimum=1),
            followup_workers=_number(env, "PERFBOT_FOLLOWUP_WORKERS", int, 8, minimum=1),
            followup_queue=_number(env, "PERFBOT_FOLLOWUP_QUEUE", int, 256, minimum=1),
            history_url=get("PERFBOT_HISTORY_URL"),
            dashboard=(get("PERFBOT_DASHBOARD") or "off").lower(),
            command_max_age=_number(env, "PERFBOT_COMMAND_MAX_AGE", int, 900, minimum=1),
            status_interval=_number(env, "PERFBOT_STATUS_INTERVAL", int, 60, minimum=0),
        ).checked()

    def checked(self) -> BotSettings:
        """One attempt of each call must fit in a delivery's budget, or no call could start."""
        for name, timeout in (
            ("PERFBOT_GITHUB_TIMEOUT", self.github_timeout),
            ("PERFBOT_ARGO_TIMEOUT", self.argo_timeout),
        ):
            if timeout >= self.delivery_budget:
                raise SettingsError(
                    f"{name} ({timeout:g} s) must be below PERFBOT_DELIVERY_BUDGET "
                    f"({self.delivery_budget:g} s)"
                )
        if self.command_max_age > RUN_KEPT:
            raise SettingsError(
                f"PERFBOT_COMMAND_MAX_AGE ({self.command_max_age} s) must be at most {RUN_KEPT} s: "
                "Argo keeps a run that long, and only while it does is a replay recognised by name"
            )
        if self.dashboard not in ("public", "off"):
            raise SettingsError(f"PERFBOT_DASHBOARD must be public or off, got {self.dashboard!r}")
        return self


def _private_key(inline: str | None, path: str | None) -> str | None:
    """The PEM itself, or read from a file (a mounted Secret); `\\n` escapes are unfolded."""
    if inline is not None:
        return inline.replace("\\n", "\n")
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"GITHUB_APP_PRIVATE_KEY_PATH: cannot read {path}: {exc}") from None


def _number(
    env: Mapping[str, str], name: str, kind: type[Number], default: Number, *, minimum: Number
) -> Number:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        expected = "an integer" if kind is int else "a number"
        raise SettingsError(f"{name} must be {expected}, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {raw}")
    return value
