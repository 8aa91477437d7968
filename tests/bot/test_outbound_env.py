"""Outbound sessions read the environment's proxy and CA settings once, and still honour them."""

from __future__ import annotations

import pytest
import requests

from bot.outbound.environment import pin_environment, verify_setting

ARGO = "https://argo.example.test:2746"
PROXY = "http://proxy.example.test:3128"
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "ALL_PROXY")
ENVIRONMENT = (*PROXY_VARIABLES, *(v.lower() for v in PROXY_VARIABLES), "REQUESTS_CA_BUNDLE",
               "CURL_CA_BUNDLE")  # fmt: skip


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"HTTPS_PROXY": PROXY}, {"https": PROXY}),
        ({"HTTPS_PROXY": PROXY, "NO_PROXY": "argo.example.test"}, {}),  # exempted host
        ({"HTTPS_PROXY": PROXY, "NO_PROXY": ".other.test"}, {"https": PROXY}),
        ({}, {}),
    ],
)
def test_a_pinned_session_keeps_the_proxies_the_environment_gives_its_server(
    clean_env: pytest.MonkeyPatch, env: dict[str, str], expected: dict[str, str]
) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)

    session = pin_environment(requests.Session(), ARGO)

    assert {k: v for k, v in session.proxies.items() if k == "https"} == expected
    assert session.trust_env is False  # no scan of the environment per request


def test_a_pinned_session_ignores_proxy_changes_after_it_was_made(
    clean_env: pytest.MonkeyPatch,
) -> None:
    session = pin_environment(requests.Session(), ARGO)
    clean_env.setenv("HTTPS_PROXY", PROXY)

    settings = session.merge_environment_settings(ARGO, {}, None, None, None)

    assert settings["proxies"].get("https") is None


@pytest.mark.parametrize(
    ("env", "insecure", "expected"),
    [
        ({}, False, True),
        ({"REQUESTS_CA_BUNDLE": "/etc/ca.pem"}, False, "/etc/ca.pem"),
        ({"CURL_CA_BUNDLE": "/etc/curl.pem"}, False, "/etc/curl.pem"),
        ({"REQUESTS_CA_BUNDLE": "/etc/ca.pem"}, True, False),  # skip-verify wins
    ],
)
def test_the_ca_bundle_of_the_environment_still_applies(
    clean_env: pytest.MonkeyPatch, env: dict[str, str], insecure: bool, expected: bool | str
) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)

    assert verify_setting(insecure) == expected
