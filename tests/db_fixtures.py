"""Database fixtures for every test: fresh SQLite files and a throwaway PostgreSQL cluster.

* ``sqlite_url`` – a fresh, migrated SQLite file per test: migrated once into a template and copied
  (Anki's ``getEmptyCol`` pattern).
* ``pg_cluster`` – one throwaway PostgreSQL cluster per test session (initdb as ``postgres`` when we
  are root, loopback only, ``fsync=off``), stopped at the end. Missing binaries FAIL the test with a
  pointer to ``scripts/setup.sh``; they never skip.
* ``pg_url`` – a fresh database per test, ``CREATE DATABASE … TEMPLATE`` of a migrated template.
* ``db_url`` – parametrised ``sqlite`` / ``postgresql`` (the latter marked ``postgres``), so a storage
  test written once runs on both backends; ``database`` – an opened ``Database`` on it.

``-m "not postgres"`` runs without ever starting PostgreSQL.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from coordinator_app.storage.database import Database

__all__ = [
    "DEMO_MOMENT",
    "TEST_PASSPHRASE",
    "PgCluster",
    "database",
    "db_url",
    "demo_db_path",
    "demo_db_template",
    "encrypted_path",
    "encrypted_template",
    "pg_cluster",
    "pg_url",
    "sqlite_template",
    "sqlite_url",
]

PG_USER = "app"
PG_TEMPLATE_DB = "koordinator_template"
#: Short waits in tests that provoke "database is locked" (production default is 5 s).
TEST_BUSY_TIMEOUT = 0.2
#: The synthetic passphrase of the encrypted test databases (never a real one).
TEST_PASSPHRASE = "Testkode æøå 'med' \"citat\" 2026"


def _pg_bin_dir() -> Path:
    override = os.environ.get("KOORDINATOR_PG_BIN")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").is_file():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pytest.fail(
        "PostgreSQL findes ikke på denne maskine (initdb mangler), så databasetestene mod PostgreSQL kan "
        "ikke køre. Kør scripts/setup.sh (installerer pakken postgresql), eller sæt KOORDINATOR_PG_BIN.",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    bin_dir: Path
    base: Path
    port: int
    host: str = "127.0.0.1"
    user: str = PG_USER

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.base / "postgres.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"{' '.join(args)} fejlede:\n{result.stdout}\n{result.stderr}\n{tail}", pytrace=False)

    def start(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", self.user, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses={self.host} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.base / "postgres.log"),
            "-w", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) on the maintenance database."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster for the whole test session, with a migrated template database."""
    from coordinator_app.storage.database import open_database

    bin_dir = _pg_bin_dir()
    base = Path(tempfile.mkdtemp(prefix="koordinator-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    cluster = PgCluster(bin_dir=bin_dir, base=base, port=_free_port())
    try:
        cluster.start()
        cluster.admin(f"CREATE DATABASE {PG_TEMPLATE_DB}")
        open_database(cluster.url(PG_TEMPLATE_DB)).dispose()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


_db_numbers = itertools.count(1)


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test (dropped afterwards)."""
    name = f"test_{os.getpid()}_{next(_db_numbers)}"
    pg_cluster.admin(f"CREATE DATABASE {name} TEMPLATE {PG_TEMPLATE_DB}")
    yield pg_cluster.url(name)
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated to head once per session."""
    from coordinator_app.storage.database import open_database

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    open_database(path).dispose()  # the last connection checkpoints and removes the -wal file
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite file for one test."""
    path = tmp_path / "koordinator.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def encrypted_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLCipher database (``TEST_PASSPHRASE``) migrated to head once per session."""
    from coordinator_app.storage.database import open_database

    path = tmp_path_factory.mktemp("encrypted-template") / "template.db"
    open_database(path, passphrase=TEST_PASSPHRASE).dispose()
    return path


@pytest.fixture
def encrypted_path(encrypted_template: Path, tmp_path: Path) -> Path:
    """A fresh, migrated encrypted database file for one test (an encrypted file copies like any other)."""
    path = tmp_path / "koordinator.db"
    shutil.copyfile(encrypted_template, path)
    return path


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An opened ``Database`` on ``db_url`` (both backends), disposed after the test."""
    from coordinator_app.storage.database import open_database

    db = open_database(db_url)
    yield db
    db.dispose()


#: Monday 23 November 2026, 10:00 in Copenhagen — the demo ward is generated as of this day.
DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the demo ward once per session; tests copy the file (Anki's getEmptyCol pattern)."""
    from coordinator_app.services.context import ServiceContext, fixed_clock
    from coordinator_app.services.setup import ensure_reference_data, load_demo_ward
    from coordinator_app.storage.database import open_database

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    db = open_database(f"sqlite:///{path}")
    ctx = ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT))
    ensure_reference_data(ctx)
    load_demo_ward(ctx)
    db.dispose()
    return path


@pytest.fixture
def demo_db_path(demo_db_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_db_template, target)
    return target
