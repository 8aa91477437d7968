"""Readiness probes of daemon steps (httpGet, tcpSocket, exec), checked against local ports.

Kubernetes polls every `periodSeconds`; locally a service on the loopback is usually up in well
under a second, so probes are polled every `POLL_SECONDS` from the start and the patience is
what the probe itself allows: `initialDelaySeconds + periodSeconds * failureThreshold`.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.1
DEFAULT_PATIENCE_SECONDS = 120.0


class ProbeError(ValueError):
    """A probe the local runner cannot check (a named port it does not know, no handler)."""


def patience(probe: Mapping[str, Any]) -> float:
    """Seconds a daemon may take to become ready before the step fails."""
    if not probe:
        return DEFAULT_PATIENCE_SECONDS
    delay = float(probe.get("initialDelaySeconds", 0) or 0)
    period = float(probe.get("periodSeconds", 10) or 10)
    threshold = float(probe.get("failureThreshold", 3) or 3)
    return delay + period * threshold


def probe_port(probe: Mapping[str, Any]) -> int | str | None:
    """The port a probe checks, as declared (a number or a named container port)."""
    for kind in ("httpGet", "tcpSocket", "grpc"):
        handler = probe.get(kind)
        if isinstance(handler, Mapping) and handler.get("port") is not None:
            port = handler["port"]
            return int(port) if isinstance(port, int) or str(port).isdigit() else str(port)
    return None


def check(
    probe: Mapping[str, Any],
    *,
    port: int | None,
    exec_argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> bool:
    """One attempt: True when the service answers as the probe asks.

    `port` is the local port the probe's declared port maps to; `exec_argv` is the probe's
    command with container paths already rewritten.
    """
    timeout = float(probe.get("timeoutSeconds", 1) or 1)
    if "httpGet" in probe:
        handler = probe["httpGet"] or {}
        if port is None:
            raise ProbeError("httpGet probe without a port")
        return _http_ok(handler, port, timeout)
    if "tcpSocket" in probe:
        if port is None:
            raise ProbeError("tcpSocket probe without a port")
        return _tcp_open(port, timeout)
    if "exec" in probe:
        if not exec_argv:
            raise ProbeError("exec probe without a command")
        return _exec_ok(exec_argv, env or {}, cwd, timeout)
    raise ProbeError(f"unsupported probe {sorted(probe)} (httpGet, tcpSocket and exec are)")


def _http_ok(handler: Mapping[str, Any], port: int, timeout: float) -> bool:
    path = str(handler.get("path") or "/")
    headers = {h["name"]: h["value"] for h in handler.get("httpHeaders") or [] if "name" in h}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return 200 <= status < 400  # what the kubelet counts as success


def _tcp_open(port: int, timeout: float) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout):
        return True
    return False


def _exec_ok(argv: Sequence[str], env: Mapping[str, str], cwd: Path | None, timeout: float) -> bool:
    try:
        completed = subprocess.run(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return completed.returncode == 0


def free_port() -> int:
    """A TCP port on the loopback that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
