"""The workstation's database choice and the connection test (issue 9): forbindelse.json is private and written
whole, never holds the local adgangskode; the PostgreSQL test says in Danish what is wrong — against the real test
server."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pg_roles
import pytest
from argon2 import PasswordHasher
from memory_keyring import *  # noqa: F403 (the fixtures)
from pg_roles import *  # noqa: F403 (the fixtures)
from sqlalchemy import make_url

from coordinator_app.domain.errors import KoordinatorError, StorageError, ValidationError
from coordinator_app.services import connection
from coordinator_app.services.first_run import (
    AdminInput,
    SharedTarget,
    WardInput,
    create_workstation,
)
from coordinator_app.services.users import UserService

pytestmark = pytest.mark.postgres
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_a_local_choice_is_saved_privately_and_without_the_adgangskode(tmp_path: Path, memory_keyring) -> None:
    path = tmp_path / "cfg" / connection.CONFIG_NAME
    chosen = connection.ConnectionConfig(connection.LOCAL, path=tmp_path / "afsnit.db", remember_passphrase=True)
    connection.save_config(chosen, path=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"version": 1, "mode": "lokal", "path": str(tmp_path / "afsnit.db"),
                                            "nøglering": True}  # fmt: skip
    assert connection.load_config(path) == chosen
    assert [p.name for p in path.parent.iterdir()] == [connection.CONFIG_NAME]  # no temporary file left


def test_the_shared_password_goes_to_the_keyring_when_there_is_one(tmp_path: Path, memory_keyring) -> None:
    path = tmp_path / connection.CONFIG_NAME
    given = "postgresql+psycopg://koordinator:hemmelig%2F1@db.example.dk:5432/koordinator"
    saved = connection.save_config(connection.ConnectionConfig(connection.SHARED, url=given), path=path)
    assert "hemmelig" not in path.read_text()
    bare = "postgresql+psycopg://koordinator@db.example.dk:5432/koordinator"
    assert memory_keyring.entries == {(connection.KEYRING_SERVICE, bare): "hemmelig/1"}
    loaded = connection.load_config(path)
    assert loaded == saved and loaded is not None and loaded.database_url() == given


def test_without_a_keyring_the_shared_password_stays_in_the_private_file(tmp_path: Path, no_keyring) -> None:
    path = tmp_path / connection.CONFIG_NAME
    given = "postgresql+psycopg://koordinator:hemmelig@db.example.dk:5432/koordinator"
    connection.save_config(connection.ConnectionConfig(connection.SHARED, url=given), path=path)
    data = json.loads(path.read_text())
    assert (data["url"], data["adgangskode_i"], data["adgangskode"]) == (
        "postgresql+psycopg://koordinator@db.example.dk:5432/koordinator", "fil", "hemmelig")  # fmt: skip
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = connection.load_config(path)
    assert loaded is not None and loaded.database_url() == given


def test_a_damaged_choice_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / connection.CONFIG_NAME
    assert connection.load_config(path) is None
    path.write_text("{ikke json")
    with pytest.raises(StorageError, match="Slet filen"):
        connection.load_config(path)


def test_keyring_without_a_backend_is_unusable_and_says_why(no_keyring) -> None:
    usable, why = connection.keyring_status()
    assert not usable and "ingen nøglering" in why


def test_the_fields_make_an_address_and_a_bad_one_names_its_field() -> None:
    made = connection.shared_url("db.example.dk", 5433, "koordinator", "anne", "a b@c")
    parsed = make_url(made)
    assert (parsed.drivername, parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == (
        "postgresql+psycopg", "anne", "a b@c", "db.example.dk", 5433, "koordinator")  # fmt: skip
    with pytest.raises(ValidationError) as missing:
        connection.shared_url("", 5432, "koordinator", "anne")
    assert missing.value.field == "host"
    with pytest.raises(ValidationError, match="postgresql://"):
        connection.parse_shared_url("mysql://x@y/z")


def test_a_koordinator_database_connects(pg_url: str) -> None:
    assert connection.check_connection(pg_url) == connection.ConnectionStatus(has_users=False)


def test_unreachable_server_wrong_password_and_missing_database_are_told_in_danish(empty_pg_database) -> None:
    cluster, name = empty_pg_database
    problems = {}
    for case, address in {
        "port": pg_roles.url(cluster, name, port=1),
        "password": pg_roles.url(cluster, name, password="forkert"),
        "database": pg_roles.url(cluster, "findes_ikke"),
    }.items():
        with pytest.raises(connection.ConnectionProblem) as caught:
            connection.check_connection(address)
        problems[case] = caught.value
    assert problems["port"].kind == "unreachable" and "svarer ikke" in problems["port"].message
    assert problems["password"].kind == "login" and f"«{pg_roles.ROLE}»" in problems["password"].message
    assert "forkert" not in problems["password"].message  # never the password itself
    assert problems["database"].kind == "missing" and "«findes_ikke» findes ikke" in problems["database"].message


def test_an_empty_database_offers_to_create_the_tables(empty_pg_database) -> None:
    cluster, name = empty_pg_database
    with pytest.raises(connection.EmptyDatabaseError) as caught:
        connection.check_connection(pg_roles.url(cluster, name))
    assert caught.value.can_create and "tom" in caught.value.message


def test_a_database_with_other_data_is_not_ours(empty_pg_database) -> None:
    cluster, name = empty_pg_database
    import psycopg

    with psycopg.connect(host=cluster.host, port=cluster.port, user=cluster.user, dbname=name, autocommit=True) as c:
        c.execute("CREATE TABLE regnskab (id int)")
    with pytest.raises(connection.ConnectionProblem) as caught:
        connection.check_connection(pg_roles.url(cluster, name))
    assert caught.value.kind == "foreign" and not isinstance(caught.value, connection.EmptyDatabaseError)


def test_a_failed_first_run_leaves_the_shared_database_empty(empty_pg_database, tmp_path, monkeypatch) -> None:
    cluster, name = empty_pg_database
    from coordinator_app.services import first_run

    def disk_full(*_args, **_kwargs):
        raise StorageError("Disken er fuld.")

    monkeypatch.setattr(first_run, "add_ward", disk_full)
    config = tmp_path / connection.CONFIG_NAME
    with pytest.raises(KoordinatorError, match="Intet er oprettet"):
        create_workstation(
            SharedTarget(pg_roles.url(cluster, name)),
            AdminInput("anne", "Anne Admin", "en god sætning"),
            WardInput("Psykiatrisk Center Test", "Afsnit 1", ("101",)),
            config_file=config,
            users=lambda ctx: UserService(ctx, hasher=FAST),
        )
    with pytest.raises(connection.EmptyDatabaseError):
        connection.check_connection(pg_roles.url(cluster, name))
    assert not config.exists()
