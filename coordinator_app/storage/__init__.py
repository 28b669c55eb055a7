"""Storage: SQLAlchemy mappings, the engine and sessions, repositories and Alembic migrations.

The rest of the app sees only ``model`` dataclasses and ``errors``; ORM rows stay in here.
"""

from coordinator_app.storage.database import Database, default_database_url, open_database
from coordinator_app.storage.failures import ConflictError

__all__ = ["ConflictError", "Database", "default_database_url", "open_database"]
