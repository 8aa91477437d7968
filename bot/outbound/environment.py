"""Proxy and CA settings of outbound calls, read from the environment once per session.

A `requests.Session` that trusts the environment (the default) looks up `HTTP(S)_PROXY`,
`NO_PROXY` and `REQUESTS_CA_BUNDLE` on every request, and the proxy lookup scans the whole
environment each time. A profile of a delivery (`bench/bot_load.py`, issue 12) put that at
about a third of the CPU each GitHub or Argo call costs on the request path, and a pod's
environment holds several variables per Service of its namespace. The bot's environment does
not change after it starts, so each session reads it once, when it is made: the same proxies,
the same exemptions, the same CA bundle, without the per-request scan.
"""

from __future__ import annotations

import os

import requests
from requests.utils import get_environ_proxies

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # requests' own, in its order


def pin_environment(session: requests.Session, url: str) -> requests.Session:
    """`session` with the environment's proxies for `url` (none if `NO_PROXY` exempts its
    host) fixed, and the per-request lookup turned off."""
    session.proxies.update(get_environ_proxies(url))
    session.trust_env = False
    return session


def verify_setting(insecure: bool = False) -> bool | str:
    """What `verify=` must be once the session no longer reads `REQUESTS_CA_BUNDLE` itself."""
    if insecure:
        return False
    for name in CA_BUNDLE_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    return True
