"""Users, logins and roles (issue 8).

* ``create_administrator`` makes the first user of a real database (first run); refused once any user exists.
* ``authenticate`` checks a password with Argon2id (``argon2-cffi``): an unknown username costs the same work as a
  known one, and the message never says which of the two was wrong. ``LOCKOUT`` (5 wrong → 15 minutes) locks the
  account; while locked even the right password is refused, and each further wrong password after a lock runs out
  locks it again for twice as long (up to a day). Every attempt is an audit line (``AuditAction.LOGIN``): the
  username of an unknown attempt is not logged (it may be a password typed in the wrong field).
* The lock-out holds when many guesses arrive at once (issue 18), on both backends: an attempt is counted as failed
  in a short transaction with the user's row locked *before* its password is checked (and refused there while the
  account is locked); the check runs outside any transaction; a second transaction takes the failure back when the
  password was right and writes the audit line. So of any number of parallel guesses at most ``max_failures`` reach
  the password check. A database busy past its timeout makes a step wait and try again, not fail.
* ``verify_current`` re-checks the signed-in user's password (the idle lock), with the same lock-out.
* Managing users needs ``Permission.MANAGE_USERS`` (administrator); there is always at least one active
  administrator, and nobody deactivates themselves.

Passwords are never stored, logged or returned; the hash stays in ``storage.users``.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, TypeVar

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
from coordinator_app.domain.errors import (
    AuthenticationError,
    DatabaseBusyError,
    KoordinatorError,
    ValidationError,
)
from coordinator_app.lazy import lazy_import
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import COPENHAGEN, ServiceContext, require
from coordinator_app.services.ward import is_demo
from coordinator_app.storage import reads
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
    from sqlalchemy.orm import Session
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


def locked_message(user: User, policy: LockoutPolicy = LOCKOUT, *, now: datetime | None = None) -> str:
    """Why the login is refused and when to try again (Copenhagen time; with the date when that is not today)."""
    assert user.locked_until is not None
    until = user.locked_until.astimezone(COPENHAGEN)
    today = now is None or now.astimezone(COPENHAGEN).date() == until.date()
    when = f"kl. {until:%H:%M}" if today else f"den {until.day}.{until.month}. kl. {until:%H:%M}"
    return (
        f"Kontoen er spærret efter {max(user.failed_attempts, policy.max_failures)} forkerte forsøg. Prøv igen "
        f"{when}, eller bed afsnittets administrator om en ny adgangskode."
    )


def _duration(span: timedelta) -> str:
    """ "15 minutter", "1 time", "24 timer"."""
    minutes = round(span.total_seconds() / 60)
    if minutes < 60 or minutes % 60:
        return f"{minutes} minutter"
    hours = minutes // 60
    return "1 time" if hours == 1 else f"{hours} timer"


_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Claim:
    """A login attempt counted as failed before its password is checked (issue 18). ``user`` None: the username is
    unknown (nothing counted; the password is checked against a dummy hash all the same)."""

    user: User | None
    password_hash: str = ""
    failures: int = 0
    locked_until: datetime | None = None
    now: datetime = _NEVER


_T = TypeVar("_T")

#: How often a login step waits again when another Koordinator held the database past the busy timeout.
BUSY_RETRIES = 3


def _when_not_busy(step: Callable[[], _T]) -> _T:
    """``step`` (one transaction), again after a short pause while the database is busy (``DatabaseBusyError``):
    many workstations logging in at once wait their turn instead of showing "Databasen er låst". A step that failed
    as busy was rolled back, so running it again is safe."""
    for attempt in range(BUSY_RETRIES):
        try:
            return step()
        except DatabaseBusyError:
            if attempt == BUSY_RETRIES - 1:
                raise
            log.info("database busy during a login step; waiting and trying again")
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


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
        with self._ctx.database.connect() as connection:  # Core: no ORM at start (issue 15)
            return reads.user_count(connection) > 0

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
        """Count the attempt as failed (refused while locked), check the password outside any transaction, then
        settle: a right password takes the failure back (issue 18: parallel guesses cannot outrun the count)."""
        claim = _when_not_busy(lambda: self._claim(name))
        stored = claim.password_hash if claim.user is not None else _dummy_hash(self._hasher)
        right = self._verify(stored, password)
        rehashed = self._hasher.hash(password) if right and self._hasher.check_needs_rehash(stored) else None
        return _when_not_busy(lambda: self._settle(claim, right=right, rehashed=rehashed, success=success))

    def _claim(self, name: str) -> _Claim:
        """One short transaction with the user's row locked (``lock_for_login``): refuse while locked, else raise the
        failure count (and the lock, when this attempt reaches it) before the password is looked at."""
        now = self._ctx.clock.now()
        refusal: AuthenticationError | None = None
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            repo.lock_for_login(name)
            user = repo.by_username(name)
            if user is None or user.id is None:
                return _Claim(user=None)
            if user.locked_at(now):
                self._audit_as(user).record_in(session, AuditAction.LOGIN, "Login afvist: kontoen er spærret")
                refusal = AuthenticationError(
                    locked_message(user, self._policy, now=now), locked_until=user.locked_until
                )
            else:
                count, locked_until = self._policy.after_failure(user, now)
                repo.record_failure(user.id, failed_attempts=count, locked_until=locked_until)
                stored = repo.password_hash(user.id)
                claim = _Claim(user, stored, failures=count, locked_until=locked_until, now=now)
        if refusal is not None:  # raised after the commit: the audit line is kept
            raise refusal
        return claim

    def _settle(self, claim: _Claim, *, right: bool, rehashed: str | None, success: str) -> User:
        """The attempt's outcome and its audit line, in a second transaction (each starts with a write: see
        ``storage.users``)."""
        user = claim.user
        refusal: AuthenticationError | None = None
        with self._ctx.database.session() as session:
            repo = UserRepository(session)
            if user is None or user.id is None:
                self._audit_unknown().record_in(session, AuditAction.LOGIN, "Mislykket login (ukendt brugernavn)")
                refusal = AuthenticationError(WRONG_CREDENTIALS)
            elif not right:
                refusal = self._failed(session, claim)
            elif not user.active:
                repo.clear_failures(user.id)
                self._audit_as(user).record_in(session, AuditAction.LOGIN, "Login afvist: brugeren er deaktiveret")
                refusal = AuthenticationError(DEACTIVATED)
            else:
                repo.record_login(user.id, self._ctx.clock.now())
                if rehashed is not None:
                    repo.rehash(user.id, rehashed)
                self._audit_as(user).record_in(session, AuditAction.LOGIN, success)
                user = repo.get(user.id)
        if refusal is not None:  # raised after the commit: the failure count and the audit line are kept
            raise refusal
        assert user is not None
        return user

    def _failed(self, session: Session, claim: _Claim) -> AuthenticationError:
        assert claim.user is not None
        count, locked_until = claim.failures, claim.locked_until
        audit = self._audit_as(claim.user)
        if locked_until is None:
            what = f"Mislykket login (forkert adgangskode, forsøg {count} af {self._policy.max_failures})"
            audit.record_in(session, AuditAction.LOGIN, what)
            return AuthenticationError(WRONG_CREDENTIALS)
        audit.record_in(
            session,
            AuditAction.LOGIN,
            f"Mislykket login; kontoen spærret i {_duration(locked_until - claim.now)} efter {count} forkerte forsøg",
        )
        locked = dataclasses.replace(claim.user, failed_attempts=count, locked_until=locked_until)
        return AuthenticationError(
            f"{WRONG_CREDENTIALS}\n{locked_message(locked, self._policy, now=claim.now)}", locked_until=locked_until
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
