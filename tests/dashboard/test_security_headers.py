"""Every page the bot or the dashboard serves carries the security headers (`bot.shared.headers`),
errors included, and a hostile report cannot make a viewer's browser load anything."""

from __future__ import annotations

import pytest

from bot.dashboard import markdown, standalone
from bot.shared.headers import SECURITY_HEADERS
from tests.bot.stack import Stack
from workflows.history import Store

PAGES = [
    ("GET", "/", (200,)),
    ("GET", "/runs/1", (404,)),
    ("GET", "/runs/99999999999999999999", (404,)),  # past BIGINT: no run, not a 500
    ("GET", "/job?repo=a", (400,)),
    ("GET", "/dashboard/static/dashboard.css", (200,)),
    ("GET", "/dashboard/static/dashboard.js", (200,)),
    ("GET", "/healthz", (200,)),
    ("GET", "/metrics", (200,)),
    ("GET", "/no-such-page", (404,)),
    ("POST", "/callback", (401,)),
    ("POST", "/webhook", (401,)),
    ("GET", "/webhook", (405,)),
]


@pytest.mark.parametrize(("method", "path", "statuses"), PAGES, ids=[p[1] for p in PAGES])
def test_every_answer_of_the_bot_carries_the_security_headers(
    stack: Stack, method: str, path: str, statuses: tuple[int, ...]
) -> None:
    response = stack.client.open(path, method=method)
    assert response.status_code in statuses
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_the_standalone_dashboard_carries_them_too(store_target: str) -> None:
    client = standalone(Store.open(store_target)).test_client()
    for path in ("/", "/runs/99999999999999999999"):
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert (
            response.headers["Content-Security-Policy"]
            == SECURITY_HEADERS["Content-Security-Policy"]
        )
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_policy_loads_nothing_from_elsewhere() -> None:
    parts = SECURITY_HEADERS["Content-Security-Policy"].split(";")
    policy = dict(part.strip().split(" ", 1) for part in parts)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"


HOSTILE_REPORTS = [
    "![x](https://tracker.example/p.png)",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("report", HOSTILE_REPORTS)
def test_a_report_renders_no_image_script_or_script_link(report: str) -> None:
    html = markdown.to_html(report)
    assert "<img" not in html
    assert "<script" not in html
    assert 'href="javascript:' not in html
