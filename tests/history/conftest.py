"""Fixtures of the history tests: an empty store on each backend, and run records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.history.databases import store_target
from workflows.history import Store

__all__ = ["store_target"]


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    opened = Store.open(store_target)
    yield opened
    opened.close()
