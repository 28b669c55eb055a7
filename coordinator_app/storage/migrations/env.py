"""Alembic environment: run by ``storage.migrate`` at every open, and by developers via ``alembic -c``.

The app passes its own connection in ``config.attributes["connection"]`` (already inside one
transaction, so a failed migration leaves the database as it was). Developers pass ``-x url=…``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from coordinator_app.storage.orm import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: later revisions use op.batch_alter_table.
        render_as_batch=connection.dialect.name == "sqlite",
        # Our SQLite connections run real transactions (see database.py), so DDL rolls back too.
        transactional_ddl=True,
        compare_type=True,
    )


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Angiv databasen: alembic -c … -x url=sqlite:///sti/til/koordinator.db …")
    return url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url(), poolclass=NullPool)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
