"""Recording that a duty met by a milestone note was done (issue 16): "Registrér som udført…".

The ward's own duties that have no event kind of their own — A3 udskrivningskoordinator, A4 children checked /
underretning, D1 epikrise, D2 GP dialogue, D4 genoptræningsplan, D6 misbrug, D8 Kriminalforsorgen, D9 the
18-year transition, and the follow-ups the ward learns of (D3 the GP's answer, D5 the botilbudsteam, D7 an
opholdssted) — are met by a NOTE event with ``data["milestone"]`` (``domain.rules.Milestone``). This service records
one, the same shape as the B2/B3 contact note of ``services.notifications``: a NOTE with the milestone, the moment it
was done and what was done (required), appended to the admission's history and audited in the same transaction.

Only the *note* milestones (``rules.NOTE_MILESTONES``) are recorded here; the others have their own workflow
(samtykke, the contact with the kommune, the plans) or are the kommune's (G1–G3) and are refused, naming the rule.
A note milestone is not refused because no deadline asks for it right now: the coordinator may record a D4 plan
before the deadline shows, and a late one still belongs in the history.

The moment: with a time zone, never in the future, never before the admission — and, as every note, also after
discharge (``domain.process.AFTER_DISCHARGE_KINDS``): the epikrise (D1) is due within 24 hours *after* discharge.
Events are append-only (a mistake is undone by a correction), so there is no version to compare: the new event
changes the admission's deadline stamp (``services.deadline_cache``) and every screen derives it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Event, EventKind
from coordinator_app.domain.process import check_transition, effective_events, replay_effective
from coordinator_app.domain.rules import MILESTONE_LABELS, NOTE_MILESTONES, Milestone, milestone_rule_id
from coordinator_app.domain.workdays import local_date
from coordinator_app.services.admissions import Changes
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

__all__ = ["MilestoneInput", "MilestoneResult", "MilestoneService"]

#: Recording a milestone is an entry in the admission's own record, as the discharge and the scenario are.
PERMISSION = Permission.EDIT_ADMISSION


@dataclass(frozen=True)
class MilestoneInput:
    milestone: str  # a ``rules.Milestone`` value from ``NOTE_MILESTONES``
    note: str  # what was done (required)
    occurred_at: datetime | None = None  # None: now; else when it was done (aware)


@dataclass(frozen=True)
class MilestoneResult:
    event_id: int
    changes: Changes


class MilestoneService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._audit = AuditService(ctx)

    def record(self, admission_id: int, data: MilestoneInput) -> MilestoneResult:
        """Append the milestone note; ``ValidationError``/``ProcessError`` (Danish, with the rule) when it may not
        be recorded, ``AccessDeniedError`` for a role that may not edit admissions."""
        require(self._ctx, PERMISSION)
        milestone = self._milestone(data.milestone)
        rule_id = milestone_rule_id(milestone.value)
        now = self._ctx.clock.now()
        when = data.occurred_at or now
        validation.check_moment(when, today=self._ctx.clock.today(), field="occurred_at", label="Tidspunktet")
        if when > now:
            raise ValidationError(
                "Tidspunktet ligger i fremtiden. Registrér det, når det er gjort.", field="occurred_at", rule=rule_id
            )
        note = validation.optional_text(data.note, field="note", label="Notatet", max_length=5000)
        if note is None:
            raise ValidationError(
                "Skriv, hvad der er gjort – det er det, historikken viser om opgaven.", field="note", rule=rule_id
            )
        with self._ctx.database.session() as session:
            events = EventRepository(session)
            admission = AdmissionRepository(session).get(admission_id)
            history = effective_events(events.for_admission(admission_id))
            # The process's guards for any note: not before the admission, a readable history; after discharge too.
            check_transition(replay_effective(admission, history), EventKind.NOTE, local_date(when))
            event = events.append(
                Event(
                    id=None,
                    admission_id=admission_id,
                    kind=EventKind.NOTE,
                    occurred_at=when,
                    recorded_by=self._ctx.user,
                    note=note,
                    data={"milestone": milestone.value},
                )
            )
            self._audit.record_in(
                session,
                AuditAction.OPRET,
                f"Registreret som udført: {MILESTONE_LABELS[milestone]} ({rule_id}) (hændelse {event.id})",
                patient_id=admission.patient_id,
                admission_id=admission_id,
            )
        assert event.id is not None
        return MilestoneResult(event.id, Changes(admission_id=admission_id, patient_id=admission.patient_id))

    @staticmethod
    def _milestone(value: str) -> Milestone:
        """The note milestone ``value`` names; refused (with the rule) when it is unknown or has its own workflow."""
        try:
            milestone = Milestone(value)
        except ValueError:
            raise ValidationError(f"Ukendt milepæl: {value!r}.", field="milestone") from None
        if milestone not in NOTE_MILESTONES:
            rule_id = milestone_rule_id(milestone.value)
            raise ValidationError(
                f"«{MILESTONE_LABELS[milestone]}» ({rule_id}) registreres ikke som udført her, men i sit eget forløb "
                "(samtykke, kontakt med kommunen, udskrivningsaftale/koordinationsplan) eller af kommunen.",
                field="milestone",
                rule=rule_id,
            )
        return milestone
