"""A stand-in Argo Server per test, and a client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.standins.argo_server import ArgoStandIn
from workflows.argo import ArgoClient

TOKEN = "s3cret-token"
TEMPLATES = ["perf-databend-sql", "perf-ripgrep-search"]


@pytest.fixture
def argo() -> Iterator[ArgoStandIn]:
    with ArgoStandIn(token=TOKEN, templates=TEMPLATES, namespace="perfbot") as standin:
        yield standin


@pytest.fixture
def client(argo: ArgoStandIn) -> ArgoClient:
    return ArgoClient(argo.url, "perfbot", TOKEN, ui_url="https://argo.example.com", timeout=2.0)
