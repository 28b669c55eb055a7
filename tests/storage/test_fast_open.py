"""Opening a database that is already at the newest schema reads one table and never imports Alembic (a cold
start cost, issue 7); the file-name head used for that equals Alembic's own head."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from coordinator_app.storage.database import open_database
from coordinator_app.storage.migrate import file_head, head_revision


def test_the_file_name_head_is_alembics_head() -> None:
    assert file_head() == head_revision()


def test_an_up_to_date_database_opens_without_alembic(tmp_path: Path) -> None:
    path = tmp_path / "afsnit.db"
    open_database(f"sqlite:///{path}").dispose()  # created and migrated (Alembic runs here)
    code = (
        "import sys\n"
        "from coordinator_app.storage.database import open_database\n"
        f"db = open_database({str(path)!r})\n"
        "db.dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"


def test_an_old_database_is_still_migrated(tmp_path: Path) -> None:
    from sqlalchemy import text

    path = tmp_path / "gammel.db"
    db = open_database(f"sqlite:///{path}")
    with db.engine.begin() as conn:  # pretend it was made by an older Koordinator: one revision behind
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.dispose()
    from coordinator_app.storage.migrate import _already_at_head

    db = open_database(f"sqlite:///{path}", migrate=False)
    assert not _already_at_head(db.engine)
    db.dispose()
