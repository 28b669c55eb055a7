"""A PostgreSQL role that must give its password (the test cluster trusts everyone else): for the "wrong
password" cases of the connection test (issue 9). Adds one ``pg_hba.conf`` line for this role only."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from db_fixtures import PgCluster

__all__ = ["PASSWORD", "ROLE", "empty_pg_database", "url"]

ROLE = "koordinator_pw"
PASSWORD = "rigtig-adgangskode-2026"
_numbers = itertools.count(1)


def _ensure_role(cluster: PgCluster) -> None:
    hba = cluster.data_dir / "pg_hba.conf"
    rule = f"host all {ROLE} 127.0.0.1/32 scram-sha-256\n"
    text = hba.read_text()
    if rule not in text:
        hba.write_text(rule + text)  # first matching line wins: only this role needs a password
        cluster.admin(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
            f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'; END IF; END $$"
        )
        cluster.admin("SELECT pg_reload_conf()")


@pytest.fixture
def empty_pg_database(pg_cluster: PgCluster) -> Iterator[tuple[PgCluster, str]]:
    """A new, empty database owned by the password role; (cluster, name). Dropped afterwards."""
    _ensure_role(pg_cluster)
    name = f"tom_{os.getpid()}_{next(_numbers)}"
    pg_cluster.admin(f"CREATE DATABASE {name} OWNER {ROLE}")
    yield pg_cluster, name
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def url(cluster: PgCluster, database: str, password: str = PASSWORD, port: int | None = None) -> str:
    return f"postgresql+psycopg://{ROLE}:{password}@{cluster.host}:{port or cluster.port}/{database}"
