"""Each overlay rendered once per test process, with the real `kubectl kustomize`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.deploy_overlays.manifests import OVERLAYS, OVERLAYS_DIR, kustomize


@pytest.fixture(scope="session")
def single_node() -> list[dict[str, Any]]:
    return kustomize(OVERLAYS_DIR / "single-node")


@pytest.fixture(scope="session")
def cloud() -> list[dict[str, Any]]:
    return kustomize(OVERLAYS_DIR / "cloud")


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def objects(overlay: str, request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    """What `overlay` renders (the test runs once per overlay)."""
    return request.getfixturevalue(overlay.replace("-", "_"))
