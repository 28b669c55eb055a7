"""The contact directory in storage (migration 0004) and the kommuner's F3 entrance — both backends."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from helpers.databases import migrate_to, revision_and_tables
from storage_data import MOMENT

from coordinator_app.domain.errors import ConflictError, NotFoundError
from coordinator_app.domain.model import Contact, Sector
from coordinator_app.storage import migrate
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.repositories import ContactRepository, KommuneRepository, clear_all, reset_sequences

KIM = Contact(
    id=None,
    name="Kim Kommune",
    organisation="Københavns Kommune, Socialforvaltningen",
    sector=Sector.KOMMUNE,
    role="sagsbehandler",
    phone="+45 12 34 56 71",
    email="kim@kk.example.dk",
    kommune_code="101",
    note="Træffes bedst om formiddagen – «æøå»",
)


def test_a_contact_round_trips_with_every_field(seeded: Database) -> None:
    with seeded.session() as session:
        added = ContactRepository(session).add(KIM, at=MOMENT)
    assert added.id is not None and added.version == 1
    assert added.created_at == added.updated_at == MOMENT
    with seeded.session() as session:
        got = ContactRepository(session).get(added.id)
    assert got == added
    assert dataclasses.replace(got, id=None, created_at=None, updated_at=None, version=None) == KIM
    assert got.sector is Sector.KOMMUNE


def test_update_bumps_the_version_and_a_stale_version_is_a_conflict(seeded: Database) -> None:
    with seeded.session() as session:
        added = ContactRepository(session).add(KIM, at=MOMENT)
    later = MOMENT + timedelta(hours=1)
    with seeded.session() as session:
        updated = ContactRepository(session).update(dataclasses.replace(added, phone="33 33 33 33"), at=later)
    assert updated.version == 2 and updated.updated_at == later and updated.created_at == MOMENT
    with pytest.raises(ConflictError), seeded.session() as session:
        ContactRepository(session).update(dataclasses.replace(added, role="leder"), at=later)  # version 1: stale
    with seeded.session() as session:
        assert ContactRepository(session).get(added.id or 0).phone == "33 33 33 33"


def test_a_concurrent_edit_between_read_and_write_is_a_conflict(seeded: Database) -> None:
    with seeded.session() as session:
        added = ContactRepository(session).add(KIM, at=MOMENT)
    assert added.id is not None
    with pytest.raises(ConflictError), seeded.session() as mine:
        repo = ContactRepository(mine)
        read = repo.get(added.id)
        mine.commit()  # my read is done; the row stays in my session at version 1
        with seeded.session() as theirs:
            ContactRepository(theirs).update(dataclasses.replace(added, role="teamleder"), at=MOMENT)
        repo.update(dataclasses.replace(read, role="koordinator"), at=MOMENT)
    with seeded.session() as session:
        assert ContactRepository(session).get(added.id).role == "teamleder"


def test_inactive_contacts_are_kept_but_listed_only_when_asked(seeded: Database) -> None:
    with seeded.session() as session:
        repo = ContactRepository(session)
        kim = repo.add(KIM, at=MOMENT)
        rikke = repo.add(Contact(None, "Rikke Region", "PC København", Sector.REGION, role="overlæge"), at=MOMENT)
        repo.update(dataclasses.replace(kim, active=False), at=MOMENT)
    with seeded.session() as session:
        repo = ContactRepository(session)
        assert [c.name for c in repo.all()] == ["Rikke Region"]
        everyone = repo.all(include_inactive=True)
    assert [(c.name, c.active) for c in everyone] == [("Kim Kommune", False), ("Rikke Region", True)]
    assert rikke.kommune_code is None and rikke.email == ""


def test_a_missing_contact_is_not_found(seeded: Database) -> None:
    with pytest.raises(NotFoundError, match="kontaktbogen"), seeded.session() as session:
        ContactRepository(session).get(999)


def test_the_kommune_entrance_is_set_and_cleared(seeded: Database) -> None:
    with seeded.session() as session:
        got = KommuneRepository(session).set_secure_mail("101", "  sikkerpost@kk.example.dk ")
    assert got.secure_mail == "sikkerpost@kk.example.dk"
    with seeded.session() as session:
        repo = KommuneRepository(session)
        found = repo.get("101")
        assert found is not None and found.secure_mail == "sikkerpost@kk.example.dk"
        assert repo.set_secure_mail("101", "").secure_mail is None
    with pytest.raises(NotFoundError), seeded.session() as session:
        KommuneRepository(session).set_secure_mail("999", "x@y.example.dk")


def test_clear_all_keeps_the_directory_and_ids_continue(seeded: Database) -> None:
    with seeded.session() as session:
        first = ContactRepository(session).add(KIM, at=MOMENT)
    with seeded.session() as session:
        clear_all(session)
        reset_sequences(session)
    with seeded.session() as session:
        repo = ContactRepository(session)
        assert repo.all() == [first]
        second = repo.add(dataclasses.replace(KIM, name="Kaj Kommune"), at=MOMENT)
    assert (second.id or 0) > (first.id or 0)


def test_a_0003_database_is_upgraded_to_0004_and_back(empty_db_url: str) -> None:
    from sqlalchemy import inspect

    migrate_to(empty_db_url, "0003")
    db = open_database(empty_db_url)  # the new Koordinator opens it
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            assert "contacts" in inspect(conn).get_table_names()
        with db.session() as session:
            added = ContactRepository(session).add(dataclasses.replace(KIM, kommune_code=None), at=MOMENT)
        with db.session() as session:
            assert ContactRepository(session).all() == [added]
    finally:
        db.dispose()
    migrate_to(empty_db_url, "0003", down=True)
    assert "contacts" not in revision_and_tables(empty_db_url)[1]
