"""Check-in of a laptop file (issue 19, ``services.checkin``) on SQLite and PostgreSQL wards: a day's offline work done
through the services arrives with its authors and new ward ids, the laptop's audit lines join the ward's chain and it
verifies; a value both sides changed is a conflict — nothing applied until a person decides, then either side wins;
a second check-in does nothing; a wrong passphrase touches nothing."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers.offline import (
    CONTACT,
    PASSPHRASE,
    Lent,
    as_user,
    assert_everything_arrived,
    laptop_file,
    lend_a_case,
    offline_day,
)
from helpers.tamper import unguarded
from helpers.ward import admit, service_context
from pypdf import PdfReader
from sqlalchemy import select, text

from coordinator_app.domain.access import Role
from coordinator_app.domain.discharge_plans import PlanKind
from coordinator_app.domain.errors import AccessDeniedError, ProcessError, StorageError, WrongPassphraseError
from coordinator_app.domain.meetings import MeetingContent, MeetingTemplate, Occasion
from coordinator_app.domain.model import EventKind
from coordinator_app.domain.offline import LoanState
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.audit import AuditService
from coordinator_app.services.checkin import check_in, delete_laptop_file
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.plans import PlanService
from coordinator_app.storage.database import Database
from coordinator_app.storage.journal import RETURNED_KEY
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.orm import AuditRow, Base, DischargePlanRow, DocumentRow, EventRow, MeetingRow


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, user="koordinator.test")


def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.session() as session:
        return {t.name: [tuple(r) for r in session.execute(select(t))] for t in Base.metadata.sorted_tables}


def _rows(db: Database, stmt: Any) -> list[Any]:
    with db.session() as session:
        return list(session.execute(stmt).all())


def test_a_days_offline_work_arrives_with_its_authors_and_new_ids_and_the_chain_verifies(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    lent = lend_a_case(ctx, tmp_path)
    day = offline_day(ctx, lent)
    result = check_in(ctx, lent.path, PASSPHRASE)
    assert result.merged and not result.conflicts
    assert result.inserted["meetings"] == 1 and result.inserted["documents"] >= 2 and result.updated["contacts"] == 1
    assert result.audit_lines == day["audit"] > 0
    with laptop_file(lent.path) as laptop:
        assert_everything_arrived(laptop, ctx.database, result.id_map)

    meeting_id = int(result.id_map[("meetings", str(day["meeting"].id))])
    (meeting,) = _rows(ctx.database, select(MeetingRow).where(MeetingRow.id == meeting_id))
    assert meeting[0].reference == day["meeting"].reference and meeting[0].created_by == day["user"]
    assert meeting[0].content["texts"] == {"formaal": "Udskrivelse til botilbud"}
    assert meeting[0].status == "afsluttet"
    (plan,) = _rows(
        ctx.database, select(DischargePlanRow).where(DischargePlanRow.patient_id == lent.admitted.patient_id)
    )
    assert plan[0].source_meeting_id == meeting_id and plan[0].created_by == day["user"]  # the reference translated
    referat_id = int(result.id_map[("documents", str(day["referat"].id))])
    (doc,) = _rows(ctx.database, select(DocumentRow).where(DocumentRow.id == referat_id))
    assert doc[0].created_by == day["user"] and day["meeting"].reference in doc[0].title
    events = _rows(ctx.database, select(EventRow).where(EventRow.admission_id == lent.admitted.admission_id))
    kinds = {e[0].kind: e[0].recorded_by for e in events}
    assert kinds[EventKind.NOTE.value] == day["user"] and kinds[EventKind.VARSLING.value] == day["user"]
    assert ContactService(ctx).get(lent.contact.id or 0).phone == "99 88 77 66"

    loan = offline.loan_of(ctx, lent.admitted.patient_id)
    assert loan is None  # handed in: the ward may write to the case again
    AdmissionService(ctx).add_note(lent.admitted.admission_id, "Tilbage på afsnittet")
    verified = AuditService(ctx).verify()
    assert verified.ok
    lines = _rows(ctx.database, select(AuditRow.username, AuditRow.what).order_by(AuditRow.seq))
    marked = [line for line in lines if line.what.startswith("[Offline-kopi på Bærbar 3]")]
    assert len(marked) == day["audit"] and {line.username for line in marked} == {day["user"]}
    assert any("afleveret" in line.what for line in lines)
    with laptop_file(lent.path) as laptop:
        assert laptop.get_meta(RETURNED_KEY)


def test_a_second_check_in_does_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    offline_day(ctx, lent)
    assert check_in(ctx, lent.path, PASSPHRASE).merged
    before = _dump(ctx.database)
    again = check_in(ctx, lent.path, PASSPHRASE)
    assert again.already and not again.merged and not again.inserted
    assert _dump(ctx.database) == before


def test_a_wrong_passphrase_is_refused_and_nothing_is_touched(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    offline_day(ctx, lent)
    before, file_before = _dump(ctx.database), lent.path.read_bytes()
    with pytest.raises(WrongPassphraseError, match=r"Forkert adgangskode til offline-kopien .* Intet er afleveret"):
        check_in(ctx, lent.path, "forkert")
    assert _dump(ctx.database) == before and lent.path.read_bytes() == file_before


def test_only_a_koordinator_or_administrator_checks_in(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    for role in (Role.MOEDELEDER, Role.LAESEADGANG):
        with pytest.raises(AccessDeniedError):
            check_in(as_user(ctx, ctx.database, "nogen", role), lent.path, PASSPHRASE)
    assert offline.loan_of(ctx, lent.admitted.patient_id) is not None


def _edit_phone(ctx: ServiceContext, lent: Lent, phone: str) -> None:
    contacts = ContactService(ctx)
    current = contacts.get(lent.contact.id or 0)
    contacts.update(current.id or 0, dataclasses.replace(CONTACT, phone=phone), current.version or 0)


def _conflicting_phone(ctx: ServiceContext, tmp_path: Path) -> Lent:
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        AdmissionService(mette).add_note(lent.admitted.admission_id, "Notat fra bærbaren")
        _edit_phone(mette, lent, "99 88 77 66")
    _edit_phone(ctx, lent, "55 55 55 55")  # the Kontaktbog is shared: the ward may edit it meanwhile
    return lent


def test_a_value_both_sides_changed_is_a_conflict_and_nothing_is_applied(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = _conflicting_phone(ctx, tmp_path)
    before = _dump(ctx.database)
    result = check_in(ctx, lent.path, PASSPHRASE)
    assert not result.merged and len(result.conflicts) == 1
    (conflict,) = result.conflicts
    assert conflict.label == "Kontaktbog: Aarhus Kommune, telefon"
    assert (conflict.ward_value, conflict.laptop_value) == ("55 55 55 55", "99 88 77 66")
    assert conflict.laptop_by == "Mhansen (mhansen)" and conflict.key == f"contacts:{lent.contact.id}:phone"
    assert "afsnittet «55 55 55 55»" in conflict.describe() and "bærbaren «99 88 77 66»" in conflict.describe()
    assert _dump(ctx.database) == before  # not the note either: all or nothing
    assert offline.loan_of(ctx, lent.admitted.patient_id) is not None
    with laptop_file(lent.path) as laptop:
        assert laptop.get_meta(RETURNED_KEY) is None


@pytest.mark.parametrize(("side", "phone"), [("laptop", "99 88 77 66"), ("ward", "55 55 55 55")])
def test_a_decided_conflict_applies_everything_with_the_chosen_value(
    ctx: ServiceContext, tmp_path: Path, side: str, phone: str
) -> None:
    lent = _conflicting_phone(ctx, tmp_path)
    (conflict,) = check_in(ctx, lent.path, PASSPHRASE).conflicts
    result = check_in(ctx, lent.path, PASSPHRASE, {conflict.key: side})
    assert result.merged and result.decided == 1 and result.inserted["events"] == 1
    assert ContactService(ctx).get(lent.contact.id or 0).phone == phone
    assert AuditService(ctx).verify().ok
    chose, over = ("99 88 77 66", "55 55 55 55") if side == "laptop" else ("55 55 55 55", "99 88 77 66")
    (line,) = [w for (w,) in _rows(ctx.database, select(AuditRow.what)) if w.startswith("Konflikt ved aflevering")]
    assert "Kontaktbog: Aarhus Kommune, telefon: " in line and f"«{chose}» valgt frem for" in line and over in line


def test_after_a_revoked_loan_a_ward_edit_of_the_case_is_a_conflict(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        meetings = MeetingService(as_user(ctx, laptop, "mhansen"))
        on_laptop = meetings.get(lent.meeting_id)
        meetings.update_schedule(lent.meeting_id, _schedule(on_laptop, "Hjemme hos patienten"), expected_version=1)
    admin = as_user(ctx, ctx.database, "a.admin", Role.ADMINISTRATOR)
    offline.revoke(admin, lent.loan.loan_id, "Bærbaren var væk i en uge")
    ward = MeetingService(ctx)
    ward.update_schedule(
        lent.meeting_id, _schedule(ward.get(lent.meeting_id), "Afsnittets mødelokale"), expected_version=1
    )
    result = check_in(ctx, lent.path, PASSPHRASE)
    labels = {c.label: (c.ward_value, c.laptop_value) for c in result.conflicts}
    assert labels == {"Netværksmøde: NM-2026-0001, sted": ("Afsnittets mødelokale", "Hjemme hos patienten")}
    merged = check_in(ctx, lent.path, PASSPHRASE, {c.key: "laptop" for c in result.conflicts})
    assert merged.merged and ward.get(lent.meeting_id).place == "Hjemme hos patienten"
    with ctx.database.session() as session:
        assert LoanRepository(session).get(lent.loan.loan_id).state is LoanState.AFLEVERET


def test_a_conflict_over_a_referat_carries_its_words_whole(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    words = "Bostøtten fortsætter som aftalt med kommunen. " * 4
    with laptop_file(lent.path) as laptop:
        meetings = MeetingService(as_user(ctx, laptop, "mhansen"))
        started = meetings.start(lent.meeting_id, before_planned_day=True)
        content = MeetingContent(texts={"formaal": "Bærbaren: " + words})
        meetings.save_content(lent.meeting_id, content, expected_version=started.version or 0)
    offline.revoke(as_user(ctx, ctx.database, "a.admin", Role.ADMINISTRATOR), lent.loan.loan_id, "Væk en uge")
    ward = MeetingService(ctx)
    started = ward.start(lent.meeting_id, before_planned_day=True)
    ward.save_content(
        lent.meeting_id, MeetingContent(texts={"formaal": "Afsnittet: " + words}), expected_version=started.version or 0
    )
    (conflict,) = check_in(ctx, lent.path, PASSPHRASE).conflicts
    assert conflict.column == "content" and len(conflict.ward_value) == 80 and conflict.ward_value.endswith("…")
    assert conflict.ward_full == "Afsnittet: " + words.strip() and conflict.laptop_full == "Bærbaren: " + words.strip()


def test_a_handed_in_laptop_file_is_deleted_on_request_and_one_not_handed_in_is_refused(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    lent = lend_a_case(ctx, tmp_path)
    offline_day(ctx, lent)
    with pytest.raises(ProcessError, match="ikke afleveret"):
        delete_laptop_file(ctx, lent.path, PASSPHRASE)
    with pytest.raises(WrongPassphraseError, match="Intet er slettet"):
        delete_laptop_file(ctx, lent.path, "forkert")
    reader = as_user(ctx, ctx.database, "l.laeser", Role.LAESEADGANG)
    with pytest.raises(AccessDeniedError):
        delete_laptop_file(reader, lent.path, PASSPHRASE)
    assert lent.path.is_file()
    assert check_in(ctx, lent.path, PASSPHRASE).merged
    removed = delete_laptop_file(ctx, lent.path, PASSPHRASE)
    assert lent.path in removed and not lent.path.exists()
    assert not any(lent.path.parent.glob(lent.path.name + "*")), "no -wal, -shm or -journal left"
    deleted = [w for (w,) in _rows(ctx.database, select(AuditRow.what)) if "slettet efter aflevering" in w]
    assert deleted == [f"Offline-kopien {lent.path.resolve()} fra {lent.loan.laptop} slettet efter aflevering"]


def _schedule(meeting: Any, place: str) -> ScheduleInput:
    return ScheduleInput(
        meeting.patient_id, meeting.admission_id, meeting.occasion, meeting.invited_on, meeting.planned_at, place=place
    )


def test_progress_is_told_row_by_row(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    offline_day(ctx, lent)
    told: list[tuple[int, int]] = []
    result = check_in(ctx, lent.path, PASSPHRASE, progress=lambda done, total: told.append((done, total)))
    total = sum(result.inserted.values()) + sum(result.updated.values())
    assert told and told[-1] == (told[-1][1], told[-1][1]) and told[-1][1] >= total
    assert [done for done, _ in told] == list(range(1, len(told) + 1))


def test_a_laptop_file_whose_audit_log_was_changed_is_refused(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    offline_day(ctx, lent)
    with laptop_file(lent.path) as laptop, unguarded(laptop.engine) as conn:
        conn.execute(text("UPDATE audit_log SET what = 'intet at se her' WHERE seq = 1"))
    before = _dump(ctx.database)
    with pytest.raises(StorageError, match=r"Revisionsloggen i offline-kopien .* er ikke intakt"):
        check_in(ctx, lent.path, PASSPHRASE)
    assert _dump(ctx.database) == before


AMBULANT_CPR = "020290-9908"


def _ambulant_meeting(ctx: ServiceContext, cpr: str, given: str) -> tuple[int, int]:
    """An ambulant patient found or created by CPR and a meeting called by the patient: (patient id, meeting id)."""
    patient = AdmissionService(ctx).find_or_create_patient(cpr, given, "Ambulantsen")
    assert patient.id is not None
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(patient.id, None, Occasion.PATIENT_ELLER_PAAROERENDE, date(2026, 11, 23))
    )
    assert meeting.id is not None
    return patient.id, meeting.id


def test_an_ambulant_patient_made_offline_arrives_or_meets_the_ward_s_own_by_cpr(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        new_patient, new_meeting = _ambulant_meeting(mette, "030390-9907", "Ny")
        same_patient, same_meeting = _ambulant_meeting(mette, AMBULANT_CPR, "Laptop")
    ward_patient, _ = _ambulant_meeting(ctx, AMBULANT_CPR, "Afsnit")  # the ward made the same person meanwhile
    result = check_in(ctx, lent.path, PASSPHRASE)
    assert result.merged and result.inserted["patients"] == 1 and result.inserted["meetings"] == 2
    assert result.id_map[("patients", str(same_patient))] == str(ward_patient)  # one person, the ward's row
    moved = MeetingService(ctx).get(int(result.id_map[("meetings", str(same_meeting))]))
    assert moved.patient_id == ward_patient
    created = MeetingService(ctx).get(int(result.id_map[("meetings", str(new_meeting))]))
    assert created.patient_id == int(result.id_map[("patients", str(new_patient))])
    names = AdmissionService(ctx).patient_names([ward_patient, created.patient_id])
    assert names[ward_patient] == "Afsnit Ambulantsen" and names[created.patient_id] == "Ny Ambulantsen"


def test_plan_versions_saved_on_both_sides_after_a_revoke_are_numbered_on(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path, before=lambda ward, admitted: PlanService(ward).create(admitted.admission_id))
    plan_id = PlanService(ctx).panel(lent.admitted.admission_id).plans[0].id
    assert plan_id is not None
    with laptop_file(lent.path) as laptop:
        _save_plan(as_user(ctx, laptop, "mhansen"), lent.admitted.admission_id, plan_id, "Bærbarens aftale")
    offline.revoke(as_user(ctx, ctx.database, "a.admin", Role.ADMINISTRATOR), lent.loan.loan_id, "Bærbaren var væk")
    _save_plan(ctx, lent.admitted.admission_id, plan_id, "Afsnittets aftale")
    (conflict,) = check_in(ctx, lent.path, PASSPHRASE).conflicts
    assert conflict.label.startswith("Plan: ")
    result = check_in(ctx, lent.path, PASSPHRASE, {conflict.key: "laptop"})
    assert result.merged
    versions = PlanService(ctx).versions(plan_id)
    assert [v.number for v in versions] == [1, 2, 3]


def _save_plan(ctx: ServiceContext, admission_id: int, plan_id: int, wishes: str) -> None:
    plans = PlanService(ctx)
    (plan,) = [p for p in plans.panel(admission_id).plans if p.id == plan_id]
    assert plan.version is not None
    plans.save(plan_id, dataclasses.replace(plan.content, wishes=wishes), expected_version=plan.version)


def test_a_handed_in_laptop_file_refuses_every_write(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    assert check_in(ctx, lent.path, PASSPHRASE).merged
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        before = _dump(laptop)
        with pytest.raises(
            ProcessError, match=r"Offline-kopien blev afleveret 23-11-2026 kl\. 10\.00; det, der skrives"
        ):
            AdmissionService(mette).add_note(lent.admitted.admission_id, "Efter afleveringen")
        meetings = MeetingService(mette)
        with pytest.raises(ProcessError, match="Intet er gemt"):  # the autosave's Core UPDATE too
            meetings.save_content(lent.meeting_id, MeetingContent(texts={"formaal": "x"}), expected_version=1)
        with pytest.raises(ProcessError, match="kommer aldrig med til afsnittet"):
            _edit_phone(mette, lent, "12 34 56 78")
        assert _dump(laptop) == before
        assert MeetingService(mette).get(lent.meeting_id).reference  # reading goes on


def test_a_laptop_edit_of_a_row_the_ward_deleted_is_a_conflict(ctx: ServiceContext, tmp_path: Path) -> None:
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        _edit_phone(as_user(ctx, laptop, "mhansen"), lent, "99 88 77 66")
    with ctx.database.session() as session:  # the program deletes no contact; the database's owner could
        session.execute(text("DELETE FROM contacts WHERE id = :id"), {"id": lent.contact.id})
    (conflict,) = check_in(ctx, lent.path, PASSPHRASE).conflicts
    assert conflict.key == f"contacts:{lent.contact.id}:*"
    assert (conflict.label, conflict.ward_value, conflict.laptop_value) == (
        "Kontaktbog: Aarhus Kommune, rækken",
        "(slettet på afsnittet)",
        "(rettet på bærbaren)",
    )
    assert check_in(ctx, lent.path, PASSPHRASE, {conflict.key: "ward"}).merged


def _without_last_section(meetings: MeetingService) -> MeetingTemplate:
    current = meetings.current_template()
    return meetings.save_template(dataclasses.replace(current, sections=current.sections[:-1]))


def _without_first_section(meetings: MeetingService) -> MeetingTemplate:
    current = meetings.current_template()
    return meetings.save_template(dataclasses.replace(current, sections=current.sections[1:]))


@pytest.mark.parametrize("side", ["laptop", "ward"])
def test_a_meeting_template_saved_on_both_sides_is_a_conflict_over_which_is_current(
    ctx: ServiceContext, tmp_path: Path, side: str
) -> None:
    """Before, the laptop's version took a number the ward had taken too: the check-in failed on the database's rule
    every time. Now it is numbered on after the ward's (the meeting held offline keeps it) and a person chooses."""
    ward = MeetingService(ctx)
    first = ward.current_template()
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        mette = MeetingService(as_user(ctx, laptop, "mhansen"))
        on_laptop = _without_last_section(mette)
        held = mette.schedule(
            ScheduleInput(
                lent.admitted.patient_id, lent.admitted.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23)
            )
        )
        assert held.id is not None and held.template.id == on_laptop.id
    on_ward = _without_first_section(ward)
    assert on_laptop.version == on_ward.version == first.version + 1
    before = _dump(ctx.database)
    (conflict,) = check_in(ctx, lent.path, PASSPHRASE).conflicts
    assert conflict.label == f"Mødeskabelon: {first.name}, afsnit" and conflict.laptop_by == "Mhansen (mhansen)"
    assert conflict.ward_value.startswith(f"version {on_ward.version}: ") and conflict.ward_by == ctx.user
    assert conflict.laptop_value.startswith(f"version {on_laptop.version}: ")
    assert conflict.ward_value != conflict.laptop_value
    assert _dump(ctx.database) == before
    result = check_in(ctx, lent.path, PASSPHRASE, {conflict.key: side})
    assert result.merged and result.decided == 1
    versions = ward.template_versions(first.name)
    arrived = int(result.id_map[("meeting_templates", str(on_laptop.id))])
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))  # numbered on, none lost
    assert {v.id: v.sections for v in versions}[arrived] == on_laptop.sections
    current = ward.current_template()
    assert current.sections == (on_laptop.sections if side == "laptop" else on_ward.sections)
    meeting = ward.get(int(result.id_map[("meetings", str(held.id))]))
    assert meeting.template.id == arrived  # the meeting planned offline keeps the laptop's version


def test_events_made_offline_name_the_ward_ids_of_the_meeting_and_plan_they_belong_to(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    """An invitation, a held meeting and a plan's milestone keep the meeting's or plan's id in their JSON ``data``
    (not a foreign key): after check-in it must be the ward's id of the row made offline, never the file's id —
    which the ward may have given to another patient's meeting or plan meanwhile."""
    lent = lend_a_case(ctx, tmp_path)
    other = admit(ctx, cpr="020290-9908", given_name="Anden")
    for place in ("Mødelokale 1", "Mødelokale 2"):  # the ward's ids move on while the laptop is out
        MeetingService(ctx).schedule(
            ScheduleInput(
                other.patient_id, other.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23), place=place
            )
        )
    PlanService(ctx).create(other.admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    day = offline_day(ctx, lent)
    assert check_in(ctx, lent.path, PASSPHRASE).merged
    reference = day["meeting"].reference
    ((meeting_id,),) = _rows(ctx.database, select(MeetingRow.id).where(MeetingRow.reference == reference))
    ((plan_id,),) = _rows(
        ctx.database, select(DischargePlanRow.id).where(DischargePlanRow.admission_id == lent.admitted.admission_id)
    )
    assert (meeting_id, plan_id) != (day["meeting"].id, day["plan"].id), "the ward's ids moved on"
    data = [
        (kind, d)
        for kind, d in _rows(
            ctx.database,
            select(EventRow.kind, EventRow.data).where(EventRow.admission_id == lent.admitted.admission_id),
        )
        if d
    ]
    of_meeting = {kind for kind, d in data if d.get("reference") == reference and d.get("meeting_id") == meeting_id}
    assert {EventKind.MEETING_INVITED.value, EventKind.MEETING_HELD.value} <= of_meeting
    assert [d["plan_id"] for _kind, d in data if "plan_id" in d] == [plan_id], "the plan's milestone names it"


def test_a_plan_issued_offline_prints_an_id_the_ward_never_gives(ctx: ServiceContext, tmp_path: Path) -> None:
    """The printed plan ID names the plan's id, which a row made offline gets anew at check-in: in a laptop file it
    carries the loan's first six hex digits, as an offline meeting's reference does, and the archive keeps it."""
    lent = lend_a_case(ctx, tmp_path)
    day = offline_day(ctx, lent)
    assert check_in(ctx, lent.path, PASSPHRASE).merged
    ((document_id,),) = _rows(
        ctx.database,
        select(DischargePlanRow.document_id).where(DischargePlanRow.admission_id == lent.admitted.admission_id),
    )
    pdf = DocumentService(ctx).content(document_id)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    loan = lent.loan.loan_id[:6].upper()
    assert f"Dokument-ID: UP-{lent.admitted.admission_id}-{loan}-{day['plan'].id}-1" in text
