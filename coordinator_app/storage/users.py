"""The users table (issue 8): accounts, roles, password hashes and the login bookkeeping.

Works inside the caller's session like the other repositories. Hands out ``access.User`` (never the hash); the
hash is read only by ``password_hash`` for the login check. Edits go through the ORM so ``version_id_col`` guards
against a concurrent edit by another administrator; the login bookkeeping (failures, lock, last login) is a plain
UPDATE in place, so two workstations failing at once both count.

A login reads the user *after* ``lock_for_login`` (issue 18): a no-op UPDATE of the user's row as the transaction's
first statement takes the row's lock on PostgreSQL and the write lock on SQLite, so parallel attempts take turns at
reading and raising the failure count — none reads a count another is about to raise. On SQLite the write comes
first because a transaction that has read cannot wait for the write lock (it fails as "database is locked"); one
that starts by writing waits for it (the busy timeout).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from coordinator_app.domain.access import Role, User, normalize_username
from coordinator_app.domain.errors import NotFoundError
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import reads, tables
from coordinator_app.storage.convert import utc
from coordinator_app.storage.failures import conflict

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = ["UserRepository"]

_USERS = tables.users
_PUBLIC = [c for c in _USERS.c if c.name != "password_hash"]


def _user_from(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        full_name=row.full_name,
        role=Role(row.role),
        active=bool(row.active),
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        version=row.version,
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- reading ----------------------------------------------------------------------------------------------
    def count(self) -> int:
        return reads.user_count(reads.of_session(self._session))

    def all(self) -> list[User]:
        """Everyone, active first, then by username."""
        rows = self._session.execute(select(*_PUBLIC).order_by(_USERS.c.active.desc(), _USERS.c.username))
        return [_user_from(r) for r in rows]

    def count_active(self, role: Role) -> int:
        stmt = select(func.count()).select_from(_USERS).where(_USERS.c.role == role.value, _USERS.c.active.is_(True))
        return int(self._session.scalar(stmt) or 0)

    def get(self, user_id: int) -> User:
        row = self._session.execute(select(*_PUBLIC).where(_USERS.c.id == user_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"Brugeren (nr. {user_id}) findes ikke. Opdatér listen.")
        return _user_from(row)

    def by_username(self, username: str) -> User | None:
        stmt = select(*_PUBLIC).where(_USERS.c.username == normalize_username(username))
        row = self._session.execute(stmt).one_or_none()
        return _user_from(row) if row is not None else None

    def lock_for_login(self, username: str) -> None:
        """Take the user's row lock (PostgreSQL) or the write lock (SQLite) until the transaction ends; call it
        first in the transaction, before anything is read. An unknown username locks no row (on SQLite the write
        lock is taken all the same)."""
        self._session.execute(
            update(_USERS)
            .where(_USERS.c.username == normalize_username(username))
            .values(failed_attempts=_USERS.c.failed_attempts)
        )

    def password_hash(self, user_id: int) -> str:
        found = self._session.scalar(select(_USERS.c.password_hash).where(_USERS.c.id == user_id))
        if found is None:
            raise NotFoundError(f"Brugeren (nr. {user_id}) findes ikke. Opdatér listen.")
        return str(found)

    # -- writing ----------------------------------------------------------------------------------------------
    def add(self, *, username: str, full_name: str, role: Role, password_hash: str, at: datetime) -> User:
        row = orm.UserRow(
            username=normalize_username(username),
            full_name=full_name,
            role=Role(role).value,
            password_hash=password_hash,
            active=True,
            failed_attempts=0,
            created_at=utc(at, "User.created_at"),
        )
        self._session.add(row)
        self._session.flush()
        return self.get(row.id)

    def _row(self, user: User) -> orm.UserRow:
        if user.id is None:
            raise ValueError("a user without an id: use add()")
        row = self._session.get(orm.UserRow, user.id)
        if row is None:
            raise NotFoundError(f"Brugeren {user.username} findes ikke længere. Opdatér listen.")
        if user.version is not None and user.version != row.version:
            raise conflict()
        return row

    def update(self, user: User) -> User:
        """Save the role, name and active flag; ``ConflictError`` when ``user.version`` is not the stored one."""
        row = self._row(user)
        row.full_name = user.full_name
        row.role = Role(user.role).value
        row.active = user.active
        self._session.flush()
        return self.get(row.id)

    def set_password_hash(self, user: User, password_hash: str, *, unlock: bool = True) -> User:
        """A new password (reset or changed); ``unlock`` also clears failures and a lock."""
        row = self._row(user)
        row.password_hash = password_hash
        if unlock:
            row.failed_attempts = 0
            row.locked_until = None
        self._session.flush()
        return self.get(row.id)

    def record_failure(self, user_id: int, *, failed_attempts: int, locked_until: datetime | None) -> None:
        self._session.execute(
            update(_USERS)
            .where(_USERS.c.id == user_id)
            .values(
                failed_attempts=failed_attempts,
                locked_until=utc(locked_until, "User.locked_until") if locked_until is not None else None,
                version=_USERS.c.version + 1,
            )
        )

    def clear_failures(self, user_id: int) -> None:
        """The right password was given (for a deactivated user, who is refused all the same): no failures, no lock."""
        self._session.execute(
            update(_USERS)
            .where(_USERS.c.id == user_id)
            .values(failed_attempts=0, locked_until=None, version=_USERS.c.version + 1)
        )

    def record_login(self, user_id: int, at: datetime) -> None:
        self._session.execute(
            update(_USERS)
            .where(_USERS.c.id == user_id)
            .values(
                failed_attempts=0,
                locked_until=None,
                last_login_at=utc(at, "User.last_login_at"),
                version=_USERS.c.version + 1,
            )
        )

    def rehash(self, user_id: int, password_hash: str) -> None:
        """The same password under the current Argon2 parameters (after a successful login)."""
        self._session.execute(
            update(_USERS)
            .where(_USERS.c.id == user_id)
            .values(password_hash=password_hash, version=_USERS.c.version + 1)
        )
