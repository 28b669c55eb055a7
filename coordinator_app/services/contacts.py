"""The contact directory (kontaktbog): people the ward meets, and each kommune's system-based entrance.

* C1/C5: a netværksmøde lists its participants *with concrete contact details*; the directory is where the
  meeting leader picks them from (``MeetingService.known_participants`` appends its active people).
* F3: each kommune has **one system-based entrance** (e.g. a secure mailbox); the directory holds it on the
  kommune (``Kommune.secure_mail``), and the scenario plan shows it on every step sent to that kommune.

People are never deleted: ``deactivate`` hides them from pickers, while old referater naming them stay
explainable. Each operation is one transaction; ``update`` raises ``ConflictError`` when someone else saved the
person in between.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TypedDict

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Contact, Kommune, Sector
from coordinator_app.domain.reference import HOME_REGION, danish_sort_key
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.storage.failures import conflict
from coordinator_app.storage.repositories import ContactRepository, KommuneRepository

__all__ = ["Contact", "ContactInput", "ContactService", "check_email", "check_phone"]

#: Deliberately loose: one @, no spaces, a dot in the domain. Enough to catch a typing error, not to judge
#: deliverability (a secure mailbox address looks like any other e-mail address).
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_PHONE = re.compile(r"\+?[0-9 ]+")
MAX_ORGANISATION = 200
MAX_ROLE = 100
MAX_PHONE = 40
MAX_EMAIL = 200
MAX_NOTE = 2000


@dataclass(frozen=True)
class ContactInput:
    """What the dialog collects for one person (strings as typed; the service trims and checks them)."""

    name: str
    organisation: str = ""
    sector: Sector = Sector.ANDET
    role: str = ""
    phone: str = ""
    email: str = ""
    kommune_code: str | None = None
    note: str = ""


class _ContactFields(TypedDict):
    """A ContactInput trimmed and checked: the Contact fields it sets."""

    name: str
    organisation: str
    sector: Sector
    role: str
    phone: str
    email: str
    kommune_code: str | None
    note: str


def check_email(text: str | None, *, field: str, label: str) -> str:
    """A trimmed e-mail address, or ``""`` when empty; ``ValidationError`` when it does not look like one."""
    value = (text or "").strip()
    if not value:
        return ""
    if len(value) > MAX_EMAIL:
        raise ValidationError(f"{label} er for lang ({len(value)} tegn); højst {MAX_EMAIL} tegn.", field=field)
    validation.check_characters(value, field=field, label=label, multiline=False)
    if not _EMAIL.fullmatch(value):
        raise ValidationError(
            f"{label} »{value}« ligner ikke en e-mailadresse. Skriv den som navn@domæne.dk.", field=field
        )
    return value


def check_phone(text: str | None, *, field: str = "phone", label: str = "Telefonnummeret") -> str:
    """A phone number of digits, spaces and a leading +, or ``""`` when empty."""
    value = validation.single_line(text, field=field, label=label)
    if not value:
        return ""
    if len(value) > MAX_PHONE:
        raise ValidationError(f"{label} er for langt ({len(value)} tegn); højst {MAX_PHONE} tegn.", field=field)
    if not _PHONE.fullmatch(value) or not any(ch.isdigit() for ch in value):
        raise ValidationError(
            f"{label} »{value}« må kun indeholde cifre, mellemrum og + foran (fx 12 34 56 71 eller +45 12 34 56 71).",
            field=field,
        )
    return value


def _text(text: str | None, *, field: str, label: str, max_length: int, multiline: bool = False) -> str:
    return validation.optional_text(text, field=field, label=label, max_length=max_length, multiline=multiline) or ""


def kommune_order(kommune: Kommune) -> tuple[bool, str, str]:
    """Region Hovedstaden first (the ward's own region), then the rest; each part by Danish name."""
    return (kommune.region != HOME_REGION, danish_sort_key(kommune.name), kommune.code)


def contact_order(contact: Contact) -> tuple[str, str, int]:
    return (danish_sort_key(contact.name), danish_sort_key(contact.organisation), contact.id or 0)


class ContactService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- people ------------------------------------------------------------------------------------------------
    def contacts(self, include_inactive: bool = False) -> list[Contact]:
        """The directory, sorted by name (Danish collation); deactivated people only when asked for."""
        with self._ctx.database.session() as session:
            found = ContactRepository(session).all(include_inactive=include_inactive)
        return sorted(found, key=contact_order)

    def get(self, contact_id: int) -> Contact:
        with self._ctx.database.session() as session:
            return ContactRepository(session).get(contact_id)

    def _checked(self, data: ContactInput, kommuner: KommuneRepository) -> _ContactFields:
        name = validation.require_name(data.name, field="name", label="Navnet")
        kommune_code = (data.kommune_code or "").strip() or None
        if kommune_code is not None and (
            not validation.is_kommune_code(kommune_code) or kommuner.get(kommune_code) is None
        ):
            raise ValidationError(
                f"Kommunen med kode {kommune_code} findes ikke i kommunelisten. Vælg kommunen i listen.",
                field="kommune_code",
            )
        try:
            sector = Sector(data.sector)
        except ValueError:
            raise ValidationError("Vælg en sektor i listen.", field="sector") from None
        return {
            "name": name,
            "organisation": _text(
                data.organisation, field="organisation", label="Organisationen", max_length=MAX_ORGANISATION
            ),
            "sector": sector,
            "role": _text(data.role, field="role", label="Rollen", max_length=MAX_ROLE),
            "phone": check_phone(data.phone),
            "email": check_email(data.email, field="email", label="E-mailadressen"),
            "kommune_code": kommune_code,
            "note": _text(data.note, field="note", label="Noten", max_length=MAX_NOTE, multiline=True),
        }

    def add(self, data: ContactInput) -> Contact:
        """Add a person (active). ``ValidationError`` with the field when the input is not usable."""
        require(self._ctx, Permission.EDIT_CONTACTS)
        with self._ctx.database.session() as session:
            values = self._checked(data, KommuneRepository(session))
            return ContactRepository(session).add(Contact(id=None, **values), at=self._ctx.clock.now())

    def update(self, contact_id: int, data: ContactInput, expected_version: int) -> Contact:
        """Save an edit. ``ConflictError`` when the person was changed by someone else since it was read."""
        require(self._ctx, Permission.EDIT_CONTACTS)
        with self._ctx.database.session() as session:
            values = self._checked(data, KommuneRepository(session))
            contacts = ContactRepository(session)
            current = contacts.get(contact_id)
            if current.version != expected_version:
                raise conflict()
            return contacts.update(dataclasses.replace(current, **values), at=self._ctx.clock.now())

    def _set_active(self, contact_id: int, active: bool) -> Contact:
        require(self._ctx, Permission.EDIT_CONTACTS)
        with self._ctx.database.session() as session:
            contacts = ContactRepository(session)
            current = contacts.get(contact_id)
            if current.active == active:
                return current
            return contacts.update(dataclasses.replace(current, active=active), at=self._ctx.clock.now())

    def deactivate(self, contact_id: int) -> Contact:
        """Take the person out of the pickers. Nothing is deleted: old referater still name them."""
        return self._set_active(contact_id, False)

    def reactivate(self, contact_id: int) -> Contact:
        return self._set_active(contact_id, True)

    # -- F3: the kommuner's system-based entrances -------------------------------------------------------------
    def kommune_entrances(self) -> list[Kommune]:
        """All kommuner with their secure-mail entrance, Region Hovedstaden first, then by Danish name."""
        with self._ctx.database.session() as session:
            kommuner = KommuneRepository(session).all()
        return sorted(kommuner, key=kommune_order)

    def set_kommune_entrance(self, code: str, address: str | None) -> Kommune:
        """F3: set (or, with an empty address, clear) the kommune's one system-based entrance."""
        require(self._ctx, Permission.MANAGE_SETTINGS)
        try:
            value = check_email(address, field="secure_mail", label="Den sikre postkasse")
        except ValidationError as exc:
            raise ValidationError(exc.message, field="secure_mail", rule="F3") from None
        if not validation.is_kommune_code(code):
            raise ValidationError("Vælg kommunen i listen.", field="code", rule="F3")
        with self._ctx.database.session() as session:
            return KommuneRepository(session).set_secure_mail(code, value or None)
