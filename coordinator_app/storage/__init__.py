"""Storage: the schema as Core tables (``tables``), the ORM mappings onto them (``orm``), the engine, Core
connections and sessions (``database``), the reads on a Core connection (``reads``, their SQL in ``selects``),
repositories and Alembic migrations.

The start reads through ``reads`` on ``Database.connect`` and is ready without ``sqlalchemy.orm`` and ``orm``, which
load with the first session (issue 15); the repositories run the same reads on their session's connection.
The rest of the app sees only ``domain.model`` dataclasses and ``domain.errors``; ORM rows stay in here. Some
modules need no SQLAlchemy (``convert``, ``sqlite_rows``, ``selects_sqlite``, ``quick_read``, ``sqlite_file``): the
first screen is read with them before SQLAlchemy loads, so this package's ``__init__`` imports nothing.
``selects_sqlite`` is generated from ``selects`` (``python -m coordinator_app.storage.sqlite_codegen``).
"""
