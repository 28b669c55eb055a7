"""What the app's offline screens read (issue 19, ``services.offline``), on SQLite and PostgreSQL: «Tag med offline…»
offers the current admissions and the ambulant patients with a planned meeting, each marked when lent
(``lendable``); «Udlånte sager…» lists the loans out with their patients, overdue marked (``loans_listed``); a laptop
file knows it is one (``offline_copy_info``, the banner) and refuses to lend further, with nothing written."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from helpers.ward import NOW, Admitted, admit, discharge, service_context

from coordinator_app.domain.errors import ProcessError
from coordinator_app.domain.meetings import Occasion
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.database import Database, open_database

PASSPHRASE = "Bærbar-3-offline"
TODAY = NOW.date()


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, user="koordinator.test")


@pytest.fixture
def ward(ctx: ServiceContext) -> tuple[Admitted, Admitted, int]:
    """Testa (admitted), Anden (admitted, then discharged) and Ambu (ambulant, a planned meeting)."""
    current = admit(ctx)
    gone = admit(ctx, cpr="020290-9908", given_name="Anden", family_name="Udskrevsen")
    discharge(ctx, gone, without_plan_reason="Ingen plan krævet", note="Hjem")
    ambulant = AdmissionService(ctx).find_or_create_patient("030390-9917", "Ambu", "Lantsen")
    assert ambulant.id is not None
    planned = datetime(2026, 11, 27, 10, tzinfo=COPENHAGEN)
    MeetingService(ctx).schedule(
        ScheduleInput(ambulant.id, None, Occasion.PATIENT_ELLER_PAAROERENDE, TODAY, planned, place="Ambulatoriet")
    )
    return current, gone, ambulant.id


def test_the_dialog_offers_current_admissions_and_ambulant_patients_with_a_planned_meeting(
    ctx: ServiceContext, ward: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    current, gone, ambulant = ward
    cases = offline.lendable(ctx)
    assert [(c.patient_id, c.admission_id) for c in cases] == [
        (ambulant, None),
        (current.patient_id, current.admission_id),
    ]
    assert cases[0].what == "Ambulant, møde planlagt 27-11-2026" and cases[0].name == "Ambu Lantsen"
    assert cases[1].what.startswith("Indlagt ") and all(c.lent is None for c in cases)
    assert gone.patient_id not in {c.patient_id for c in cases}, "a discharged admission is not offered"

    offline.check_out(ctx, [], tmp_path / "a.db", PASSPHRASE, laptop="Bærbar 3", patient_ids=[ambulant])
    marked = {c.patient_id: c.lent for c in offline.lendable(ctx)}
    assert (marked[ambulant] or "").startswith("Udlånt til Bærbar 3 af ")
    assert marked[current.patient_id] is None


def test_the_loans_out_are_listed_with_their_patients_and_the_overdue_marked(
    ctx: ServiceContext, ward: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    current, _gone, ambulant = ward
    late = TODAY - timedelta(days=1)
    offline.check_out(
        ctx, [current.admission_id], tmp_path / "a.db", PASSPHRASE, laptop="Bærbar 1", expected_return=late
    )
    offline.check_out(
        ctx, [], tmp_path / "b.db", PASSPHRASE, laptop="Bærbar 2", patient_ids=[ambulant], expected_return=TODAY
    )
    listed = offline.loans_listed(ctx)
    assert [(e.loan.laptop, e.overdue) for e in listed] == [("Bærbar 1", True), ("Bærbar 2", False)]
    assert listed[0].patients == ("Testa Fiktivsen (010190-xxxx)",)
    assert listed[1].patients == ("Ambu Lantsen (030390-xxxx)",)
    offline.revoke(ctx, listed[0].loan.loan_id, "bærbaren er bortkommet")
    assert [e.loan.laptop for e in offline.loans_listed(ctx)] == ["Bærbar 2"]


def test_a_laptop_file_knows_it_is_one_and_lends_nothing_further(
    ctx: ServiceContext, ward: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    current, _gone, _ambulant = ward
    assert offline.offline_copy_info(ctx) is None, "the ward's database is no offline copy"
    path = tmp_path / "laptop.db"
    back = date(2026, 11, 30)
    result = offline.check_out(ctx, [current.admission_id], path, PASSPHRASE, laptop="Bærbar 3", expected_return=back)
    laptop_db = open_database(path, passphrase=PASSPHRASE, must_exist=True)
    try:
        laptop = service_context(laptop_db, user="koordinator.test", reference_data=False)
        info = offline.offline_copy_info(laptop)
        assert info is not None
        assert (info.loan_id, info.laptop, info.lent_by) == (result.loan.loan_id, "Bærbar 3", result.loan.lent_by)
        assert (info.since, info.expected) == ("23-11-2026", "30-11-2026")
        assert info.lent_at == result.loan.lent_at and info.source == ctx.database.where
        further = tmp_path / "further.db"
        with pytest.raises(ProcessError, match="Denne database er en offline-kopi"):
            offline.check_out(laptop, [current.admission_id], further, PASSPHRASE, laptop="Bærbar 4")
        assert not further.exists()
        assert offline.loans_out(laptop) == []
    finally:
        laptop_db.dispose()


@pytest.mark.parametrize(
    ("patients", "shown"),
    [
        ((), ""),
        (("Laura Madsen",), "Laura Madsen"),
        (("Laura Madsen", "Omar Bech"), "Laura Madsen og Omar Bech"),
        (("A A", "B B", "C C", "D D"), "A A, B B, C C og D D"),
        (("A A", "B B", "C C", "D D", "E E"), "A A, B B, C C og 2 andre"),
    ],
)
def test_the_banner_names_what_is_out_and_shortens_a_long_list(patients: tuple[str, ...], shown: str) -> None:
    info = offline.OfflineCopyInfo("id", "Bærbar 3", "mhansen", None, "", None, patients=patients)
    assert info.cases == shown
