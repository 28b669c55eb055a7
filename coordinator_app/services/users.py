"""Users, logins and roles (issue 8).

* ``create_administrator`` makes the first user of a real database (first run); refused once any user exists.
* ``authenticate`` checks a password with Argon2id (``argon2-cffi``): an unknown username costs the same work as a
  known one, and the message never says which of the two was wrong. ``LOCKOUT`` (5 wrong → 15 minutes) locks the
  account; while locked even the right password is refused. Every attempt is an audit line (``AuditAction.LOGIN``):
  the username of an unknown attempt is not logged (it may be a password typed in the wrong field).
* ``verify_current`` re-checks the signed-in user's password (the idle lock), with the same lock-out.
* Managing users needs ``Permission.MANAGE_USERS`` (administrator); there is always at least one active
  administrator, and nobody deactivates themselves.

Passwords are never stored, logged or returned; the hash stays in ``storage.users``.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from coordinator_app.domain.access import (
    DEMO_PRINCIPAL,
    LOCKOUT,
    ROLE_LABELS,
    LockoutPolicy,
    Permission,
    Role,
    User,
    check_full_name,
    check_password,
    check_username,
    normalize_username,
)
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import AuthenticationError, KoordinatorError, ValidationError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import COPENHAGEN, ServiceContext, require
from coordinator_app.services.ward import is_demo
from coordinator_app.storage.users import UserRepository

__all__ = ["WRONG_CREDENTIALS", "UserService"]

log = logging.getLogger("koordinator.users")

WRONG_CREDENTIALS = "Forkert brugernavn eller adgangskode. Store og små bogstaver tæller med i adgangskoden."
DEACTIVATED = "Brugeren er deaktiveret og kan ikke logge ind. Kontakt afsnittets administrator."
UNKNOWN_USER = "(ukendt)"  # the audit line's user for an attempt with an unknown username


if TYPE_CHECKING:
    import argon2
    from argon2 import PasswordHasher
    from argon2 import exceptions as argon2_exceptions
else:  # argon2 when a password is first hashed or checked, not at start
    argon2 = lazy_import("argon2")
    argon2_exceptions = lazy_import("argon2.exceptions")


@cache
def default_hasher() -> PasswordHasher:
    """Argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile). Tests pass a cheaper one.

    Made (and ``argon2`` imported) when a password is first hashed or checked, not at start."""
    return argon2.PasswordHasher()


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against when the username is unknown, so the answer takes as long as for a known one."""
    return hasher.hash("ingen bruger har denne adgangskode")


def locked_message(user: User, policy: LockoutPolicy = LOCKOUT) -> str:
    assert user.locked_until is not None
    until = user.locked_until.astimezone(COPENHAGEN)
    return (
        f"Kontoen er spærret efter {policy.max_failures} forkerte forsøg. Prøv igen kl. {until:%H:%M}, eller bed "
        "afsnittets administrator om en ny adgangskode."
    )


class UserService:
    def __init__(
        self, ctx: ServiceContext, *, hasher: PasswordHasher | None = None, policy: LockoutPolicy = LOCKOUT
    ) -> None:
        self._ctx = ctx
        self._given_hasher = hasher
        self._policy = policy
        self._audit = AuditService(ctx)

    # -- first run and reading -----------------------------------------------------------------------------------
    def has_users(self) -> bool:
        with self._ctx.database.session() as session:
            return UserRepository(session).count() > 0

    def needs_login(self) -> bool:
        """A demo database, and a real one before its first administrator exists, open without a login (the demo
        user, full rights); any other needs one — in the window and for headless commands alike."""
        return not is_demo(self._ctx) and self.has_users()

    def users(self) -> list[User]:
        require(self._ctx, Permission.MANAGE_USERS)
        with self._ctx.database.session() as session:
            return UserRepository(session).all()

    def create_administrator(self, username: str, full_name: str, password: str) -> User:
        """The first user of a real database, an administrator. Refused once any user exists (then an
        administrator adds users)."""
        name, full, hashed = self._checked(username, full_name, password)
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            if repo.count() > 0:
                raise KoordinatorError(
                    "Databasen har allerede en administrator. Log ind, og bed en administrator om at oprette dig."
                )
            created = repo.add(
                username=name, full_name=full, role=Role.ADMINISTRATOR, password_hash=hashed, at=self._ctx.clock.now()
            )
            self._audit_as(created).record_in(session, AuditAction.OPRET, f"Første administrator oprettet: {name}")
        return created

    # -- logging in ----------------------------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> User:
        """The user when the password is right and the account active and not locked; else
        ``AuthenticationError`` (Danish) — the same message for an unknown user and a wrong password."""
        if not username.strip() or not password:
            raise ValidationError("Skriv dit brugernavn og din adgangskode.", field="username")
        return self._check(normalize_username(username), password, success="Logget ind")

    def verify_current(self, password: str) -> User:
        """The idle lock: the signed-in user types their password again (same lock-out, logged)."""
        if self._ctx.principal.demo:
            raise KoordinatorError("Demobrugeren har ingen adgangskode.")
        if not password:
            raise ValidationError("Skriv din adgangskode.", field="password")
        return self._check(self._ctx.principal.username, password, success="Skærmen låst op")

    def _check(self, name: str, password: str, *, success: str) -> User:
        now = self._ctx.clock.now()
        refusal: AuthenticationError | None = None
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            user = repo.by_username(name)
            if user is None or user.id is None:
                self._verify(_dummy_hash(self._hasher), password)
                self._audit_unknown().record_in(session, AuditAction.LOGIN, "Mislykket login (ukendt brugernavn)")
                refusal = AuthenticationError(WRONG_CREDENTIALS)
            elif user.locked_at(now):
                self._audit_as(user).record_in(session, AuditAction.LOGIN, "Login afvist: kontoen er spærret")
                refusal = AuthenticationError(locked_message(user, self._policy), locked_until=user.locked_until)
            elif not self._verify(repo.password_hash(user.id), password):
                refusal = self._failed(session, repo, user, now)
            elif not user.active:
                self._audit_as(user).record_in(session, AuditAction.LOGIN, "Login afvist: brugeren er deaktiveret")
                refusal = AuthenticationError(DEACTIVATED)
            else:
                repo.record_login(user.id, now)
                stored = repo.password_hash(user.id)
                if self._hasher.check_needs_rehash(stored):
                    repo.rehash(user.id, self._hasher.hash(password))
                self._audit_as(user).record_in(session, AuditAction.LOGIN, success)
                user = repo.get(user.id)
        if refusal is not None:  # raised after the commit: the failure count and the audit line are kept
            raise refusal
        assert user is not None
        return user

    def _failed(self, session: Session, repo: UserRepository, user: User, now: datetime) -> AuthenticationError:
        assert user.id is not None
        count, locked_until = self._policy.after_failure(user, now)
        repo.record_failure(user.id, failed_attempts=count, locked_until=locked_until)
        audit = self._audit_as(user)
        if locked_until is None:
            what = f"Mislykket login (forkert adgangskode, forsøg {count} af {self._policy.max_failures})"
            audit.record_in(session, AuditAction.LOGIN, what)
            return AuthenticationError(WRONG_CREDENTIALS)
        audit.record_in(
            session,
            AuditAction.LOGIN,
            f"Mislykket login; kontoen spærret i {self._policy.lock_minutes} minutter efter {count} forkerte forsøg",
        )
        locked = dataclasses.replace(user, locked_until=locked_until)
        return AuthenticationError(
            f"{WRONG_CREDENTIALS}\n{locked_message(locked, self._policy)}", locked_until=locked_until
        )

    @property
    def _hasher(self) -> PasswordHasher:
        return self._given_hasher or default_hasher()

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(hashed, password))
        except argon2_exceptions.InvalidHashError:
            log.error("a stored password hash is not an Argon2 hash; the login is refused")
            return False
        except argon2_exceptions.VerificationError:  # VerifyMismatchError and the rest: not this password
            return False

    # -- managing users (administrator) ----------------------------------------------------------------------------
    def create_user(self, username: str, full_name: str, role: Role, password: str) -> User:
        require(self._ctx, Permission.MANAGE_USERS)
        name, full, hashed = self._checked(username, full_name, password)
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            if repo.by_username(name) is not None:
                raise ValidationError(f"Brugernavnet «{name}» er allerede i brug. Vælg et andet.", field="username")
            created = repo.add(
                username=name, full_name=full, role=Role(role), password_hash=hashed, at=self._ctx.clock.now()
            )
            self._log(session, f"Bruger {name} oprettet ({ROLE_LABELS[created.role]})", AuditAction.OPRET)
        return created

    def set_role(self, user_id: int, role: Role, *, expected_version: int | None = None) -> User:
        require(self._ctx, Permission.MANAGE_USERS)
        role = Role(role)
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            user = self._current(repo, user_id, expected_version)
            if user.role is role:
                return user
            if user.role is Role.ADMINISTRATOR and user.active:
                self._keep_an_administrator(repo)
            updated = repo.update(dataclasses.replace(user, role=role))
            self._log(
                session, f"Bruger {user.username}: rolle ændret fra {ROLE_LABELS[user.role]} til {ROLE_LABELS[role]}"
            )
        return updated

    def deactivate(self, user_id: int, *, expected_version: int | None = None) -> User:
        """The user can no longer log in; the account stays (the audit log names it)."""
        require(self._ctx, Permission.MANAGE_USERS)
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            user = self._current(repo, user_id, expected_version)
            if not user.active:
                return user
            if user.username == self._ctx.principal.username and not self._ctx.principal.demo:
                raise ValidationError("Du kan ikke deaktivere dig selv. Bed en anden administrator om det.")
            if user.role is Role.ADMINISTRATOR:
                self._keep_an_administrator(repo)
            updated = repo.update(dataclasses.replace(user, active=False))
            self._log(session, f"Bruger {user.username} deaktiveret")
        return updated

    def reactivate(self, user_id: int, *, expected_version: int | None = None) -> User:
        require(self._ctx, Permission.MANAGE_USERS)
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            user = self._current(repo, user_id, expected_version)
            if user.active:
                return user
            updated = repo.update(dataclasses.replace(user, active=True))
            self._log(session, f"Bruger {user.username} genaktiveret")
        return updated

    def reset_password(self, user_id: int, new_password: str) -> User:
        """A new password set by an administrator (the user forgot theirs, or was locked out): also unlocks."""
        require(self._ctx, Permission.MANAGE_USERS)
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            user = repo.get(user_id)
            check_password(new_password, user.username)
            updated = repo.set_password_hash(user, self._hasher.hash(new_password))
            self._log(session, f"Bruger {user.username}: ny adgangskode sat af administrator (konto låst op)")
        return updated

    def change_own_password(self, current_password: str, new_password: str) -> User:
        """Any signed-in user changes their own password; the current one is checked (and counts as a login
        attempt for the lock-out)."""
        user = self.verify_current(current_password)
        check_password(new_password, user.username)
        if new_password == current_password:
            raise ValidationError("Den nye adgangskode skal være en anden end den nuværende.", field="password")
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            updated = repo.set_password_hash(repo.get(user.id or 0), self._hasher.hash(new_password))
            self._audit_as(updated).record_in(session, AuditAction.RET, "Egen adgangskode ændret")
        return updated

    # -- helpers -----------------------------------------------------------------------------------------------
    def _checked(self, username: str, full_name: str, password: str) -> tuple[str, str, str]:
        name = check_username(username)
        full = check_full_name(full_name)
        check_password(password, name)
        return name, full, self._hasher.hash(password)

    @staticmethod
    def _current(repo: UserRepository, user_id: int, expected_version: int | None) -> User:
        user = repo.get(user_id)
        return user if expected_version is None else dataclasses.replace(user, version=expected_version)

    @staticmethod
    def _keep_an_administrator(repo: UserRepository) -> None:
        if repo.count_active(Role.ADMINISTRATOR) <= 1:
            raise ValidationError(
                "Der skal altid være mindst én aktiv administrator. Giv en anden bruger rollen Administrator først.",
                field="role",
            )

    def _log(self, session: Session, what: str, action: AuditAction = AuditAction.RET) -> None:
        """An administrator's change to a user: one audit line by the administrator, no patient."""
        self._audit.record_in(session, action, what)

    def _audit_as(self, user: User) -> AuditService:
        """Audit lines of a login name the person trying, not the (not yet signed-in) context."""
        return AuditService(dataclasses.replace(self._ctx, principal=user.principal))

    def _audit_unknown(self) -> AuditService:
        return AuditService(dataclasses.replace(self._ctx, user=UNKNOWN_USER, principal=DEMO_PRINCIPAL))


# -- the idle lock's time (issue 8) ----------------------------------------------------------------------------

IDLE_META_KEY = "idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 5
MAX_IDLE_MINUTES = 60


def load_idle_minutes(ctx: ServiceContext) -> int:
    """Minutes without use before the screen locks: the ward's setting (every workstation on the database),
    ``DEFAULT_IDLE_MINUTES`` when none is stored or it cannot be read."""
    raw = ctx.database.get_meta(IDLE_META_KEY)
    try:
        minutes = int(raw) if raw else DEFAULT_IDLE_MINUTES
    except ValueError:
        log.warning("idle lock setting unreadable; using %d minutes", DEFAULT_IDLE_MINUTES)
        return DEFAULT_IDLE_MINUTES
    return minutes if 1 <= minutes <= MAX_IDLE_MINUTES else DEFAULT_IDLE_MINUTES


def save_idle_minutes(ctx: ServiceContext, minutes: int) -> int:
    """An administrator sets the idle lock's time (1–60 minutes); there is no "never"."""
    require(ctx, Permission.MANAGE_SETTINGS)
    if not 1 <= minutes <= MAX_IDLE_MINUTES:
        raise ValidationError(
            f"Skærmen skal låses efter mellem 1 og {MAX_IDLE_MINUTES} minutter uden brug.", field="idle_minutes"
        )
    ctx.database.set_meta(IDLE_META_KEY, str(minutes))
    AuditService(ctx).record(AuditAction.RET, f"Skærmlås efter {minutes} minutter uden brug")
    return minutes
