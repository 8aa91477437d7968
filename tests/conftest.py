"""Fixtures every test folder shares: where the project and the published specs live."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "tests" / "contracts"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def contracts_dir() -> Path:
    """Argo's schema and OpenAPI spec, GitHub's payload examples: copies kept in the project
    (tests/contracts/README.md names their sources), so a fresh clone needs nothing beside it."""
    return CONTRACTS
