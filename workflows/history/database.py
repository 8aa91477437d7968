"""Opening the history's database from what a user gives: a file path or a database URL.

A path (or `sqlite:///...`) is SQLite: zero set-up, what `perfbot run --local --record` and the
demo use. `postgresql://...` is the cluster's shared database (psycopg 3 is the driver, so the
plain URL an operator copies from a managed service works as it is).

Opening migrates to the newest schema (Alembic), under a lock, because every gunicorn worker
of every replica opens the store when it starts: two bots starting together must not both
create the tables. PostgreSQL has advisory locks for this; SQLite gets a lock file beside the
database.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

MIGRATIONS = Path(__file__).parent / "migrations"
ADVISORY_LOCK = 0x70657266  # "perf": one lock id for every perfbot migrating this database
SQLITE_BUSY_MS = 10_000
UNSUPPORTED = "the history store is SQLite (a file path) or PostgreSQL (postgresql://...), not {}"
BAD_URL = "the history store's URL is not valid: {}"


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message names the database without password."""


def url_for(target: str) -> str:
    """A SQLAlchemy URL for a path or a URL; raises StoreError for any other database."""
    if "://" not in target:
        return "sqlite:///" + str(Path(target).expanduser())
    try:
        url = make_url(target)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(BAD_URL.format(exc)) from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return target
    raise StoreError(UNSUPPORTED.format(backend))


def shown(target: str) -> str:
    """The target as it may appear in a message or a log: never with its password."""
    if "://" not in target:
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def open_engine(target: str) -> Engine:
    url = url_for(target)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(BAD_URL.format(exc)) from None
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # the benchmarks of a replaced run go with it
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (the dashboard) never block a writer
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema; safe to call from many processes at once."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _migration_lock(engine), engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate {shown(str(engine.url))}: {exc.orig or exc}") from None


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database + ".migrate-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
