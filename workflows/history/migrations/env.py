"""Alembic's environment: always online, on the connection `workflows.history.migrate` hands in.

There is no alembic.ini: the store's URL is the bot's setting (or the local run's file), so
the caller opens the connection and this only runs the migrations on it.
"""

from __future__ import annotations

from alembic import context

from workflows.history.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
