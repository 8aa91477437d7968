"""The Flask application factory: one app per settings, with its clients and metrics.

Clients are built here from the settings unless a test hands in its own (a recording fake
GitHub, an Argo client pointed at a stand-in). Nothing lives in module globals, so two apps in
one process (tests, or two fake replicas) never share state. Each app owns two bounded thread
pools (concurrent reads, follow-ups after the answer); `shutdown(app)` drains them, and the
gunicorn config calls it when a worker exits.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from bot import dashboard
from bot.callback import view as callback_view
from bot.github.api import GitHub
from bot.horreum import view as horreum_view
from bot.horreum.settings import HorreumSettings
from bot.horreum.upload import EXTENSION as HORREUM
from bot.horreum.upload import HorreumService
from bot.outbound.argo_session import argo_session
from bot.outbound.environment import verify_setting
from bot.shared import headers
from bot.shared.body import STREAM_LIMIT
from bot.shared.followups import FollowupPool
from bot.shared.metrics import Metrics
from bot.shared.services import EXTENSION, Services, services
from bot.shared.settings import BotSettings, SettingsError
from bot.shared.throttle import Throttle
from bot.triggers import webhook
from workflows.argo import ArgoClient, normalize_server
from workflows.config import PerfbotConfig, load_config
from workflows.history import Store

log = logging.getLogger(__name__)
# Follow-ups are not answering anyone, so they may wait longer than a delivery: a rate limit's
# short Retry-After, an Argo Server restarting.
FOLLOWUP_BUDGET_FACTOR = 3


def create_app(
    settings: BotSettings,
    *,
    github: GitHub | None = None,
    argo: ArgoClient | None = None,
    config: PerfbotConfig | None = None,
    history: Store | None = None,
    horreum: HorreumSettings | None = None,  # default: from the environment
) -> Flask:
    """Raises SettingsError or ConfigError (one line each) when it cannot be configured."""
    settings = settings.checked()
    config = config if config is not None else load_config(settings.config_path)
    if github is None:
        from bot.outbound.github_client import PyGithubClient  # PyGithub only where it is used

        github = PyGithubClient(settings)
    if argo is None:
        argo = argo_client(settings, config)

    app = Flask("perfbot")
    # `bot.shared.body` refuses what is over the cap
    app.config["MAX_CONTENT_LENGTH"] = STREAM_LIMIT
    headers.install(app)
    counters = Metrics()
    app.extensions[EXTENSION] = Services(
        settings,
        config,
        github,
        argo,
        counters,
        read_pool=ThreadPoolExecutor(settings.read_threads, thread_name_prefix="perfbot-read"),
        followups=FollowupPool(
            workers=settings.followup_workers,
            capacity=settings.followup_queue,
            budget=settings.delivery_budget * FOLLOWUP_BUDGET_FACTOR,
            metrics=counters,
        ),
        status_throttle=Throttle(settings.status_interval),
    )
    app.register_blueprint(webhook.blueprint)
    app.register_blueprint(callback_view.blueprint)
    dashboard.install(app, settings, history)  # the results store; the dashboard if public
    app.extensions[HORREUM] = HorreumService(horreum or HorreumSettings.from_env())
    app.register_blueprint(horreum_view.blueprint)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/metrics", "metrics", metrics)
    app.before_request(_start_timer)
    app.after_request(_observe_latency)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def argo_client(settings: BotSettings, config: PerfbotConfig) -> ArgoClient:
    """Environment first, perfbot.yaml's `argo:` second; idempotent calls retried briefly."""
    server = settings.argo_server or config.argo.server
    if not server:
        raise SettingsError("ARGO_SERVER is not set and perfbot.yaml has no argo.server")
    url = normalize_server(server)  # `host:port` means https, as for the argo CLI
    return ArgoClient(
        url,
        settings.argo_namespace or config.argo.namespace,
        settings.argo_token,
        ui_url=settings.argo_ui_url or config.argo.link_base,
        timeout=settings.argo_timeout,
        session=argo_session(settings, url),
        verify=verify_setting(settings.argo_insecure),
    )


def shutdown(app: Flask, timeout: float = 5.0) -> bool:
    """Let queued follow-ups finish (up to `timeout` s); False if some had to be dropped."""
    return app.extensions[EXTENSION].close(timeout)


def healthz() -> Response:
    """Liveness and readiness: the app is configured and serving. Dependencies are not
    probed: a GitHub outage must not make Kubernetes restart every replica."""
    return jsonify({"ok": True})


def metrics() -> Response:
    data, content_type = services().metrics.exposition()
    return Response(data, content_type=content_type)


def _start_timer() -> None:
    g.perfbot_started = time.perf_counter()


def _observe_latency(response: Response) -> Response:
    started = g.get("perfbot_started")
    if started is not None:
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        latency = services().metrics.latency.labels(
            endpoint=endpoint, status=str(response.status_code)
        )
        latency.observe(time.perf_counter() - started)
    return response


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    status = exc.code or 500
    return jsonify({"ok": False, "error": exc.description or exc.name}), status


def _unexpected_error(exc: Exception) -> tuple[Response, int]:
    """Log the traceback; the response says nothing about the code."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return jsonify({"ok": False, "error": "internal error; see the bot's log"}), 500
