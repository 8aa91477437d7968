"""The two databases every history test runs against: a SQLite file and a real PostgreSQL.

PostgreSQL is a real server (`tests/history/start-postgres.sh`, which `.ci/run` starts), named
by PERFBOT_TEST_POSTGRES_URL; each test gets a database of its own, dropped afterwards. Without
the URL the PostgreSQL half skips with the reason, except where PERFBOT_REQUIRE_POSTGRES is set
(`.ci/run` sets it): there a missing server fails, so CI never passes on SQLite alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

POSTGRES_URL = "PERFBOT_TEST_POSTGRES_URL"
REQUIRE_POSTGRES = "PERFBOT_REQUIRE_POSTGRES"
NO_SERVER = (
    f"{POSTGRES_URL} is not set: start a server with tests/history/start-postgres.sh and "
    f"export its URL to run the PostgreSQL half"
)
BACKENDS = ("sqlite", "postgresql")


def postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_URL, "").strip()
    if not url:
        if os.environ.get(REQUIRE_POSTGRES):
            pytest.fail(f"{REQUIRE_POSTGRES} is set but {NO_SERVER}")
        pytest.skip(NO_SERVER)
    return url


def _admin_engine(url: str):
    driver = make_url(url).set(drivername="postgresql+psycopg")
    return create_engine(driver, isolation_level="AUTOCOMMIT")


def fresh_postgres_database() -> Iterator[str]:
    admin_url = postgres_admin_url()
    name = f"perfbot_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A path (SQLite) or a URL (PostgreSQL) of an empty database, once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
    else:
        yield from fresh_postgres_database()
