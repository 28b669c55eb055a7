"""Who may do what (issue 8): the four roles, what each may do, lock-out after failed logins, password rules.

Pure Python: no database, no Qt. The services enforce the matrix (``services.context.require``) — hiding a button
is a courtesy, not the protection.

The matrix and why:

* **Læseadgang** reads: the lists, the details, the documents on screen, the statistics. Nothing is written, and
  nothing leaves the program (no printing, no saved files, no exports).
* **Mødeleder** chairs netværksmøder (C1–C10): plans and reschedules them, runs the live meeting (autosave),
  closes it, issues and distributes the referat, marks its agreements done, prints the documents and keeps the
  kontaktbog up to date. A mødeleder does not send to the kommune (varsling, færdigmelding …), record consents,
  edit admissions or put plans in force: those are the coordinator's legal acts (B5, F1, E1–E3).
* **Koordinator** does all the ward's work: admissions, scenario, sending to the kommune, documents, consents,
  meetings, plans, the kontaktbog and exporting statistics, and lends cases to a laptop file (``LEND_CASES``,
  issue 19: the work the file carries is the koordinator's). Not the unit's settings, users or the audit log.
* **Administrator** manages users, the unit's settings (bed-day rate, calendar, sender profile, centres, the
  kommuner's secure mailboxes), takes backups and restores them (a copy of the whole database, and replacing it:
  ``BACKUP``/``RESTORE``, issue 18), revokes a loan of cases to a laptop file (``REVOKE_LOAN``, issue 19: the
  ward's writes resume, and the laptop's work becomes conflicts) and
  reads/exports the audit log (GDPR art. 15) — *and* can do everything a
  koordinator can. In a ward the administrator is the lead coordinator or the ward's IT key person, often the
  only one on duty; a second account just to do ordinary work would be shared or left logged in. Every act is in
  the hash-chained audit log under the person's own name, which is the control that matters here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from coordinator_app.domain import validation
from coordinator_app.domain.errors import AccessDeniedError, ValidationError

__all__ = [
    "DEMO_PRINCIPAL",
    "LOCKOUT",
    "PERMISSION_PHRASES",
    "ROLE_LABELS",
    "ROLE_PERMISSIONS",
    "LockoutPolicy",
    "Permission",
    "Principal",
    "Role",
    "User",
    "check_full_name",
    "check_password",
    "check_permission",
    "denial_message",
    "normalize_username",
    "password_problem",
]


class Role(StrEnum):
    """Stored in ``users.role``: never rename the values."""

    KOORDINATOR = "koordinator"
    MOEDELEDER = "moedeleder"
    LAESEADGANG = "laeseadgang"
    ADMINISTRATOR = "administrator"


ROLE_LABELS: dict[Role, str] = {
    Role.KOORDINATOR: "Koordinator",
    Role.MOEDELEDER: "Mødeleder",
    Role.LAESEADGANG: "Læseadgang",
    Role.ADMINISTRATOR: "Administrator",
}


class Permission(StrEnum):
    READ = "read"  # lists, details, documents and statistics on screen
    EDIT_ADMISSION = "edit_admission"  # create/edit admissions, assess the scenario, record the discharge
    SEND_NOTIFICATION = "send_notification"  # orientering, varsling, færdigmelding, … to the kommune; corrections
    ISSUE_DOCUMENT = "issue_document"  # issue a varslingsblanket (again)
    EXPORT_DOCUMENT = "export_document"  # print an archived document or save it as a file
    MANAGE_MEETING = "manage_meeting"  # schedule/reschedule netværksmøder, the template, the referat's recipients
    RUN_MEETING = "run_meeting"  # start, autosave and close a meeting, issue its referat, mark agreements done
    EDIT_PLAN = "edit_plan"  # udskrivningsaftale/koordinationsplan: facts, kladde, put in force, end
    MANAGE_CONSENT = "manage_consent"  # record or withdraw a consent (F1)
    EDIT_CONTACTS = "edit_contacts"  # the kontaktbog
    EXPORT_STATISTICS = "export_statistics"  # statistics as XLSX/CSV
    MANAGE_SETTINGS = "manage_settings"  # bed-day rate, calendar, sender profile, centres, kommuner's mailboxes
    MANAGE_USERS = "manage_users"  # add users, change roles, deactivate, reset passwords
    VIEW_AUDIT = "view_audit"  # verify the audit log, read or export a patient's log
    BACKUP = "backup"  # copy the whole database to a backup file (the dialog's «Tag sikkerhedskopi nu», ``backup``)
    RESTORE = "restore"  # replace the whole database with a backup (the dialog's «Gendan…», ``restore``; issue 18)
    LEND_CASES = "lend_cases"  # take cases out to a laptop file (``checkout``, issue 19; ``domain.offline``)
    REVOKE_LOAN = "revoke_loan"  # end a loan without the laptop file (a lost laptop): the administrator's (issue 19)


#: What the denial says the role may not do: "Din rolle (Læseadgang) må ikke <phrase>."
PERMISSION_PHRASES: dict[Permission, str] = {
    Permission.READ: "se patientdata",
    Permission.EDIT_ADMISSION: "oprette eller rette indlæggelser",
    Permission.SEND_NOTIFICATION: "sende varslinger",
    Permission.ISSUE_DOCUMENT: "udstede dokumenter",
    Permission.EXPORT_DOCUMENT: "skrive dokumenter ud eller gemme dem som fil",
    Permission.MANAGE_MEETING: "planlægge netværksmøder",
    Permission.RUN_MEETING: "holde netværksmøder eller udstede referater",
    Permission.EDIT_PLAN: "rette udskrivningsaftaler eller koordinationsplaner",
    Permission.MANAGE_CONSENT: "registrere samtykker",
    Permission.EDIT_CONTACTS: "rette i kontaktbogen",
    Permission.EXPORT_STATISTICS: "eksportere statistik",
    Permission.MANAGE_SETTINGS: "ændre afsnittets indstillinger",
    Permission.MANAGE_USERS: "administrere brugere",
    Permission.VIEW_AUDIT: "se eller eksportere revisionsloggen",
    Permission.BACKUP: "tage sikkerhedskopier af databasen",
    Permission.RESTORE: "gendanne databasen fra en sikkerhedskopi",
    Permission.LEND_CASES: "tage sager med offline",
    Permission.REVOKE_LOAN: "tilbagekalde udlån af sager",
}

_MEETINGS = frozenset({Permission.READ, Permission.MANAGE_MEETING, Permission.RUN_MEETING})
_KOORDINATOR = frozenset(Permission) - {
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_USERS,
    Permission.VIEW_AUDIT,
    Permission.BACKUP,
    Permission.RESTORE,
    Permission.REVOKE_LOAN,
}

#: The matrix (see the module docstring for the reasons).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.LAESEADGANG: frozenset({Permission.READ}),
    Role.MOEDELEDER: _MEETINGS | {Permission.EXPORT_DOCUMENT, Permission.EDIT_CONTACTS},
    Role.KOORDINATOR: _KOORDINATOR,
    Role.ADMINISTRATOR: frozenset(Permission),
}


@dataclass(frozen=True)
class Principal:
    """Who is working: the signed-in user (or the demo user) and their role."""

    username: str
    role: Role
    full_name: str = ""
    demo: bool = False  # the demo user of a demo database or a test: no login, visibly marked

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def record_name(self) -> str:
        """The name written into records and the audit log: "Mette Hansen (mhansen)" — readable on a printed
        form, unambiguous in the log (usernames are unique)."""
        if self.demo or not self.full_name:
            return self.username
        return f"{self.full_name} ({self.username})"

    @property
    def label(self) -> str:
        """For the status bar: "Mette Hansen · Koordinator"."""
        return f"{self.full_name or self.username} · {ROLE_LABELS[self.role]}"


#: The default identity of a ``ServiceContext``: demo databases, ``--smoke``, tests and set-up code. Full rights;
#: a real database's window is built with the signed-in user instead.
DEMO_PRINCIPAL = Principal(username="demo", role=Role.ADMINISTRATOR, full_name="Demobruger", demo=True)


def denial_message(role: Role, permission: Permission) -> str:
    return (
        f"Din rolle ({ROLE_LABELS[role]}) må ikke {PERMISSION_PHRASES[permission]}. Kontakt afsnittets administrator."
    )


def check_permission(principal: Principal, permission: Permission) -> None:
    """Raise ``AccessDeniedError`` (Danish) unless the principal's role has ``permission``."""
    if not principal.may(permission):
        raise AccessDeniedError(denial_message(principal.role, permission), permission=permission.value)


# -- users ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """A user as the app sees it — never with the password hash."""

    id: int | None
    username: str
    full_name: str
    role: Role
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime | None = None
    last_login_at: datetime | None = None
    version: int | None = None

    @property
    def principal(self) -> Principal:
        return Principal(username=self.username, role=self.role, full_name=self.full_name)

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


USERNAME_MAX = 32
FULL_NAME_MAX = 60  # with the username in record_name, within the 100 characters records keep
_USERNAME = re.compile(r"[a-z0-9æøå._-]+")


def normalize_username(text: str) -> str:
    """Usernames are case-insensitive: stored and compared in lower case ("MHansen" is "mhansen")."""
    return text.strip().lower()


def check_username(text: str) -> str:
    """The normalised username; ``ValidationError`` (Danish, field="username") when it cannot be one."""
    name = normalize_username(text)
    if len(name) < 2:
        raise ValidationError("Brugernavnet skal have mindst 2 tegn.", field="username")
    if len(name) > USERNAME_MAX:
        raise ValidationError(f"Brugernavnet er for langt; højst {USERNAME_MAX} tegn.", field="username")
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            "Brugernavnet må kun indeholde bogstaver, tal, punktum, bindestreg og understreg (ingen mellemrum).",
            field="username",
        )
    return name


def check_full_name(text: str) -> str:
    """The name on one line, trimmed, in the text policy of ``validation``."""
    name = validation.single_line(text, field="full_name", label="Det fulde navn")
    if not name:
        raise ValidationError("Skriv brugerens fulde navn.", field="full_name")
    if len(name) > FULL_NAME_MAX:
        raise ValidationError(f"Navnet er for langt; højst {FULL_NAME_MAX} tegn.", field="full_name")
    return name


# -- passwords ----------------------------------------------------------------------------------------------------

PASSWORD_MIN = 10
PASSWORD_MAX = 256
#: Refused whatever their length: the first guesses of anyone trying.
_COMMON = frozenset(
    {"adgangskode", "adgangskode1", "adgangskode123", "password123", "koordinator", "koordinator1", "1234567890",
     "0123456789", "qwertyuiop", "sommer2026", "vinter2026", "velkommen123", "psykiatri1"}
)  # fmt: skip


def password_problem(password: str, username: str = "") -> str | None:
    """Why the password cannot be used (Danish), or None. Length counts most: at least 10 characters; a sentence
    of a few words is a good password."""
    if len(password) < PASSWORD_MIN:
        return (
            f"Adgangskoden skal have mindst {PASSWORD_MIN} tegn (den har {len(password)}). En kort sætning på "
            "nogle få ord er let at huske og svær at gætte."
        )
    if len(password) > PASSWORD_MAX:
        return f"Adgangskoden er for lang; højst {PASSWORD_MAX} tegn."
    if not password.strip():
        return "Adgangskoden må ikke kun bestå af mellemrum."
    if len(set(password)) < 4:
        return "Adgangskoden skal have mindst 4 forskellige tegn."
    lowered = password.strip().lower()
    if username and normalize_username(username) in lowered:
        return "Adgangskoden må ikke indeholde brugernavnet."
    if lowered in _COMMON:
        return "Adgangskoden er for almindelig og gættes let. Vælg en anden."
    return None


def check_password(password: str, username: str = "") -> None:
    problem = password_problem(password, username)
    if problem is not None:
        raise ValidationError(problem, field="password")


# -- lock-out -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``max_failures`` wrong passwords in a row the account is locked for ``lock_minutes``; while locked
    even the right password is refused. The lock grows with the failures: once it runs out, the count goes on, and
    every further wrong password locks the account again for twice as long as the last time (15, 30, 60 minutes
    …), at most ``max_lock_minutes``. Only the right password (or an administrator's new one) resets the count.

    The services count an attempt as failed *before* its password is checked (``after_failure``) and take it back
    when the password was right, so guesses made at the same moment cannot outrun the count."""

    max_failures: int = 5
    lock_minutes: int = 15
    max_lock_minutes: int = 24 * 60

    @property
    def lock_time(self) -> timedelta:
        """The first lock's length."""
        return timedelta(minutes=self.lock_minutes)

    def lock_after(self, failures: int) -> timedelta | None:
        """How long ``failures`` wrong passwords in a row lock the account (None: not at all)."""
        if failures < self.max_failures:
            return None
        doublings = min(failures - self.max_failures, 32)  # 2**32 minutes is past any cap
        return timedelta(minutes=min(self.lock_minutes * 2**doublings, self.max_lock_minutes))

    def after_failure(self, user: User, now: datetime) -> tuple[int, datetime | None]:
        """The new failure count and lock (None: not locked) after one more wrong password at ``now``."""
        count = user.failed_attempts + 1
        lock = self.lock_after(count)
        return count, (now + lock if lock is not None else None)


LOCKOUT = LockoutPolicy()
