"""Alembic environment: runs on the connection the store hands over, or on the URL of alembic.ini.

``Store.open`` runs ``upgrade head`` programmatically and passes its own connection in
``config.attributes["connection"]``; the ``alembic`` command line (for writing a new revision) uses
``sqlalchemy.url`` from ``alembic.ini`` in this folder or ``-x url=...``.
"""

from alembic import context
from sqlalchemy import create_engine

from sotedata.store.db import metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode lets later revisions stay portable
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
