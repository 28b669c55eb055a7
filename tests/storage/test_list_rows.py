"""The patient list query: the right rows, the right columns, fast."""

from __future__ import annotations

from datetime import date

from storage_data import ALL_FLAGS, KOMMUNER, admission, patient, synthetic_ward

from coordinator_app.domain.model import AdmissionFlags
from coordinator_app.storage.database import Database
from coordinator_app.storage.reads import list_rows
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    ListRow,
    PatientRepository,
    bulk_load,
)


def test_list_shows_current_admissions_and_discharged_on_request(seeded: Database) -> None:
    with seeded.session() as session:
        patients = PatientRepository(session)
        admissions = AdmissionRepository(session)
        p1 = patients.add(patient("0101901234", replacement_cpr=True))
        p2 = patients.add(patient("0202902345", given_name="Bo", family_name="Ek"))
        assert p1.id is not None and p2.id is not None
        old = admissions.add(admission(p1.id, admitted=date(2026, 3, 1), discharged=date(2026, 3, 20)))
        current = admissions.add(
            admission(
                p1.id,
                bopaelskommune="147",
                opholdskommune="101",
                involuntary=True,
                scenario=3,
                expected_faerdigbehandlet=date(2026, 12, 1),
                flags=ALL_FLAGS,
                demo=True,
            )
        )
        other = admissions.add(admission(p2.id, bopaelskommune="751"))
    with seeded.session() as session:
        now = list_rows(session.connection(), include_discharged=False)
        everything = list_rows(session.connection(), include_discharged=True)
    assert [r.admission_id for r in now] == [current.id, other.id]
    assert [r.admission_id for r in everything] == [old.id, current.id, other.id]
    assert now[0] == ListRow(
        admission_id=current.id or 0,
        patient_id=p1.id,
        given_name="Åse",
        family_name="Ørsted-Æbelø",
        cpr="0101901234",
        replacement_cpr=True,
        center="Psykiatrisk Center København",
        ward="Afsnit 7",
        bopaelskommune_code="147",
        bopaelskommune_name="Frederiksberg",
        opholdskommune="101",
        handlekommune=None,
        admitted=date(2026, 11, 2),
        discharged=None,
        scenario=3,
        expected_faerdigbehandlet=date(2026, 12, 1),
        involuntary=True,
        demo=True,
        homeless=True,
        botilbud=True,
        misbrug=True,
        retslig_foranstaltning=True,
        children=True,
        lab_par6=True,
        wants_to_leave=True,
        multiple_antipsychotics=True,
    )
    assert now[0].flags == ALL_FLAGS
    assert now[1].flags == AdmissionFlags()
    assert (now[1].name, now[1].bopaelskommune_name) == ("Bo Ek", "Aarhus")
    assert everything[0].discharged == date(2026, 3, 20)


def test_ten_thousand_rows_read_back_current_and_discharged(database: Database) -> None:
    """Speed is a benchmark (``make bench``, section ``query``), not an assertion: here, what comes back."""
    patients, admissions, _ = synthetic_ward(10_000, 0, discharged_every=10)
    with database.session() as session:
        bulk_load(session, kommuner=KOMMUNER, patients=patients, admissions=admissions)
    with database.session() as session:
        rows = list_rows(session.connection(), include_discharged=True)
        current = list_rows(session.connection(), include_discharged=False)
    assert len(rows) == 10_000 and len(current) == 9_000
    assert {r.admission_id for r in rows} == {a.id for a in admissions}
    assert all(r.discharged is None for r in current)
