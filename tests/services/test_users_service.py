"""Users and logins (issue 8) on SQLite and PostgreSQL: the first administrator once, Argon2 hashes, logins that
never say whether the user exists, lock-out after 5 wrong passwords and release after 15 minutes, audit lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from coordinator_app.domain.access import LockoutPolicy, Role
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import (
    AccessDeniedError,
    AuthenticationError,
    DatabaseBusyError,
    KoordinatorError,
    ValidationError,
)
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.users import (
    DEFAULT_IDLE_MINUTES,
    WRONG_CREDENTIALS,
    UserService,
    load_idle_minutes,
    save_idle_minutes,
)
from coordinator_app.services.ward import DEMO_META_KEY
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.orm import UserRow
from coordinator_app.storage.users import UserRepository

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PASSWORD = "grøn hest på taget"
#: Cheap Argon2id parameters: the tests check the behaviour, not the cost.
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class MovingClock:
    def __init__(self) -> None:
        self.now = START

    def clock(self) -> Clock:
        return Clock(now_utc=lambda: self.now)


@pytest.fixture
def time() -> MovingClock:
    return MovingClock()


@pytest.fixture
def ctx(database, time: MovingClock) -> ServiceContext:
    return ServiceContext(database=database, clock=time.clock())


@pytest.fixture
def service(ctx: ServiceContext) -> UserService:
    return UserService(ctx, hasher=FAST)


@pytest.fixture
def admin(service: UserService):
    return service.create_administrator("Admin", "Anne Administrator", PASSWORD)


def audit_lines(ctx: ServiceContext) -> list[tuple[str, AuditAction, str]]:
    with ctx.database.session() as session:
        return [(e.user, e.action, e.what) for e in AuditRepository(session).all()]


def stored_hash(ctx: ServiceContext, username: str) -> str:
    with ctx.database.session() as session:
        return str(session.scalar(select(UserRow.password_hash).where(UserRow.username == username)))


def test_the_first_administrator_is_created_once(service: UserService, ctx: ServiceContext) -> None:
    assert not service.has_users()
    created = service.create_administrator("  Admin ", "Anne  Administrator", PASSWORD)
    assert (created.username, created.full_name, created.role, created.active) == (
        "admin",
        "Anne Administrator",
        Role.ADMINISTRATOR,
        True,
    )
    assert service.has_users()
    with pytest.raises(KoordinatorError, match="allerede en administrator"):
        service.create_administrator("admin2", "Bo Bagdør", PASSWORD)
    assert [u.username for u in service.users()] == ["admin"]
    assert audit_lines(ctx) == [
        ("Anne Administrator (admin)", AuditAction.OPRET, "Første administrator oprettet: admin")
    ]


def test_the_password_is_stored_as_an_argon2id_hash_never_as_itself(
    service: UserService, ctx: ServiceContext, admin
) -> None:
    hashed = stored_hash(ctx, "admin")
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert FAST.verify(hashed, PASSWORD)
    assert PASSWORD not in repr(admin)
    assert all(PASSWORD not in what for _u, _a, what in audit_lines(ctx))


def test_the_default_hasher_is_argon2id_with_real_cost(ctx: ServiceContext) -> None:
    created = UserService(ctx).create_administrator("admin", "Anne Administrator", PASSWORD)
    hashed = stored_hash(ctx, created.username)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert UserService(ctx).authenticate("admin", PASSWORD).username == "admin"


def test_a_weak_first_password_is_refused_and_nothing_is_created(service: UserService) -> None:
    with pytest.raises(ValidationError, match="mindst 10 tegn") as caught:
        service.create_administrator("admin", "Anne Administrator", "kort")
    assert caught.value.field == "password"
    assert not service.has_users()


def test_authenticate_with_the_right_password_any_case_of_username(service: UserService, ctx, admin, time) -> None:
    time.now = START + timedelta(hours=1)
    user = service.authenticate("ADMIN", PASSWORD)
    assert user.username == "admin" and user.last_login_at == START + timedelta(hours=1)
    assert audit_lines(ctx)[-1] == ("Anne Administrator (admin)", AuditAction.LOGIN, "Logget ind")


def test_a_wrong_password_and_an_unknown_user_get_the_same_danish_message(service: UserService, ctx, admin) -> None:
    with pytest.raises(AuthenticationError) as wrong:
        service.authenticate("admin", "forkert adgangskode")
    with pytest.raises(AuthenticationError) as unknown:
        service.authenticate("ingen.bruger", "forkert adgangskode")
    assert wrong.value.message == unknown.value.message == WRONG_CREDENTIALS
    lines = audit_lines(ctx)[-2:]
    assert lines[0] == (
        "Anne Administrator (admin)",
        AuditAction.LOGIN,
        "Mislykket login (forkert adgangskode, forsøg 1 af 5)",
    )
    assert lines[1] == ("(ukendt)", AuditAction.LOGIN, "Mislykket login (ukendt brugernavn)")
    assert "ingen.bruger" not in str(audit_lines(ctx))


def test_an_empty_login_is_asked_for_again(service: UserService) -> None:
    with pytest.raises(ValidationError, match="brugernavn og din adgangskode"):
        service.authenticate(" ", "")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(service: UserService, ctx, admin, time) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError) as caught:
            service.authenticate("admin", "forkert adgangskode")
        assert caught.value.locked_until is None
    with pytest.raises(AuthenticationError) as caught:
        service.authenticate("admin", "forkert adgangskode")
    assert caught.value.locked_until == START + timedelta(minutes=15)
    assert "spærret efter 5 forkerte forsøg" in caught.value.message
    assert "kl. 10:15" in caught.value.message  # Copenhagen time

    time.now = START + timedelta(minutes=14)
    with pytest.raises(AuthenticationError, match="spærret"):
        service.authenticate("admin", PASSWORD)
    whats = [what for _u, action, what in audit_lines(ctx) if action is AuditAction.LOGIN]
    assert whats[-2:] == [
        "Mislykket login; kontoen spærret i 15 minutter efter 5 forkerte forsøg",
        "Login afvist: kontoen er spærret",
    ]

    time.now = START + timedelta(minutes=15)  # the lock has run out
    user = service.authenticate("admin", PASSWORD)
    assert (user.failed_attempts, user.locked_until) == (0, None)


def test_after_a_lock_runs_out_each_wrong_password_locks_again_twice_as_long(
    service: UserService, ctx, admin, time
) -> None:
    """Issue 18: the delay grows with the failures — one more wrong password after a lock locks again, doubled."""
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            service.authenticate("admin", "forkert adgangskode")
    time.now = START + timedelta(minutes=15)  # the first lock has run out
    with pytest.raises(AuthenticationError) as caught:
        service.authenticate("admin", "forkert adgangskode")
    assert caught.value.locked_until == START + timedelta(minutes=45)
    assert "spærret efter 6 forkerte forsøg. Prøv igen kl. 10:45" in caught.value.message
    assert audit_lines(ctx)[-1][2] == "Mislykket login; kontoen spærret i 30 minutter efter 6 forkerte forsøg"
    time.now = START + timedelta(minutes=45)
    user = service.authenticate("admin", PASSWORD)  # the right password resets the count
    assert (user.failed_attempts, user.locked_until) == (0, None)


def test_a_lock_into_the_next_day_says_the_date(ctx: ServiceContext, admin) -> None:
    strict = UserService(ctx, hasher=FAST, policy=LockoutPolicy(max_failures=1, lock_minutes=20 * 60))
    with pytest.raises(AuthenticationError) as caught:
        strict.authenticate("admin", "forkert adgangskode")
    assert "Prøv igen den 8.12. kl. 06:00" in caught.value.message
    assert audit_lines(ctx)[-1][2] == "Mislykket login; kontoen spærret i 20 timer efter 1 forkerte forsøg"


def test_a_busy_database_makes_a_login_wait_and_try_again(
    service: UserService, admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: "database is locked" while many log in at once is a wait, not an error shown to the user."""
    busy = [DatabaseBusyError("Databasen er låst af et andet program."), None]
    original = UserRepository.lock_for_login

    def sometimes_busy(repo: UserRepository, username: str) -> None:
        if (failure := busy.pop(0) if busy else None) is not None:
            raise failure
        original(repo, username)

    monkeypatch.setattr(UserRepository, "lock_for_login", sometimes_busy)
    assert service.authenticate("admin", PASSWORD).username == "admin"
    assert busy == []


def test_a_database_busy_for_too_long_is_said_in_danish(
    service: UserService, admin, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_busy(_repo: UserRepository, _username: str) -> None:
        raise DatabaseBusyError("Databasen er låst af et andet program. Intet er gemt.")

    monkeypatch.setattr(UserRepository, "lock_for_login", always_busy)
    monkeypatch.setattr("coordinator_app.services.users.time.sleep", lambda _seconds: None)
    with pytest.raises(DatabaseBusyError, match="Databasen er låst"):
        service.authenticate("admin", PASSWORD)


def test_the_right_password_of_a_deactivated_user_is_refused_without_counting(service: UserService, admin) -> None:
    created = service.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    assert created.id is not None
    service.deactivate(created.id)
    with pytest.raises(AuthenticationError, match="deaktiveret"):
        service.authenticate("mhansen", PASSWORD)
    assert next(u for u in service.users() if u.username == "mhansen").failed_attempts == 0


def test_a_good_login_resets_the_count(service: UserService, admin) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            service.authenticate("admin", "forkert adgangskode")
    service.authenticate("admin", PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError) as caught:
            service.authenticate("admin", "forkert adgangskode")
        assert caught.value.locked_until is None


def test_an_administrator_unlocks_with_a_new_password(service: UserService, ctx, admin, time) -> None:
    created = service.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            service.authenticate("mhansen", "forkert adgangskode")
    assert created.id is not None
    service.reset_password(created.id, "en helt ny sætning")
    assert service.authenticate("mhansen", "en helt ny sætning").username == "mhansen"
    with pytest.raises(AuthenticationError):
        service.authenticate("mhansen", PASSWORD)


def test_users_are_managed_by_an_administrator(service: UserService, ctx, admin) -> None:
    koordinator = service.create_user("MHansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    assert koordinator.username == "mhansen"
    with pytest.raises(ValidationError, match="allerede i brug"):
        service.create_user("mhansen", "Mette Anden", Role.LAESEADGANG, PASSWORD)
    assert koordinator.id is not None
    changed = service.set_role(koordinator.id, Role.MOEDELEDER, expected_version=koordinator.version)
    assert changed.role is Role.MOEDELEDER
    gone = service.deactivate(koordinator.id, expected_version=changed.version)
    assert not gone.active
    with pytest.raises(AuthenticationError, match="deaktiveret"):
        service.authenticate("mhansen", PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:  # a wrong password says nothing about the account
        service.authenticate("mhansen", "forkert adgangskode")
    assert wrong.value.message == WRONG_CREDENTIALS
    back = service.reactivate(koordinator.id)
    assert back.active and service.authenticate("mhansen", PASSWORD).role is Role.MOEDELEDER
    whats = [what for user, _a, what in audit_lines(ctx) if user == "demo"]
    assert whats == [
        "Bruger mhansen oprettet (Koordinator)",
        "Bruger mhansen: rolle ændret fra Koordinator til Mødeleder",
        "Bruger mhansen deaktiveret",
        "Bruger mhansen genaktiveret",
    ]


def test_a_stale_edit_of_a_user_is_a_conflict(service: UserService, admin) -> None:
    user = service.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    assert user.id is not None
    service.set_role(user.id, Role.MOEDELEDER, expected_version=user.version)
    with pytest.raises(KoordinatorError, match="En anden bruger har ændret"):
        service.set_role(user.id, Role.LAESEADGANG, expected_version=user.version)


def test_there_is_always_an_active_administrator(service: UserService, ctx, admin) -> None:
    with pytest.raises(ValidationError, match="mindst én aktiv administrator"):
        service.set_role(admin.id, Role.KOORDINATOR)
    with pytest.raises(ValidationError, match="mindst én aktiv administrator"):
        service.deactivate(admin.id)
    second = service.create_user("bo", "Bo Boesen", Role.ADMINISTRATOR, PASSWORD)
    assert service.set_role(admin.id, Role.KOORDINATOR).role is Role.KOORDINATOR
    assert service.users()[0].username in {"admin", "bo"} and second.active


def test_an_administrator_cannot_deactivate_themselves(ctx: ServiceContext, service: UserService, admin) -> None:
    service.create_user("bo", "Bo Boesen", Role.ADMINISTRATOR, PASSWORD)
    signed_in = ServiceContext(database=ctx.database, clock=ctx.clock, principal=admin.principal)
    with pytest.raises(ValidationError, match="dig selv"):
        UserService(signed_in, hasher=FAST).deactivate(admin.id)


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.MOEDELEDER, Role.LAESEADGANG])
def test_only_an_administrator_manages_users(ctx: ServiceContext, service: UserService, admin, role: Role) -> None:
    other = service.create_user("mhansen", "Mette Hansen", role, PASSWORD)
    assert other.id is not None
    other_id = other.id
    as_other = UserService(ServiceContext(database=ctx.database, clock=ctx.clock, principal=other.principal))
    before = audit_lines(ctx)
    for attempt in (
        lambda: as_other.users(),
        lambda: as_other.create_user("ny", "Ny Bruger", Role.ADMINISTRATOR, PASSWORD),
        lambda: as_other.set_role(other_id, Role.ADMINISTRATOR),
        lambda: as_other.deactivate(admin.id),
        lambda: as_other.reset_password(admin.id, "overtaget konto nu"),
    ):
        with pytest.raises(AccessDeniedError, match="må ikke administrere brugere"):
            attempt()
    assert audit_lines(ctx) == before
    assert service.authenticate("admin", PASSWORD).role is Role.ADMINISTRATOR
    assert [u.username for u in service.users()] == ["admin", "mhansen"]


def test_anyone_changes_their_own_password(ctx: ServiceContext, service: UserService, admin) -> None:
    reader = service.create_user("lone", "Lone Læser", Role.LAESEADGANG, PASSWORD)
    own = UserService(ServiceContext(database=ctx.database, clock=ctx.clock, principal=reader.principal), hasher=FAST)
    with pytest.raises(AuthenticationError):
        own.change_own_password("forkert adgangskode", "en anden sætning")
    with pytest.raises(ValidationError, match="mindst 10 tegn"):
        own.change_own_password(PASSWORD, "kort")
    own.change_own_password(PASSWORD, "en anden sætning")
    assert service.authenticate("lone", "en anden sætning").username == "lone"
    assert audit_lines(ctx)[-2][1:] == (AuditAction.RET, "Egen adgangskode ændret")


def test_the_idle_lock_checks_the_signed_in_users_password(ctx: ServiceContext, service: UserService, admin) -> None:
    as_admin = ServiceContext(database=ctx.database, clock=ctx.clock, principal=admin.principal)
    signed_in = UserService(as_admin, hasher=FAST)
    with pytest.raises(AuthenticationError):
        signed_in.verify_current("forkert adgangskode")
    assert signed_in.verify_current(PASSWORD).username == "admin"
    assert audit_lines(ctx)[-1] == ("Anne Administrator (admin)", AuditAction.LOGIN, "Skærmen låst op")
    with pytest.raises(KoordinatorError, match="Demobrugeren"):
        service.verify_current(PASSWORD)


def test_login_lines_keep_the_audit_chain_intact(service: UserService, ctx, admin) -> None:
    with pytest.raises(AuthenticationError):
        service.authenticate("admin", "forkert adgangskode")
    service.authenticate("admin", PASSWORD)
    assert AuditService(ctx).verify().ok


def test_a_demo_database_and_one_before_its_first_administrator_need_no_login(service: UserService, ctx) -> None:
    assert not service.needs_login()  # no users yet: the first start asks for the administrator
    service.create_administrator("admin", "Anne Administrator", PASSWORD)
    assert service.needs_login()
    ctx.database.set_meta(DEMO_META_KEY, "1")
    assert not service.needs_login()


def test_the_idle_lock_minutes_are_the_wards_setting(ctx: ServiceContext, admin) -> None:
    assert load_idle_minutes(ctx) == DEFAULT_IDLE_MINUTES == 5
    assert save_idle_minutes(ctx, 10) == 10 and load_idle_minutes(ctx) == 10
    with pytest.raises(ValidationError, match="mellem 1 og 60"):
        save_idle_minutes(ctx, 0)
    koordinator = UserService(ctx, hasher=FAST).create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    as_koordinator = ServiceContext(database=ctx.database, clock=ctx.clock, principal=koordinator.principal)
    with pytest.raises(AccessDeniedError, match="ændre afsnittets indstillinger"):
        save_idle_minutes(as_koordinator, 30)
    assert load_idle_minutes(ctx) == 10
