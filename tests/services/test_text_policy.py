"""One text policy for every free-text field (issue 18, point 9; ``domain.validation``): at every service entry that
stores text, control characters, bidi embeddings/overrides/isolates, the BOM, zero-width characters and the line and
paragraph separators are refused with a Danish message naming the field; a line break or tab only where the field
is multi-line. Danish letters, dashes, § and quotes pass. Nothing is written by a refusal.

``FIELDS`` is the table of fields: (operation, field as the error names it, multi-line?, the call with the text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers.ward import Admitted, admission_input, admit, service_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator_app.domain import validation
from coordinator_app.domain.access import Role
from coordinator_app.domain.discharge_plans import Party, PartyRole
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.meetings import Occasion, Participant
from coordinator_app.domain.model import ConsentMethod, ConsentRecipient, EventKind
from coordinator_app.domain.rules import NOTE_MILESTONES
from coordinator_app.services import first_run
from coordinator_app.services import settings as app_settings
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.milestones import MilestoneInput, MilestoneService
from coordinator_app.services.notifications import NotificationInput, NotificationService
from coordinator_app.services.plans import PlanService
from coordinator_app.services.users import UserService
from coordinator_app.storage.database import Database, open_database

#: One of each class the policy refuses everywhere, by name.
REFUSED_EVERYWHERE = {
    "NUL": "\x00",
    "BEL": "\x07",
    "ESC": "\x1b",
    "DEL": "\x7f",
    "NEL (C1)": "\x85",
    "CSI (C1)": "\x9b",
    "lone surrogate": "\ud800",
    **{f"bidi U+{c:04X}": chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    "BOM": "\ufeff",
    **{f"zero width U+{c:04X}": chr(c) for c in range(0x200B, 0x200E)},
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
}
#: Refused in a single-line field, text in a multi-line one.
LINE_BREAKS = {"newline": "\n", "CRLF": "\r\n", "CR": "\r", "tab": "\t"}
GOOD = "Søren Ærø-Åse – § 3 «citat» — 'ok' \"ja\""


@dataclass(frozen=True)
class Field:
    operation: str
    field: str
    multiline: bool
    call: Callable[[ServiceContext, Admitted, str], object]

    def __str__(self) -> str:
        return f"{self.operation}.{self.field}"


def _contact(**values: str) -> ContactInput:
    return ContactInput(**{"name": "Hanne Sagsbehandler", **values})  # type: ignore[arg-type]


def _consent(**values: str) -> ConsentInput:
    base: dict[str, Any] = {
        "recipient": ConsentRecipient.KOMMUNE,
        "given_to": "Københavns Kommune",
        "scope": "Indlæggelse og udskrivning",
        "method": ConsentMethod.MUNDTLIGT,
    }
    return ConsentInput(**{**base, **values})


def _schedule(a: Admitted, **values: str) -> ScheduleInput:
    return ScheduleInput(
        patient_id=a.patient_id,
        admission_id=a.admission_id,
        occasion=Occasion.UNDER_INDLAEGGELSE,
        invited_on=date(2026, 11, 23),
        **values,  # type: ignore[arg-type]
    )


FIELDS: tuple[Field, ...] = (
    Field(
        "indlæggelse",
        "given_name",
        False,
        lambda c, a, t: AdmissionService(c).create_admission(admission_input(given_name=t)),
    ),
    Field(
        "indlæggelse",
        "family_name",
        False,
        lambda c, a, t: AdmissionService(c).create_admission(admission_input(family_name=t)),
    ),
    Field(
        "indlæggelse",
        "address",
        False,
        lambda c, a, t: AdmissionService(c).create_admission(admission_input(address=t)),
    ),
    Field(
        "indlæggelse", "center", False, lambda c, a, t: AdmissionService(c).create_admission(admission_input(center=t))
    ),
    Field("indlæggelse", "ward", False, lambda c, a, t: AdmissionService(c).create_admission(admission_input(ward=t))),
    Field(
        "patient",
        "given_name",
        False,
        lambda c, a, t: AdmissionService(c).find_or_create_patient("0101909913", t, "Fiktivsen"),
    ),
    Field("notat", "note", True, lambda c, a, t: AdmissionService(c).add_note(a.admission_id, f"Notat {t} slut")),
    Field(
        "samtykke",
        "given_to",
        False,
        lambda c, a, t: ConsentService(c).record(a.patient_id, a.admission_id, _consent(given_to=t)),
    ),
    Field(
        "samtykke",
        "scope",
        False,
        lambda c, a, t: ConsentService(c).record(a.patient_id, a.admission_id, _consent(scope=t)),
    ),
    Field(
        "samtykke",
        "note",
        True,
        lambda c, a, t: ConsentService(c).record(a.patient_id, a.admission_id, _consent(note=t)),
    ),
    Field("kontakt", "name", False, lambda c, a, t: ContactService(c).add(_contact(name=t))),
    Field("kontakt", "organisation", False, lambda c, a, t: ContactService(c).add(_contact(organisation=t))),
    Field("kontakt", "role", False, lambda c, a, t: ContactService(c).add(_contact(role=t))),
    Field("kontakt", "phone", False, lambda c, a, t: ContactService(c).add(_contact(phone=f"12 34{t}56 78"))),
    Field("kontakt", "note", True, lambda c, a, t: ContactService(c).add(_contact(note=t))),
    Field(
        "milepæl",
        "note",
        True,
        lambda c, a, t: MilestoneService(c).record(
            a.admission_id, MilestoneInput(next(iter(NOTE_MILESTONES)).value, t)
        ),
    ),
    Field(
        "sending",
        "note",
        True,
        lambda c, a, t: NotificationService(c).send(a.admission_id, NotificationInput(EventKind.VARSLING, note=t)),
    ),
    Field(
        "sending",
        "legal_basis",
        True,
        lambda c, a, t: NotificationService(c).send(
            a.admission_id, NotificationInput(EventKind.VARSLING, legal_basis=t)
        ),
    ),
    Field("korrektion", "reason", False, lambda c, a, t: NotificationService(c).correct(1, t)),
    Field("møde", "place", False, lambda c, a, t: MeetingService(c).schedule(_schedule(a, place=t))),
    Field("møde", "late_reason", True, lambda c, a, t: MeetingService(c).schedule(_schedule(a, late_reason=t))),
    Field(
        "modtager",
        "name",
        False,
        lambda c, a, t: MeetingService(c).add_recipient(
            1, name=t, address="a@b.dk", recipient=ConsentRecipient.KOMMUNE
        ),
    ),
    Field(
        "modtager",
        "address",
        False,
        lambda c, a, t: MeetingService(c).add_recipient(
            1, name="Hanne", address=f"Vej 1{t}2100 Kbh", recipient=ConsentRecipient.KOMMUNE
        ),
    ),
    Field("plan", "reason", False, lambda c, a, t: PlanService(c).end(1, t, expected_version=1)),
    Field(
        "bruger",
        "full_name",
        False,
        lambda c, a, t: UserService(c).create_user("ny.bruger", t, Role.KOORDINATOR, "en lang god sætning 2026"),
    ),
    Field(
        "afsnitsprofil",
        "coordinator_title",
        False,
        lambda c, a, t: app_settings.update_ward_profile(c, phone="", secure_mail="", coordinator_title=t),
    ),
    Field(
        "afsnitsprofil",
        "phone",
        False,
        lambda c, a, t: app_settings.update_ward_profile(
            c, phone=f"12 34{t}56 78", secure_mail="", coordinator_title="Kontaktperson"
        ),
    ),
    Field("centre", "centre", False, lambda c, a, t: app_settings.add_ward(c, t, "Afsnit 9")),
    Field("centre", "ward", False, lambda c, a, t: app_settings.add_ward(c, "Psykiatrisk Center Ballerup", t)),
    Field(
        "første opstart",
        "centre",
        False,
        lambda c, a, t: first_run.check_ward(first_run.WardInput(centre=t, ward="Afsnit 7")),
    ),
    Field(
        "første opstart",
        "ward",
        False,
        lambda c, a, t: first_run.check_ward(first_run.WardInput(centre="PC København", ward=t)),
    ),
    Field(
        "første opstart",
        "full_name",
        False,
        lambda c, a, t: first_run.check_admin(first_run.AdminInput("ny.admin", t, "en lang god sætning 2026")),
    ),
    Field(
        "sengedagstakst",
        "source",
        False,
        lambda c, a, t: app_settings.save_rates(c, {2026: Decimal("2150")}, source=f"Takst {t} 2026"),
    ),
)


@pytest.fixture(scope="module")
def shared(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServiceContext, Admitted]]:
    """One database for the module: every call here is refused before it writes (checked by ``unchanged``)."""
    import shutil

    path = tmp_path_factory.mktemp("tekst") / "koordinator.db"
    shutil.copyfile(sqlite_template, path)
    database = open_database(path)
    ctx = service_context(database)
    try:
        yield ctx, admit(ctx)
    finally:
        database.dispose()


def _state(database: Database) -> tuple[int, ...]:
    from sqlalchemy import func, select

    from coordinator_app.storage.orm import Base

    with database.session() as session:
        return tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        )


def _refused(entry: Field, shared: tuple[ServiceContext, Admitted], text: str) -> ValidationError:
    ctx, admitted = shared
    before = _state(ctx.database)
    with pytest.raises(ValidationError) as caught:
        entry.call(ctx, admitted, f"Tekst{text}her")
    assert caught.value.field == entry.field, caught.value.message
    assert _state(ctx.database) == before
    return caught.value


@pytest.mark.parametrize("entry", FIELDS, ids=str)
@pytest.mark.parametrize("char", list(REFUSED_EVERYWHERE.values()), ids=list(REFUSED_EVERYWHERE))
def test_every_field_refuses_control_bidi_bom_zero_width_and_separators(
    entry: Field, char: str, shared: tuple[ServiceContext, Admitted]
) -> None:
    error = _refused(entry, shared, char)
    assert "tegn" in error.message and "Fjern tegnet" in error.message


@pytest.mark.parametrize("entry", [f for f in FIELDS if not f.multiline], ids=str)
@pytest.mark.parametrize("char", list(LINE_BREAKS.values()), ids=list(LINE_BREAKS))
def test_a_single_line_field_refuses_a_line_break_and_a_tab(
    entry: Field, char: str, shared: tuple[ServiceContext, Admitted]
) -> None:
    error = _refused(entry, shared, char)
    assert "én linje" in error.message or "kontroltegn" in error.message


@pytest.mark.parametrize("char", list(LINE_BREAKS.values()), ids=list(LINE_BREAKS))
def test_a_multi_line_field_keeps_its_line_breaks(char: str, shared: tuple[ServiceContext, Admitted]) -> None:
    ctx, admitted = shared
    AdmissionService(ctx).add_note(admitted.admission_id, f"Første linje{char}anden linje")
    assert validation.optional_text(f"a{char}b", field="note", label="Notatet") == f"a{char}b"


def test_danish_text_dashes_paragraph_signs_and_quotes_pass_everywhere() -> None:
    for multiline in (True, False):
        validation.check_characters(GOOD, field="x", label="Feltet", multiline=multiline)
    assert validation.single_line(f"  {GOOD}  ", field="x", label="Feltet") == GOOD
    assert validation.require_name("Åse  Østergård-Ærø", field="given_name", label="Fornavn") == "Åse Østergård-Ærø"


def test_a_contact_with_danish_text_is_stored_as_typed(shared: tuple[ServiceContext, Admitted]) -> None:
    ctx, _ = shared
    added = ContactService(ctx).add(_contact(name="Søren Ærø-Åse", organisation="Københavns Kommune – § 85", note=GOOD))
    assert (added.name, added.organisation, added.note) == ("Søren Ærø-Åse", "Københavns Kommune – § 85", GOOD)


_REFUSED = sorted(
    set(REFUSED_EVERYWHERE.values()) | {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(min_size=1, max_size=30),
    st.sampled_from(_REFUSED),  # the C0 range holds tab, line feed and carriage return
    st.text(max_size=30),
    st.booleans(),
)
def test_the_policy_holds_for_any_text_around_a_refused_character(
    before: str, char: str, after: str, multiline: bool
) -> None:
    """Hypothesis: wherever a refused character sits in any text, ``check_characters`` refuses it naming the field —
    and whatever it lets through contains none of them."""
    text = before + char + after
    allowed_here = multiline and char in "\t\n\r"
    try:
        validation.check_characters(text, field="felt", label="Feltet", multiline=multiline)
    except ValidationError as exc:
        assert exc.field == "felt" and exc.message.startswith("Feltet ")
        return
    assert allowed_here, f"{char!r} let through"
    assert not any(c in text for c in _REFUSED if c not in "\t\n\r")


@pytest.mark.parametrize(
    "char", [*LINE_BREAKS.values(), "\u202e", "\u200d", "\x00"], ids=[*LINE_BREAKS, "RLO", "ZWJ", "NUL"]
)
def test_a_name_inside_a_plan_or_a_referat_is_one_line_and_its_free_text_may_have_lines(char: str) -> None:
    """Structured content (``check_texts``, used by the plan and referat services): names, organisations, roles and
    phones (``SHORT_TEXTS``) are single-line fields; the sections' free text is multi-line."""
    party = Party(role=next(iter(PartyRole)), name=f"Hanne{char}Hansen")
    participant = Participant(key="p1", name="Hanne", organisation=f"Københavns{char}Kommune")
    for content in (party, participant):
        with pytest.raises(ValidationError) as caught:
            validation.check_texts(content, field="content", label="Teksten")
        assert caught.value.field == "content"
    free = {"formaal": f"Første linje{char}anden linje"}
    if char in LINE_BREAKS.values():
        validation.check_texts(free, field="content", label="Teksten")
    else:
        with pytest.raises(ValidationError):
            validation.check_texts(free, field="content", label="Teksten")
