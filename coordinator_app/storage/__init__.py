"""Storage: SQLAlchemy mappings (``orm``), the engine and sessions (``database``), repositories and Alembic
migrations.

The rest of the app sees only ``domain.model`` dataclasses and ``domain.errors``; ORM rows stay in here. Some
modules need no SQLAlchemy (``convert``, ``sqlite_rows``, ``selects_sqlite``, ``quick_read``, ``sqlite_file``): the
first screen is read with them before SQLAlchemy loads, so this package's ``__init__`` imports nothing.
``selects_sqlite`` is generated from ``selects`` (``python -m coordinator_app.storage.sqlite_codegen``).
"""
