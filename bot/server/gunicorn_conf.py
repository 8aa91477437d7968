"""The committed gunicorn configuration: `gunicorn --config python:bot.server.gunicorn_conf ...`.

Why these values:
- `gthread` workers with 16 threads: a delivery waits on GitHub and Argo, not the CPU, and
  kept-alive connections do not spread evenly over the workers: with 8 threads a worker
  holding more connections than threads made requests queue (`bench/bot_load.py`: p99 up to
  230 ms at 16 concurrent deliveries; about 150 ms with 16 threads);
- `timeout` below GitHub's 10 s delivery timeout, so a stuck request is cut before GitHub gives
  up on it (the bot's own outbound timeouts are smaller still, see `bot.shared.settings`);
- access log on stdout, one line per request with its duration in microseconds (`%(D)s`),
  the path without its query string (Horreum's action token rides in `?token=`);
- a worker that exits (a deploy, a scale-down) first finishes the acknowledgements it queued
  (`worker_exit`, within `FOLLOWUP_DRAIN` seconds, inside gunicorn's graceful timeout);
- Prometheus multiprocess mode: each worker writes its metrics to files under
  `PROMETHEUS_MULTIPROC_DIR` (a fresh temporary directory unless one is given; emptied at
  start), and `/metrics` sums them, so a scrape sees the whole pod whichever worker answers it.
Everything can be overridden with gunicorn's own `GUNICORN_CMD_ARGS` or the variables below.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8080')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("PERFBOT_THREADS", "16"))
timeout = 9
graceful_timeout = 9
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("PERFBOT_LOG_LEVEL", "info")
# The path without its query string (%(U)s, not the request line %(r)s): Horreum's actions
# carry the bot's secret token in `?token=`, which must not reach the logs.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(D)sus "%(a)s"'
# gunicorn >= 25 opens a control socket under $HOME: not needed in a pod (read-only root file
# system) and shared between instances on one machine. Older versions ignore the name.
control_socket_disable = True
FOLLOWUP_DRAIN = 5.0  # seconds; graceful_timeout is what the master waits before killing

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="perfbot-metrics-")


def on_starting(server: object) -> None:
    """Refuse to start, with one line, before any worker is forked."""
    from bot.shared.settings import BotSettings, SettingsError
    from workflows.config import ConfigError, load_config

    try:
        settings = BotSettings.from_env(os.environ)
        load_config(settings.config_path)
    except (SettingsError, ConfigError) as exc:
        sys.stderr.write(f"perfbot: cannot start: {exc}\n")
        raise SystemExit(2) from None
    # Counters of an earlier run of this pod must not be summed into this one.
    metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in metrics_dir.glob("*.db"):
        stale.unlink()


def child_exit(server: object, worker: object) -> None:
    """A dead worker's live gauges must not linger in the metrics directory."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def worker_exit(server: object, worker: object) -> None:
    """Post the reactions and replies still queued before the worker goes."""
    wsgi = sys.modules.get("bot.server.wsgi")  # loaded in the worker, unless it failed to boot
    if wsgi is not None:
        from bot.server.app import shutdown

        shutdown(wsgi.app, FOLLOWUP_DRAIN)
