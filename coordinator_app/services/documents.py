"""Issuing documents: render the PDF, archive it immutably (bytes + SHA-256 + data version), reopen it.

The issue's audit line carries the SHA-256 (``issued_line``), and reopening checks the bytes against it
(``read_archived``, ``services.archive``): the archive is tamper-evident (issue 17).

Every issued document is archived; reopening returns the archived bytes, never a re-rendering. Issuing
again makes a new document with its own ID (issue 4).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from coordinator_app import __version__
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction, issued_document
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import EVENT_LABELS, Admission, ArchivedDocument, Event, EventKind, Patient
from coordinator_app.domain.sending import RECORD, Notice, VarslingTiming
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


@dataclass(frozen=True)
class FormDetails:
    """What the coordinator adds to the form beyond the admission's facts."""

    current_indsats: str = ""
    expected_needs: str = ""
    netvaerksmoede_requested: bool = False
    considered_13a: bool = False
    considered_13b: bool = False
    free_text: str = ""
    consent_basis: str = ""  # filled by the sender: consent or legal basis (F1)


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
        b5 = _b5_fields(admission, event)
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
            **b5,
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
            details = FormDetails(**{k: v for k, v in event.data.get("form", {}).items()})
        details = FormDetails(**{**asdict(details), "consent_basis": basis})
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


def _b5_fields(admission: Admission, event: Event) -> dict[str, Any]:
    """What the form prints from the event's B5 record (``domain.sending``): a varsling's expected date, its doctor
    and the late mark; a færdigmelding's judgement. Without a record (older events), the admission's expected
    date."""
    recorded = event.data.get(RECORD) if event.data else None
    fields: dict[str, Any] = {"expected_faerdigbehandlet": admission.expected_faerdigbehandlet}
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
