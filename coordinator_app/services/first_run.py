"""The first run of a workstation (issue 9): create the database, its administrator and the ward — all or nothing.

``create_workstation`` is what the wizard's Afslut does. It checks every input before anything is touched, then:
creates the encrypted SQLCipher file (``lokal``) or migrates the shared PostgreSQL database (``delt``), loads the
98 kommuner, creates the first administrator (``UserService.create_administrator``), adds the ward to the centre
list (``services.settings.add_ward``) with its sender profile, keeps the ward's name and kommuner in ``app_meta``
(``WARD_SETUP_KEY``), and last writes the workstation's ``forbindelse.json`` (``services.connection``). If any step
fails, what was created is removed again — the new file (with ``-wal``/``-shm``), the tables created in a
PostgreSQL database that was empty — and a ``KoordinatorError`` says what to do.

A shared database another workstation has already set up (it has users) is only connected to: its administrator
and ward are kept.

The demo ward is never loaded into a real database: ``services.setup.load_demo_ward`` marks the database as a
demo, which opens *without* a login and unencrypted. ``create_demo_database`` instead fills the separate practice
file beside the real one (``demo.db``, the one ``koordinator --demo`` opens).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import MetaData, create_engine, make_url

from coordinator_app.domain import validation
from coordinator_app.domain.access import Permission, check_full_name, check_password, check_username
from coordinator_app.domain.errors import KoordinatorError, StorageError, ValidationError
from coordinator_app.infra.files import private_folder
from coordinator_app.infra.folders import data_dir
from coordinator_app.infra.resources import load_kommuner
from coordinator_app.services import connection
from coordinator_app.services.context import Clock, ServiceContext, require
from coordinator_app.services.settings import MAX_CENTRE, MAX_WARD, add_ward, centre_list, update_ward_profile
from coordinator_app.services.setup import ensure_reference_data, load_demo_ward
from coordinator_app.services.users import UserService
from coordinator_app.services.ward import DEFAULT_TITLE, WARD_SETUP_KEY, WardSetup, load_ward_setup
from coordinator_app.storage.database import Database, default_database_url, local_path, open_database

__all__ = [
    "PASSPHRASE_MIN",
    "WARD_SETUP_KEY",
    "AdminInput",
    "FirstRunResult",
    "LocalTarget",
    "SharedTarget",
    "WardInput",
    "check_admin",
    "check_ward",
    "create_demo_database",
    "create_workstation",
    "default_local_path",
    "demo_database_path",
    "load_ward_setup",
    "needs_first_run",
    "passphrase_problem",
]

log = logging.getLogger("koordinator.first_run")

#: The local database's passphrase guards every patient on a laptop that may be lost, and it cannot be reset:
#: longer than a user's password (``access.PASSWORD_MIN``) — a short sentence.
PASSPHRASE_MIN = 12


def default_local_path() -> Path:
    path = local_path(default_database_url())
    assert path is not None
    return path


def demo_database_path() -> Path:
    folder = private_folder(data_dir())
    return folder / "demo.db"


def needs_first_run() -> bool:
    """No saved choice and no database at the default place (an older install keeps opening its file)."""
    if connection.config_path().exists():
        return False
    path = default_local_path()
    return not (path.exists() and path.stat().st_size > 0)


def passphrase_problem(passphrase: str, repeat: str | None = None) -> str | None:
    """Why the local database's passphrase cannot be used (Danish), or None."""
    if len(passphrase) < PASSPHRASE_MIN:
        return (
            f"Adgangsfrasen skal have mindst {PASSPHRASE_MIN} tegn (den har {len(passphrase)}). Brug en kort sætning "
            "på nogle få ord – let at huske, svær at gætte."
        )
    if not passphrase.strip() or "\x00" in passphrase:
        return "Adgangsfrasen må ikke kun bestå af mellemrum."
    if len(set(passphrase.casefold())) < 6:
        return "Adgangsfrasen skal have mindst 6 forskellige tegn."
    if repeat is not None and repeat != passphrase:
        return "De to adgangsfraser er ikke ens. Skriv dem igen."
    return None


@dataclass(frozen=True)
class LocalTarget:
    path: Path
    passphrase: str
    remember: bool = False  # keep the passphrase in the system keyring


@dataclass(frozen=True)
class SharedTarget:
    url: str  # with the password, if any
    already_set_up: bool = False  # check_connection said: it has users


@dataclass(frozen=True)
class AdminInput:
    username: str
    full_name: str
    password: str


@dataclass(frozen=True)
class WardInput:
    centre: str
    ward: str
    kommuner: tuple[str, ...] = ()  # kommunekoder
    phone: str = ""
    secure_mail: str = ""

    @property
    def name(self) -> str:
        return f"{self.centre}, {self.ward}"


@dataclass(frozen=True)
class FirstRunResult:
    url: str  # what open_database takes (for delt with the password)
    passphrase: str | None  # lokal: to open the new file without asking again
    config: connection.ConnectionConfig
    keyring_failed: bool = False  # the user asked for the keyring, and it refused (the summary says so)
    admin: AdminInput | None = None  # who was just created: signed in at once (in memory only, like passphrase)


def check_admin(admin: AdminInput, repeat: str | None = None) -> AdminInput:
    """The administrator's fields by ``UserService``'s rules (``ValidationError`` with the field)."""
    username = check_username(admin.username)
    full_name = check_full_name(admin.full_name)
    check_password(admin.password, username)
    if repeat is not None and repeat != admin.password:
        raise ValidationError("De to adgangskoder er ikke ens. Skriv dem igen.", field="repeat")
    return AdminInput(username, full_name, admin.password)


def check_ward(ward: WardInput) -> WardInput:
    centre = validation.single_line(ward.centre, field="centre", label="Centrets navn")
    name = validation.single_line(ward.ward, field="ward", label="Afsnittets navn")
    if not centre:
        raise ValidationError("Skriv centrets navn (fx Psykiatrisk Center København).", field="centre")
    if not name:
        raise ValidationError("Skriv afsnittets navn (fx Afsnit 7).", field="ward")
    if len(centre) > MAX_CENTRE or len(name) > MAX_WARD:
        raise ValidationError("Navnet er for langt.", field="ward" if len(name) > MAX_WARD else "centre")
    known = {k.code for k in load_kommuner()}
    unknown = [c for c in ward.kommuner if c not in known]
    if unknown:
        raise ValidationError(f"Ukendt kommunekode: {', '.join(unknown)}.", field="kommuner")
    if not ward.kommuner:
        raise ValidationError("Vælg mindst én kommune, som afsnittet samarbejder med.", field="kommuner")
    return WardInput(centre, name, tuple(dict.fromkeys(ward.kommuner)), ward.phone.strip(), ward.secure_mail.strip())


def save_ward_kommuner(ctx: ServiceContext, codes: Sequence[str]) -> WardSetup:
    """Change which kommuner the ward works with (chosen at first run, changed later under Indstillinger).
    Needs MANAGE_SETTINGS; a database set up before issue 9 gets a setup named after its first centre/ward."""
    require(ctx, Permission.MANAGE_SETTINGS)
    known = {k.code for k in load_kommuner()}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValidationError(f"Ukendt kommunekode: {', '.join(unknown)}.", field="kommuner")
    current = load_ward_setup(ctx)
    if current is None:
        centres = centre_list(ctx)
        first = centres[0] if centres else None
        current = WardSetup(first.name if first else "", first.wards[0] if first and first.wards else "")
    setup = WardSetup(current.centre, current.ward, tuple(sorted(dict.fromkeys(codes))))
    ctx.database.set_meta(WARD_SETUP_KEY, json.dumps(asdict(setup), ensure_ascii=False))
    return setup


def create_workstation(
    target: LocalTarget | SharedTarget,
    admin: AdminInput | None,
    ward: WardInput | None,
    *,
    clock: Clock | None = None,
    users: Callable[[ServiceContext], UserService] = UserService,
    config_file: Path | None = None,
) -> FirstRunResult:
    """Create (or, for an already set-up shared database, connect to) the workstation's database; all or nothing.

    ``admin``/``ward`` may be None only for a shared database that is already set up."""
    set_up = isinstance(target, SharedTarget) and target.already_set_up
    if not set_up:
        if admin is None or ward is None:
            raise ValidationError("Opret administratoren og afsnittet først.")
        admin, ward = check_admin(admin), check_ward(ward)
    if isinstance(target, LocalTarget):
        problem = passphrase_problem(target.passphrase)
        if problem:
            raise ValidationError(problem, field="passphrase")
        path = target.path.expanduser().resolve()
        if path.exists() and path.stat().st_size > 0:
            raise StorageError(
                f"Der ligger allerede en database i {path}. Koordinator overskriver den ikke: vælg en anden "
                "placering, eller åbn den med «koordinator --database FIL»."
            )
        undo = _local_undo(path)
        url, passphrase = str(path), target.passphrase
    else:
        path = None
        undo = None
        url, passphrase = target.url, None
    db: Database | None = None
    created_tables = False
    try:
        if isinstance(target, SharedTarget) and not set_up:
            created_tables = _is_empty(url)
        db = open_database(url, passphrase=passphrase)
        if not set_up:
            assert admin is not None and ward is not None
            _fill(db, admin, ward, clock=clock or Clock(), users=users)
        db.dispose()
        db = None
        result = _save(target, url, passphrase, config_file, admin)
    except BaseException as exc:
        if db is not None:
            db.dispose()
        if undo is not None:
            undo()
        if created_tables:
            _drop_created_tables(url)
        if isinstance(exc, KoordinatorError):
            raise KoordinatorError(f"{exc.message}\n\nIntet er oprettet; ret fejlen, og prøv igen.") from exc
        if isinstance(exc, Exception):
            log.exception("Første opstart mislykkedes")
            raise KoordinatorError(
                f"Databasen kunne ikke oprettes ({type(exc).__name__}). Intet er oprettet; prøv igen, eller kontakt IT."
            ) from exc
        raise
    return result


def _fill(
    db: Database, admin: AdminInput, ward: WardInput, *, clock: Clock, users: Callable[[ServiceContext], UserService]
) -> None:
    ctx = ServiceContext(database=db, clock=clock)
    ensure_reference_data(ctx)
    user = users(ctx).create_administrator(admin.username, admin.full_name, admin.password)
    ctx = ServiceContext(database=db, clock=clock, principal=user.principal)
    known = {c.name.casefold(): {w.casefold() for w in c.wards} for c in centre_list(ctx)}
    if ward.ward.casefold() not in known.get(ward.centre.casefold(), set()):
        add_ward(ctx, ward.centre, ward.ward)
    if ward.phone or ward.secure_mail:
        update_ward_profile(ctx, phone=ward.phone, secure_mail=ward.secure_mail, coordinator_title=DEFAULT_TITLE)
    setup = WardSetup(ward.centre, ward.ward, ward.kommuner)
    db.set_meta(WARD_SETUP_KEY, json.dumps(asdict(setup), ensure_ascii=False))


def _save(
    target: LocalTarget | SharedTarget,
    url: str,
    passphrase: str | None,
    config_file: Path | None,
    admin: AdminInput | None,
) -> FirstRunResult:
    if isinstance(target, LocalTarget):
        path = Path(url)
        remembered = target.remember and connection.store_secret(str(path), target.passphrase)
        config = connection.ConnectionConfig(connection.LOCAL, path=path, remember_passphrase=remembered)
        try:
            saved = connection.save_config(config, path=config_file)
        except BaseException:
            if remembered:
                connection.delete_secret(str(path))
            raise
        return FirstRunResult(url, passphrase, saved, keyring_failed=target.remember and not remembered, admin=admin)
    saved = connection.save_config(connection.ConnectionConfig(connection.SHARED, url=url), path=config_file)
    return FirstRunResult(url, None, saved, admin=admin)


def _local_undo(path: Path) -> Callable[[], None]:
    """Remove what creating ``path`` left behind (the file, its WAL files, a backups folder it made)."""
    backups = path.parent / "backups"
    had_backups = backups.exists()

    def undo() -> None:
        for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
            with contextlib.suppress(FileNotFoundError):
                (path.parent / name).unlink()
        if not had_backups and backups.is_dir():
            with contextlib.suppress(OSError):
                backups.rmdir()

    return undo


def _is_empty(url: str) -> bool:
    try:
        connection.check_connection(url)
    except connection.EmptyDatabaseError:
        return True
    return False


def _drop_created_tables(url: str) -> None:
    """Back to the empty database the user chose: drop every table this first run created."""
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        meta = MetaData()
        with engine.begin() as conn:
            meta.reflect(conn)
            meta.drop_all(conn)
    except Exception:
        log.exception("Tabellerne fra en mislykket første opstart kunne ikke fjernes")
    finally:
        engine.dispose()


def create_demo_database(path: Path | None = None, *, clock: Clock | None = None) -> Path:
    """The separate practice database with the fictitious demo ward (plain, marked demo), beside the real one."""
    path = path or demo_database_path()
    db = open_database(path)
    try:
        ctx = ServiceContext(database=db, clock=clock or Clock())
        ensure_reference_data(ctx)
        load_demo_ward(ctx)
    finally:
        db.dispose()
    return path


def kommune_regions(codes: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Region → its kommunekoder (the wizard's presets)."""
    out: dict[str, list[str]] = {}
    for k in load_kommuner():
        if codes is None or k.code in codes:
            out.setdefault(k.region, []).append(k.code)
    return out
