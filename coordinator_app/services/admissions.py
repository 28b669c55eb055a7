"""Operations on patients and admissions: the patient list, details, create and edit.

Writes return a small ``Changes`` value (as Anki's operations do); views decide what to refresh.
Deadlines and status are derived here from the events by the engine, never stored (issue 3).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError

from coordinator_app.domain import cpr as cpr_rules
from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import ProcessError, StorageError, ValidationError
from coordinator_app.domain.history_edits import check_admission_edit
from coordinator_app.domain.meetings import Task, tasks_of
from coordinator_app.domain.model import Admission, AdmissionFlags, Deadline, Event, EventKind, Kommune, Patient
from coordinator_app.domain.process import STATUS_LABELS
from coordinator_app.domain.special_groups import Reminder, reminders
from coordinator_app.services.audit import AuditService, LastChange
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.deadline_cache import DeadlineCache
from coordinator_app.services.discharge import refuse_quiet_discharge
from coordinator_app.services.ward import WardSetup, own_ward
from coordinator_app.services.ward_view import (
    STATUS_UNKNOWN,
    AdmissionRow,
    admission_rows,
)
from coordinator_app.storage import reads
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    EventRepository,
    KommuneRepository,
    PatientRepository,
)

NOTE_MAX = 10_000  # a note keeps a whole form's worth of typed values


@dataclass(frozen=True)
class AdmissionDetails:
    patient: Patient
    admission: Admission
    kommune: Kommune | None
    events: tuple[Event, ...]
    deadlines: tuple[Deadline, ...]
    status: str
    status_error: str | None  # Danish explanation when the history cannot be replayed
    reminders: tuple[Reminder, ...] = ()  # undated duties of the special groups
    kommune_names: dict[str, str] = dataclasses.field(default_factory=dict)  # code → name, for the codes used
    lent: str | None = None  # issue 19: "Udlånt til … af … siden …" while the patient is out on a laptop file

    def kommune_name(self, code: str | None) -> str:
        return self.kommune_names.get(code or "", code or "")


@dataclass(frozen=True)
class AdmissionInput:
    """What the admission dialog collects; validated by ``AdmissionService``."""

    cpr: str
    given_name: str
    family_name: str
    bopaelskommune: str
    center: str
    ward: str
    admitted: date | None
    replacement_cpr: bool = False
    address: str | None = None
    opholdskommune: str | None = None
    handlekommune: str | None = None
    discharged: date | None = None
    involuntary: bool = False
    expected_faerdigbehandlet: date | None = None
    flags: AdmissionFlags = dataclasses.field(default_factory=AdmissionFlags)


@dataclass(frozen=True)
class Changes:
    """What a write changed, so views refresh only what they show."""

    admission_id: int | None = None
    patient_id: int | None = None
    list_changed: bool = True


class AdmissionService:
    def __init__(self, ctx: ServiceContext, *, cache: DeadlineCache | None = None) -> None:
        self._ctx = ctx
        # Status and deadlines, recomputed only for changed admissions; ``cache``: one the first screen filled.
        self._derived = cache if cache is not None else DeadlineCache()
        self._audit = AuditService(ctx)  # issue 8: every view, create and change of a patient's record

    # -- reading -------------------------------------------------------------------------------------
    def list_rows(self, *, include_discharged: bool = False) -> list[AdmissionRow]:
        """The patient list: current admissions (on request also discharged ones), status, next deadline.

        Status and deadlines come from the deadline cache: only admissions whose stamp changed since the last
        refresh (or all of them on a new day) have their events loaded and replayed."""
        today = self._ctx.clock.today()
        with self._ctx.database.connect() as connection:  # Core reads: the ORM loads after start (issue 15)
            rows = reads.list_rows(connection, include_discharged=include_discharged)
            current_ids = [r.admission_id for r in rows if r.discharged is None]
            derived = self._derived.derive_many(connection, current_ids, self._ctx.calendar, today, self._ctx.rules)
            closed = reads.closed_meetings(connection, current_ids) if current_ids else []
        tasks: dict[int, list[Task]] = {}
        for meeting in closed:
            tasks.setdefault(meeting.admission_id or 0, []).extend(tasks_of(meeting))
        return admission_rows(rows, derived, tasks, today)

    def details(self, admission_id: int) -> AdmissionDetails:
        today = self._ctx.clock.today()
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            patient = PatientRepository(session).get(admission.patient_id)
            kommuner = KommuneRepository(session)
            kommune = kommuner.get(admission.bopaelskommune)
            names = {
                code: k.name
                for code in (admission.bopaelskommune, admission.opholdskommune, admission.handlekommune)
                if code and (k := kommuner.get(code)) is not None
            }
            events = EventRepository(session).for_admission(admission_id)
            loans = LoanRepository(session).out_for([admission.patient_id])
        self._audit.record(
            AuditAction.VIS,
            f"Indlæggelse nr. {admission_id}: oplysninger vist",
            patient_id=admission.patient_id,
            admission_id=admission_id,
        )
        status_error = None
        deadlines: tuple[Deadline, ...]
        notes: tuple[Reminder, ...]
        derived = self._derived.get(admission, events, self._ctx.calendar, today, self._ctx.rules)
        if derived.state is None:
            status, status_error, deadlines, notes = STATUS_UNKNOWN, derived.error, (), ()
        else:
            try:
                status = STATUS_LABELS[derived.state.status]
                deadlines = derived.deadlines
                notes = tuple(reminders(admission, events))
            except ProcessError as exc:
                status, status_error, deadlines, notes = STATUS_UNKNOWN, exc.message, (), ()
        return AdmissionDetails(
            patient=patient,
            admission=admission,
            kommune=kommune,
            events=tuple(events),
            deadlines=deadlines,
            status=status,
            status_error=status_error,
            reminders=notes,
            kommune_names=names,
            lent=loans[0].ward_label if loans else None,
        )

    def patient_names(self, patient_ids: Sequence[int]) -> dict[int, str]:
        """Patient id → name, also for patients without an admission (an ambulant meeting, issue 5)."""
        with self._ctx.database.session() as session:
            return PatientRepository(session).names(patient_ids)

    def kommuner(self) -> list[Kommune]:
        with self._ctx.database.session() as session:
            return KommuneRepository(session).all()

    def own_ward(self) -> WardSetup | None:
        """The ward's own centre and afsnit (the first run's setup, or the demo ward's): where a new admission
        starts (issue 16), as the window's title names it. None when the database does not know its ward."""
        return own_ward(self._ctx)

    # -- writing -------------------------------------------------------------------------------------
    def _validated(self, data: AdmissionInput) -> tuple[Patient, AdmissionInput]:
        today = self._ctx.clock.today()
        cpr = cpr_rules.validate_cpr(data.cpr, replacement=data.replacement_cpr, today=today)
        given = validation.require_name(data.given_name, field="given_name", label="Fornavn")
        family = validation.require_name(data.family_name, field="family_name", label="Efternavn")
        address = validation.optional_text(data.address, field="address", label="Adresse", multiline=False)
        if not data.bopaelskommune:
            raise ValidationError("Vælg patientens bopælskommune.", field="bopaelskommune")
        if data.flags.homeless and not (data.opholdskommune or data.handlekommune):
            raise ValidationError(
                "En hjemløs patient skal have en opholdskommune eller handlekommune (A5, B5).",
                field="opholdskommune",
                rule="A5",
            )
        validation.require_name(data.center, field="center", label="Center")
        validation.require_name(data.ward, field="ward", label="Afsnit")
        validation.check_admission_dates(data.admitted, data.discharged, data.expected_faerdigbehandlet, today=today)
        patient = Patient(
            id=None,
            cpr=cpr,
            given_name=given,
            family_name=family,
            replacement_cpr=data.replacement_cpr,
            address=address,
        )
        return patient, data

    def find_or_create_patient(
        self, cpr: str, given_name: str, family_name: str, replacement_cpr: bool = False
    ) -> Patient:
        """The patient with this CPR, created when unknown (an ambulant patient's meeting, issue 5).

        Validated as in ``create_admission`` (CPR or erstatnings-CPR, fornavn, efternavn). A known CPR returns
        the stored patient unchanged: a differently typed name never silently overwrites the stored one (the
        caller can compare ``name`` and tell the user)."""
        require(self._ctx, Permission.MANAGE_MEETING)  # an ambulant patient is created to hold a meeting
        today = self._ctx.clock.today()
        number = cpr_rules.validate_cpr(cpr, replacement=replacement_cpr, today=today)
        given = validation.require_name(given_name, field="given_name", label="Fornavn")
        family = validation.require_name(family_name, field="family_name", label="Efternavn")
        new = Patient(id=None, cpr=number, given_name=given, family_name=family, replacement_cpr=replacement_cpr)
        try:
            with self._ctx.database.session() as session:
                patients = PatientRepository(session)
                known = patients.find_by_cpr(number)
                if known is not None:
                    return known
                added = patients.add(new)
                self._audit.record_in(session, AuditAction.OPRET, "Patient oprettet", patient_id=added.id)
                return added
        except StorageError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        # Another workstation created the same patient at the same moment: use theirs.
        with self._ctx.database.session() as session:
            found = PatientRepository(session).find_by_cpr(number)
        if found is None:
            raise StorageError("Patienten kunne ikke gemmes. Prøv igen.")
        return found

    def create_admission(self, data: AdmissionInput) -> Changes:
        """Admit a patient (new or known by CPR). A patient can have only one open admission."""
        require(self._ctx, Permission.EDIT_ADMISSION)
        patient, data = self._validated(data)
        with self._ctx.database.session() as session:
            kommuner = KommuneRepository(session)
            self._check_kommuner(kommuner, data)
            patients = PatientRepository(session)
            admissions = AdmissionRepository(session)
            known = patients.find_by_cpr(patient.cpr)
            earlier: list[Admission] = []
            if known is None:
                known = patients.add(patient)
            else:
                earlier = admissions.for_patient(known.id or 0)
                for other in earlier:
                    if other.discharged is None:
                        raise ValidationError(
                            f"Patienten er allerede indlagt (indlæggelse nr. {other.id}). "
                            "Udskriv den først, eller ret den eksisterende indlæggelse.",
                            field="cpr",
                        )
                known = patients.update(
                    dataclasses.replace(
                        known,
                        given_name=patient.given_name,
                        family_name=patient.family_name,
                        address=patient.address or known.address,
                    )
                )
            assert known.id is not None
            admission = self._admission_from(data, patient_id=known.id, admission_id=None)
            if earlier:
                # E3: a new plan is needed at this discharge "if the conditions still hold" — start from the last
                # admission's facts; the coordinator re-judges them on the Aftale/plan tab.
                last = max(earlier, key=lambda a: (a.admitted, a.id or 0))
                admission = dataclasses.replace(admission, plan_facts=last.plan_facts)
            admission = admissions.add(admission)
            self._audit.record_in(
                session,
                AuditAction.OPRET,
                f"Indlæggelse nr. {admission.id} oprettet",
                patient_id=known.id,
                admission_id=admission.id,
            )
        return Changes(admission_id=admission.id, patient_id=known.id)

    def update_admission(
        self,
        admission_id: int,
        data: AdmissionInput,
        *,
        admission_version: int | None = None,
        patient_version: int | None = None,
    ) -> Changes:
        """Save an edit. The versions are those the dialog read: if someone else saved in between, a
        ``ConflictError`` (Danish) is raised and nothing is written (optimistic locking). New dates that would
        leave an event outside the admission are refused naming the event (``history_edits``)."""
        require(self._ctx, Permission.EDIT_ADMISSION)
        patient, data = self._validated(data)
        with self._ctx.database.session() as session:
            self._check_kommuner(KommuneRepository(session), data)
            admissions = AdmissionRepository(session)
            patients = PatientRepository(session)
            current = admissions.get(admission_id)
            refuse_quiet_discharge(session, current, data.discharged)  # E1/E2: «Udskriv patienten…» asks why
            old_patient = patients.get(current.patient_id)
            other = patients.find_by_cpr(patient.cpr)
            if other is not None and other.id != old_patient.id:
                raise ValidationError("Der findes allerede en anden patient med dette CPR-nummer.", field="cpr")
            edited = dataclasses.replace(
                self._admission_from(data, patient_id=current.patient_id, admission_id=admission_id),
                scenario=current.scenario,
                scenario_answers=current.scenario_answers,
                demo=current.demo,
                plan_facts=current.plan_facts,  # edited on the Aftale/plan tab (PlanService.set_facts)
                planned_discharge=current.planned_discharge,
                version=admission_version if admission_version is not None else current.version,
            )
            # Issue 16: no edit may leave events outside the admission (the history could not be replayed).
            check_admission_edit(current, edited, EventRepository(session).for_admission(admission_id))
            patients.update(
                dataclasses.replace(
                    patient,
                    id=old_patient.id,
                    phone=old_patient.phone,
                    version=patient_version if patient_version is not None else old_patient.version,
                )
            )
            admissions.update(edited)
            self._audit.record_in(
                session,
                AuditAction.RET,
                f"Indlæggelse nr. {admission_id} rettet",
                patient_id=current.patient_id,
                admission_id=admission_id,
            )
        return Changes(admission_id=admission_id, patient_id=current.patient_id)

    def add_note(self, admission_id: int, text: str, *, data: dict[str, object] | None = None) -> Changes:
        """A note in the admission's history (``EventKind.NOTE``): neutral to the process, so it is accepted in
        every state, also after the discharge. Used to keep what a user typed when their edit lost to another
        user's (the conflict dialog's «Gem mine som notat», issue 8): nothing typed is lost."""
        require(self._ctx, Permission.EDIT_ADMISSION)
        note = validation.optional_text(text, field="note", label="Notatet", max_length=NOTE_MAX)
        if note is None:
            raise ValidationError("Notatet er tomt. Skriv noget, eller annuller.", field="note")
        with self._ctx.database.session() as session:
            admission = AdmissionRepository(session).get(admission_id)
            event = EventRepository(session).append(
                Event(
                    id=None,
                    admission_id=admission_id,
                    kind=EventKind.NOTE,
                    occurred_at=self._ctx.clock.now(),
                    recorded_by=self._ctx.user,
                    note=note,
                    data=dict(data or {}),
                )
            )
            self._audit.record_in(
                session,
                AuditAction.OPRET,
                f"Notat registreret (hændelse {event.id})",
                patient_id=admission.patient_id,
                admission_id=admission_id,
            )
        return Changes(admission_id=admission_id, patient_id=admission.patient_id)

    def last_change(self, admission_id: int) -> LastChange | None:
        """Who saved the admission last and when (from the audit log), for the conflict dialog; ``None`` when the
        log has no such line. Reading one's own admission's history needs no more than READ."""
        require(self._ctx, Permission.READ)
        with self._ctx.database.session() as session:
            patient_id = AdmissionRepository(session).get(admission_id).patient_id
        return self._audit.last_change(patient_id, admission_id)

    @staticmethod
    def _check_kommuner(repo: KommuneRepository, data: AdmissionInput) -> None:
        for code, label in (
            (data.bopaelskommune, "Bopælskommunen"),
            (data.opholdskommune, "Opholdskommunen"),
            (data.handlekommune, "Handlekommunen"),
        ):
            if code and not validation.is_kommune_code(code):  # checked before it reaches the database (issue 8)
                raise ValidationError(f"{label} skal være en kommunekode på tre cifre, fx 101.", field="kommune")
            if code and repo.get(code) is None:
                raise ValidationError(f"{label} (kode {code}) findes ikke i kommunelisten.", field="kommune")

    @staticmethod
    def _admission_from(data: AdmissionInput, *, patient_id: int, admission_id: int | None) -> Admission:
        assert data.admitted is not None  # checked by validation
        return Admission(
            id=admission_id,
            patient_id=patient_id,
            center=data.center.strip(),
            ward=data.ward.strip(),
            admitted=data.admitted,
            bopaelskommune=data.bopaelskommune,
            opholdskommune=data.opholdskommune or None,
            handlekommune=data.handlekommune or None,
            discharged=data.discharged,
            involuntary=data.involuntary,
            expected_faerdigbehandlet=data.expected_faerdigbehandlet,
            flags=data.flags,
        )
