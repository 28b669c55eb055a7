"""Issuing documents: render the PDF, archive it immutably (bytes + SHA-256 + data version), reopen it.

The issue's audit line carries the SHA-256 (``issued_line``), and reopening checks the bytes against it
(``read_archived``, ``services.archive``): the archive is tamper-evident (issue 17).

Every issued document is archived; reopening returns the archived bytes, never a re-rendering. Issuing
again makes a new document with its own ID (issue 4).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from coordinator_app import __version__
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction, issued_document
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import (
    EVENT_LABELS,
    Admission,
    ArchivedDocument,
    Consent,
    ConsentRecipient,
    Event,
    EventKind,
    Patient,
)
from coordinator_app.domain.process import effective_events
from coordinator_app.domain.sending import RECORD, Notice, VarslingTiming, current_expected
from coordinator_app.domain.special_groups import contact_role, notify_role, recipient_kommune
from coordinator_app.domain.workdays import local_date
from coordinator_app.lazy import lazy_import
from coordinator_app.services import archive
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.services.ward import load_profile
from coordinator_app.storage.repositories import (
    AdmissionRepository,
    ConsentRepository,
    DocumentRepository,
    EventRepository,
    KommuneRepository,
    PatientRepository,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.documents import layout, varslingsblanket
    from coordinator_app.documents.varslingsblanket import VarslingsblanketData
    from coordinator_app.services import consent
else:  # reportlab is imported when a form is rendered, not at start-up; consent's gate when a form is sent
    layout = lazy_import("coordinator_app.documents.layout")
    varslingsblanket = lazy_import("coordinator_app.documents.varslingsblanket")
    consent = lazy_import("coordinator_app.services.consent")

VARSLINGSBLANKET = "varslingsblanket"

#: Which form a notification event is issued on: the ``varslingsblanket.FormType`` value (a plain string here, so
#: importing this module does not load reportlab; ``FormType(value)`` when rendering).
FORM_FOR_EVENT: dict[EventKind, str] = {
    EventKind.ORIENTERING_INDLAEGGELSE: "orientering",
    EventKind.VARSLING: "varsling",
    EventKind.FAERDIGMELDING: "faerdigmelding",
    EventKind.I_BERO: "i_bero",
    EventKind.GENOPTAGET: "genoptaget",
    EventKind.AFMELDING: "afmelding",
    EventKind.ORIENTERING_UDSKRIVNING: "orientering_udskrivning",
}

#: B5 kinds go to the notify role (homeless: last known opholdskommune); the rest to the contact role (A5).
B5_KINDS = frozenset(
    {EventKind.VARSLING, EventKind.FAERDIGMELDING, EventKind.I_BERO, EventKind.GENOPTAGET, EventKind.AFMELDING}
)


def recipient_role_for(admission: Admission, kind: EventKind) -> str:
    return notify_role(admission) if kind in B5_KINDS else contact_role(admission)


#: LAB § 6: whether the patient asked for an udskrivningskoordinator (lov om aktiv beskæftigelsesindsats § 6), as
#: ``FormDetails.lab6`` records it → how the dialog and the form say it. ``""``: not recorded (older notifications).
LAB6_ANSWERS: dict[str, str] = {"ja": "Ja", "nej": "Nej", "ikke_spurgt": "Ikke spurgt"}


@dataclass(frozen=True)
class FormDetails:
    """What the coordinator adds to the form beyond the admission's facts. Stored on the event as ``data["form"]``
    (``record``; read back with ``from_record``, which ignores keys it does not know)."""

    current_indsats: str = ""
    expected_needs: str = ""
    netvaerksmoede_requested: bool = False
    considered_13a: bool = False
    considered_13b: bool = False
    free_text: str = ""
    consent_basis: str = ""  # filled by the sender: consent or legal basis (F1)
    #: The patient's current level of functioning: what the kommune must plan for ("": not recorded).
    funktionsniveau: str = ""
    #: LAB § 6: a key of ``LAB6_ANSWERS``, ``""`` not recorded.
    lab6: str = ""
    #: The expected discharge day as the sender knew it (``None``: the admission's planned discharge, if any).
    expected_discharge: date | None = None

    def record(self) -> dict[str, Any]:
        """As stored in the event's JSON data (the date as ISO text)."""
        out = asdict(self)
        out["expected_discharge"] = self.expected_discharge.isoformat() if self.expected_discharge else None
        return out

    @classmethod
    def from_record(cls, stored: Any, *, leave_out: frozenset[str] = frozenset()) -> FormDetails:
        """``record``'s dict (or an older event's, with fewer keys) back; keys in ``leave_out`` are not read."""
        if not isinstance(stored, dict):
            return cls()
        known = {f.name for f in fields(cls)} - leave_out
        values: dict[str, Any] = {k: v for k, v in stored.items() if k in known}
        if "expected_discharge" in values:
            values["expected_discharge"] = _iso_day(values["expected_discharge"])
        return cls(**values)


def _iso_day(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def _data_version(data: VarslingsblanketData) -> str:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, date | datetime) else str(value)

    canonical = json.dumps(asdict(data), sort_keys=True, default=plain, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


#: How ``DocumentService.content`` logs what was done with the archived bytes (issue 8).
CONTENT_USES: dict[AuditAction, str] = {
    AuditAction.VIS: "åbnet",
    AuditAction.UDSKRIV: "skrevet ud på printer",
    AuditAction.EKSPORT: "eksporteret",  # the file follows the line (``exports.export_line``)
}


class DocumentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._audit = AuditService(ctx)

    # -- building -------------------------------------------------------------------------------------
    def varslingsblanket_data(
        self,
        session: Session,
        admission: Admission,
        patient: Patient,
        event: Event,
        details: FormDetails,
    ) -> VarslingsblanketData:
        form = FORM_FOR_EVENT.get(event.kind)
        if form is None:
            raise ValidationError(f"Der hører ingen varslingsblanket til hændelsen «{event.kind}».")
        role = recipient_role_for(admission, event.kind)
        code = event.recipient_kommune or recipient_kommune(admission, role)
        kommune = KommuneRepository(session).get(code) if code else None
        if kommune is None:
            raise ValidationError(
                "Modtagerkommunen er ikke registreret på indlæggelsen. Ret indlæggelsen (bopæls- eller "
                "opholdskommune), og prøv igen.",
                field="kommune",
                rule="B5" if event.kind in B5_KINDS else "A5",
            )
        profile = load_profile(self._ctx)
        faerdig_from = None
        if event.kind in (EventKind.FAERDIGMELDING, EventKind.AFMELDING, EventKind.I_BERO, EventKind.GENOPTAGET):
            faerdig_from = local_date(event.occurred_at)
        before = _history_before(EventRepository(session).for_admission(admission.id or 0), event)
        return varslingsblanket.VarslingsblanketData(
            form_type=varslingsblanket.FormType(form),
            patient_name=patient.name,
            cpr=patient.cpr,
            address=patient.address,
            homeless=admission.flags.homeless,
            recipient_kommune_name=kommune.name,
            recipient_kommune_code=kommune.code,
            recipient_role=role,
            recipient_secure_mail=kommune.secure_mail,
            sender_center=admission.center,
            sender_ward=admission.ward,
            coordinator_name=event.recorded_by,
            sender_phone=profile.phone or None,
            sender_secure_mail=profile.secure_mail or None,
            admitted=admission.admitted,
            faerdigbehandlet_from=faerdig_from,
            scenario=admission.scenario,
            current_indsats=details.current_indsats,
            expected_needs=details.expected_needs,
            netvaerksmoede_requested=details.netvaerksmoede_requested,
            considered_13a=details.considered_13a,
            considered_13b=details.considered_13b,
            consent_basis=details.consent_basis,
            free_text=details.free_text or event.note,
            signature_name=event.recorded_by,
            signature_title=profile.coordinator_title,
            signature_date=local_date(event.occurred_at),
            event_time=event.occurred_at,
            funktionsniveau=details.funktionsniveau,
            lab6=LAB6_ANSWERS.get(details.lab6, ""),
            original_faerdigmelding=_original_faerdigmelding(before, event),
            **_discharge_fields(admission, event, details),
            **_consent_fields(event),
            **_b5_fields(admission, before, event),
        )

    # -- issuing and archiving --------------------------------------------------------------------------
    def issue_in(
        self, session: Session, admission: Admission, patient: Patient, event: Event, details: FormDetails
    ) -> ArchivedDocument:
        """Render the varslingsblanket for ``event`` and archive it in the same transaction."""
        data = self.varslingsblanket_data(session, admission, patient, event, details)
        created = self._ctx.clock.now()
        title = varslingsblanket.FORM_TITLES[data.form_type]
        document_id = f"KO-{admission.id}-{event.id}-{created:%Y%m%d%H%M%S%f}"
        meta = layout.DocumentMeta(document_id=document_id, title=title, created_at=created, app_version=__version__)
        content = varslingsblanket.render_varslingsblanket(data, meta)
        assert admission.id is not None
        document = DocumentRepository(session).add(
            ArchivedDocument(
                id=None,
                admission_id=admission.id,
                kind=VARSLINGSBLANKET,
                title=title,
                created_at=created,
                created_by=self._ctx.user,
                sha256=hashlib.sha256(content).hexdigest(),
                data_version=_data_version(data),
                event_id=event.id,
                content=content,
                patient_id=patient.id,
            )
        )
        self._audit.record_in(
            session,
            AuditAction.UDSKRIV,
            f"Varslingsblanket ({EVENT_LABELS[event.kind].lower()}) udstedt ({issued_line(document)})",
            patient_id=patient.id,
            admission_id=admission.id,
        )
        return document

    def issue_for_event(self, event_id: int, details: FormDetails | None = None) -> ArchivedDocument:
        """Issue (again) the form for an earlier notification: a new archived document."""
        require(self._ctx, Permission.ISSUE_DOCUMENT)
        with self._ctx.database.session() as session:
            return self.issue_for_event_in(session, event_id, details)

    def issue_for_event_in(
        self, session: Session, event_id: int, details: FormDetails | None = None
    ) -> ArchivedDocument:
        """``issue_for_event`` in the caller's transaction (the caller checks the role): archived only when the
        caller commits — ``ExportService.issue_to_file`` commits once the file is written."""
        event = EventRepository(session).get(event_id)
        admission = AdmissionRepository(session).get(event.admission_id)
        patient = PatientRepository(session).get(admission.patient_id)
        basis = details.consent_basis if details else str(event.data.get("basis", ""))
        if details is None:
            details = FormDetails.from_record(event.data.get("form"))
        details = replace(details, consent_basis=basis)
        return self.issue_in(session, admission, patient, event, details)

    def reissue(self, document_id: int) -> ArchivedDocument:
        """A new document for the same notification as ``document_id``, from the current data."""
        require(self._ctx, Permission.ISSUE_DOCUMENT)
        with self._ctx.database.session() as session:
            original = DocumentRepository(session).get(document_id, with_content=False)
        if original.kind != VARSLINGSBLANKET:
            raise KoordinatorError(
                f"«{original.title}» udstedes ikke igen herfra. En udskrivningsaftale eller koordinationsplan får en "
                "ny version under fanen Aftale/plan (Ret og udsted ny version); et referat udstedes fra mødet."
            )
        if original.event_id is None:
            raise KoordinatorError("Dokumentet hører ikke til en afsendelse og kan ikke udstedes igen herfra.")
        return self.issue_for_event(original.event_id)

    def latest_notification(self, admission_id: int) -> Event:
        """The newest event of the admission that has a form (for ``pdf varslingsblanket``)."""
        with self._ctx.database.session() as session:
            history = EventRepository(session).for_admission(admission_id)
            AdmissionRepository(session).get(admission_id)  # NotFoundError in Danish if it does not exist
        corrected = {e.corrects_event_id for e in history if e.corrects_event_id}
        candidates = [e for e in history if e.kind in FORM_FOR_EVENT and e.id not in corrected]
        if not candidates:
            raise KoordinatorError(
                f"Indlæggelse nr. {admission_id} har endnu ingen orientering, varsling, færdigmelding eller "
                "afmelding at skrive ud. Send den først fra indlæggelsen."
            )
        return candidates[-1]

    def documents(self, admission_id: int) -> list[ArchivedDocument]:
        with self._ctx.database.session() as session:
            return DocumentRepository(session).for_admission(admission_id)

    def patient_documents(self, patient_id: int) -> list[ArchivedDocument]:
        """All the patient's documents, also those without an admission (an ambulant referat), newest first."""
        with self._ctx.database.session() as session:
            return DocumentRepository(session).for_patient(patient_id)

    def content(self, document_id: int, *, use: AuditAction = AuditAction.VIS) -> bytes:
        """The archived bytes, checked against the stored SHA-256 (byte-identical reopening). Logged as ``use``
        (issue 8): VIS when opened, UDSKRIV when printed, EKSPORT when saved as a file."""
        require(self._ctx, Permission.READ if use is AuditAction.VIS else Permission.EXPORT_DOCUMENT)
        with self._ctx.database.session() as session:
            document, content = read_archived(session, document_id)
        self._audit.record(
            use,
            content_line(document, use),
            patient_id=document.patient_id,
            admission_id=document.admission_id,
        )
        return content


def _history_before(history: list[Event], event: Event) -> list[Event]:
    """The admission's effective history before ``event`` (what the kommune had been told when it was sent)."""
    effective = effective_events(history)
    if event in effective:
        return effective[: effective.index(event)]
    return [e for e in effective if (e.occurred_at, e.id or 0) < (event.occurred_at, event.id or 0)]


def _original_faerdigmelding(before: list[Event], event: Event) -> date | None:
    """B6/B7: the færdigmelding an i bero, genoptaget or afmelding concerns (the § 238 payment runs from its day)."""
    if event.kind not in (EventKind.I_BERO, EventKind.GENOPTAGET, EventKind.AFMELDING):
        return None
    found = [e for e in before if e.kind is EventKind.FAERDIGMELDING]
    return local_date(found[-1].occurred_at) if found else None


def _discharge_fields(admission: Admission, event: Event, details: FormDetails) -> dict[str, Any]:
    """The actual discharge day when the patient was discharged by the time of ``event``; else the expected one the
    sender gave, or the admission's planned discharge (``None``: not known, printed "Ikke oplyst")."""
    on = local_date(event.occurred_at)
    if admission.discharged is not None and admission.discharged <= on:
        return {"discharged": admission.discharged, "expected_discharge": None}
    return {"discharged": None, "expected_discharge": details.expected_discharge or admission.planned_discharge}


#: The key of the consent's facts in a notification event's data (``consent_record``).
CONSENT_RECORD = "consent"


def consent_record(consents: list[Consent], legal_basis: str | None) -> dict[str, str]:
    """What the form prints about the consent a sending rests on (F1): to whom, what it covers, how and when it was
    given — or the legal basis without consent. Stored on the event as ``data["consent"]``."""
    found = consent.active_consent(consents, ConsentRecipient.KOMMUNE)
    if found is not None:
        return {
            "given_to": found.given_to,
            "scope": found.scope,
            "method": found.method.value,
            "given_on": local_date(found.given_at).isoformat(),
        }
    return {"legal_basis": (legal_basis or "").strip()}


def _consent_fields(event: Event) -> dict[str, Any]:
    recorded = event.data.get(CONSENT_RECORD) if event.data else None
    if not isinstance(recorded, dict):
        return {}
    return {
        "consent_given_to": str(recorded.get("given_to") or ""),
        "consent_scope": str(recorded.get("scope") or ""),
        "consent_method": str(recorded.get("method") or ""),
        "consent_given_on": _iso_day(recorded.get("given_on")),
        "legal_basis": str(recorded.get("legal_basis") or ""),
    }


def _b5_fields(admission: Admission, before: list[Event], event: Event) -> dict[str, Any]:
    """What the form prints from the B5 records: the expected færdigbehandlet date and the doctor who judged it (on
    every kind, as the history before ``event`` recorded it; a varsling's own record wins), a varsling's latest day and
    late mark, a færdigmelding's judgement. Without a judgement in the history (older events), the admission's
    expected date and no doctor."""
    expected = current_expected(admission, before)
    fields: dict[str, Any] = {
        "expected_faerdigbehandlet": expected.day or admission.expected_faerdigbehandlet,
        "expected_judged_by": expected.judged_by if expected.day else "",
    }
    recorded = event.data.get(RECORD) if event.data else None
    if not isinstance(recorded, dict):
        return fields
    on = local_date(event.occurred_at)
    if event.kind is EventKind.VARSLING and (timing := VarslingTiming.from_record(on, recorded)) is not None:
        fields.update(
            expected_faerdigbehandlet=timing.expected,
            expected_judged_by=timing.judged_by,
            varsling_latest=timing.due,
            days_late=timing.days_late,
            notice_days=timing.notice_days,
        )
    elif event.kind is EventKind.FAERDIGMELDING:
        notice = Notice.from_record(on, recorded)
        fields.update(judged_by=notice.judged_by, judged_on=notice.judged_on)
    return fields


def read_archived(session: Session, document_id: int) -> tuple[ArchivedDocument, bytes]:
    """The archived document and its exact bytes, checked against the SHA-256 in its row and the one its issue line
    recorded in the audit log (``services.archive``, issue 17); a document changed after it was issued is refused in
    Danish. In the caller's session; the caller checks the role and logs the use."""
    document = DocumentRepository(session).get(document_id, with_content=True)
    assert document.content is not None
    reason = archive.problem(document.content, document.sha256, archive.logged_hash(session, document))
    if reason is not None:
        raise KoordinatorError(archive.changed_message(document_id, reason))
    return document, document.content


def issued_line(document: ArchivedDocument) -> str:
    """The end of a document's issue line in the audit log, inside its brackets: "dokument 12, SHA-256 <hex>" — the
    digest goes into the hash chain with the issue (issue 17)."""
    return issued_document(document.id, document.sha256)


def content_line(document: ArchivedDocument, use: AuditAction) -> str:
    """The audit log's line for ``use`` of an archived document: "Dokument 12 (Varsling) åbnet" (a view), "… skrevet
    ud på printer", "… eksporteret" (the export's file is added by ``exports.export_line``)."""
    return f"Dokument {document.id} ({document.title}) {CONTENT_USES[use]}"


def consent_basis_in(session: Session, patient_id: int, legal_basis: str | None) -> str:
    """F1 gate inside a transaction: the consent or the legal basis the sending rests on."""
    return consent.require_kommune_consent(ConsentRepository(session).for_patient(patient_id), legal_basis)
