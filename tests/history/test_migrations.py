"""The migrations are the schema: they build what `tables` describes, on both backends, and
running them again (a second replica, a restart) changes nothing."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from workflows.history import Store, StoreError
from workflows.history.database import open_engine, shown, url_for
from workflows.history.tables import metadata


def test_the_migrated_database_matches_the_tables(store_target: str) -> None:
    store = Store.open(store_target)
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    store.close()
    assert differences == []


def test_opening_a_migrated_store_again_keeps_its_runs(store_target: str) -> None:
    from tests.history.builders import comparison, payload
    from workflows.history.sources import from_callback

    first = Store.open(store_target)
    report, _, _ = comparison({"x": 1.0}, {"x": 1.0})
    first.record(from_callback(payload(report)))
    first.close()

    again = Store.open(store_target)
    assert len(again.runs()) == 1
    again.close()


def test_stores_opened_at_once_migrate_the_database_once(store_target: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            Store.open(store_target).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine = open_engine(store_target)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert errors == []
    assert {"runs", "benchmarks", "samples", "alembic_version"} <= tables


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("mysql://user:pw@db/perf", "not mysql"),
        ("://no-scheme", "not valid"),
        ("postgresql://user:pw@db:port/perf", "not valid"),
    ],
)
def test_a_database_other_than_sqlite_or_postgresql_is_refused(target: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        url_for(target)


def test_a_shown_url_never_carries_its_password() -> None:
    assert "s3cret" not in shown("postgresql://perfbot:s3cret@db:5432/perfbot")


def test_an_unreachable_server_is_a_store_error_without_its_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://perfbot:s3cret@127.0.0.1:1/perfbot?connect_timeout=2")
    assert "s3cret" not in str(caught.value)
