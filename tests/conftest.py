"""Fixtures every test folder shares: where the project and the published specs live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Argo's schema and OpenAPI spec, GitHub's payload examples: read here, never copied."""
    if not SHARED.is_dir():
        pytest.fail(f"the published specs are expected beside the checkout, in {SHARED}")
    return SHARED
