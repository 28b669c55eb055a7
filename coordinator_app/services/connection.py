"""Which database this workstation uses (issue 9), and the system keyring (issue 8).

The first-run wizard writes the workstation's choice to ``forbindelse.json`` in the platform's per-user config
folder (``infra.folders.config_dir()``, e.g. ``~/.config/Koordinator/``), atomically
(``infra.files.write_atomically``) and readable by the user only (mode 0600):

* ``lokal`` – the path of the encrypted SQLCipher file (default: the user's data folder). The passphrase is
  **never** written here; it is typed at start, or kept in the system keyring if the user chose so
  (service ``Koordinator``, username = the file's path).
* ``delt`` – the PostgreSQL address *without* its password. The password is kept in the system keyring when a
  usable one exists (username = the address); on a workstation without one (a headless Linux, a minimal
  desktop) it is kept in this same 0600 file — the protection PostgreSQL's own ``~/.pgpass`` relies on, and
  what IT would otherwise set up by hand. Leave the password empty to use ``~/.pgpass``, ``PGPASSWORD`` or the
  server's own login (Kerberos, peer): nothing is stored then.

``check_connection`` tries a PostgreSQL address before it is saved and says in Danish what is wrong: server not
reachable, login refused, database missing, not a Koordinator database — or empty, so Koordinator may create
its tables (``EmptyDatabaseError.can_create``).
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, create_engine, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError

from coordinator_app.domain.errors import KoordinatorError, StorageError, ValidationError
from coordinator_app.infra.files import private_folder, write_atomically
from coordinator_app.infra.folders import config_dir
from coordinator_app.infra.oserrors import describe
from coordinator_app.lazy import lazy_import

if TYPE_CHECKING:
    import keyring
    from keyring import errors as keyring_errors
    from keyring.backends import chainer as keyring_chainer
    from keyring.backends import fail as keyring_fail
else:  # the keyring only where the user chose it, for an encrypted local file
    keyring = lazy_import("keyring")
    keyring_errors = lazy_import("keyring.errors")
    keyring_chainer = lazy_import("keyring.backends.chainer")
    keyring_fail = lazy_import("keyring.backends.fail")

__all__ = [
    "CONFIG_NAME",
    "KEYRING_SERVICE",
    "LOCAL",
    "SHARED",
    "ConnectionConfig",
    "ConnectionProblem",
    "ConnectionStatus",
    "EmptyDatabaseError",
    "check_connection",
    "config_path",
    "delete_secret",
    "keyring_status",
    "load_config",
    "read_secret",
    "remove_config",
    "save_config",
    "shared_url",
    "store_secret",
]

log = logging.getLogger("koordinator.connection")

CONFIG_NAME = "forbindelse.json"
CONFIG_VERSION = 1
KEYRING_SERVICE = "Koordinator"
LOCAL = "lokal"
SHARED = "delt"
PASSWORD_IN_KEYRING = "nøglering"
PASSWORD_IN_FILE = "fil"
DEFAULT_PORT = 5432
#: Seconds to wait for the server before saying it does not answer.
CONNECT_TIMEOUT = 4


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


@dataclass(frozen=True)
class ConnectionConfig:
    """The workstation's choice. ``url`` (``delt``) never holds the password; ``database_url`` adds it."""

    mode: str  # LOCAL | SHARED
    path: Path | None = None  # lokal: the encrypted file
    url: str | None = None  # delt: postgresql+psycopg://bruger@vært:port/database
    remember_passphrase: bool = False  # lokal: the passphrase is in the keyring
    password_in: str | None = None  # delt: PASSWORD_IN_KEYRING | PASSWORD_IN_FILE | None
    password: str | None = None  # delt, only when password_in == PASSWORD_IN_FILE

    def database_url(self) -> str:
        """What ``open_database`` takes: the file's path, or the PostgreSQL address with its password."""
        if self.mode == LOCAL:
            assert self.path is not None
            return str(self.path)
        assert self.url is not None
        password = self.password
        if self.password_in == PASSWORD_IN_KEYRING:
            password = read_secret(self.url)
        if not password:
            return self.url
        return make_url(self.url).set(password=password).render_as_string(hide_password=False)

    @property
    def where(self) -> str:
        return str(self.path) if self.mode == LOCAL else (self.url or "")


def _unreadable(path: Path, why: str) -> StorageError:
    return StorageError(
        f"Koordinators forbindelsesindstillinger i {path} kan ikke læses ({why}). Slet filen, og start "
        "Koordinator igen for at vælge databasen på ny – selve databasen berøres ikke."
    )


def load_config(path: Path | None = None) -> ConnectionConfig | None:
    """The saved choice, ``None`` when none was made yet; ``StorageError`` (Danish) when the file is damaged."""
    path = path or config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _unreadable(path, describe(exc)) from None
    try:
        data = json.loads(raw)
        mode = data["mode"]
        if mode == LOCAL:
            return ConnectionConfig(LOCAL, path=Path(data["path"]), remember_passphrase=bool(data.get("nøglering")))
        if mode == SHARED:
            url = make_url(data["url"])
            if url.get_backend_name() != "postgresql" or url.password:
                raise ValueError("url")
            password_in = data.get("adgangskode_i")
            return ConnectionConfig(
                SHARED,
                url=url.render_as_string(hide_password=False),
                password_in=password_in if password_in in (PASSWORD_IN_KEYRING, PASSWORD_IN_FILE) else None,
                password=data.get("adgangskode") if password_in == PASSWORD_IN_FILE else None,
            )
        raise ValueError(mode)
    except (ValueError, KeyError, TypeError, ArgumentError, AttributeError):
        raise _unreadable(path, "ugyldigt indhold") from None


def save_config(config: ConnectionConfig, *, password: str | None = None, path: Path | None = None) -> ConnectionConfig:
    """Write the choice atomically with mode 0600 and return it as saved. ``password`` (``delt``) goes to the
    keyring when one is usable, else into the file (see the module's docstring)."""
    path = path or config_path()
    data: dict[str, Any] = {"version": CONFIG_VERSION, "mode": config.mode}
    if config.mode == LOCAL:
        assert config.path is not None
        data["path"] = str(config.path)
        data["nøglering"] = config.remember_passphrase
        saved = config
    else:
        assert config.url is not None
        url = make_url(config.url)
        password = password if password is not None else url.password
        bare = _without_password(url)
        data["url"] = bare
        password_in = None
        if password:
            password_in = PASSWORD_IN_KEYRING if keyring_status()[0] and store_secret(bare, password) else None
            if password_in is None:
                password_in = PASSWORD_IN_FILE
                data["adgangskode"] = password
        data["adgangskode_i"] = password_in
        saved = ConnectionConfig(
            SHARED, url=bare, password_in=password_in, password=password if password_in == PASSWORD_IN_FILE else None
        )
    _write_private(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return saved


def _write_private(path: Path, content: str) -> None:
    try:
        if path.parent == config_path().parent:  # Koordinator's own folder: the user's only
            private_folder(path.parent)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content.encode("utf-8"))  # mode 0600: readable by the user only
    except OSError as exc:
        raise StorageError(
            f"Forbindelsesindstillingerne kunne ikke gemmes i {path} ({describe(exc)}). Kontrollér at du "
            "har skriveadgang til mappen, eller kontakt IT."
        ) from exc


def remove_config(path: Path | None = None) -> None:
    with contextlib.suppress(FileNotFoundError):
        (path or config_path()).unlink()


# -- PostgreSQL ----------------------------------------------------------------------------------------------------


def shared_url(host: str, port: int | str, database: str, user: str, password: str = "") -> str:
    """The address from the wizard's fields (``ValidationError`` with the field when one is missing or wrong)."""
    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        raise ValidationError("Skriv serverens navn eller adresse (fx db.region.dk).", field="host")
    try:
        number = int(str(port).strip() or DEFAULT_PORT)
    except ValueError:
        number = -1
    if not 0 < number < 65536:
        raise ValidationError(
            "Porten skal være et tal mellem 1 og 65535 (PostgreSQL bruger normalt 5432).", field="port"
        )
    if not database:
        raise ValidationError("Skriv databasens navn (fx koordinator).", field="database")
    if not user:
        raise ValidationError("Skriv brugernavnet til databasen.", field="user")
    url = URL.create("postgresql+psycopg", username=user, password=password or None, host=host, port=number,
                     database=database)  # fmt: skip
    return url.render_as_string(hide_password=False)


def parse_shared_url(text_: str) -> str:
    """A typed address as ``postgresql+psycopg://…`` (``postgresql://`` too); ``ValidationError`` otherwise."""
    raw = text_.strip()
    try:
        url = make_url(raw)
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() != "postgresql" or not url.host or not url.database:
        raise ValidationError(
            "Adressen skal se sådan ud: postgresql://bruger:adgangskode@server:5432/database.", field="url"
        )
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _without_password(url: URL) -> str:
    bare = URL.create(url.drivername, username=url.username, host=url.host, port=url.port, database=url.database,
                      query=url.query)  # fmt: skip
    return bare.render_as_string(hide_password=False)


def hide_password(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class ConnectionStatus:
    """A reachable Koordinator database: ``has_users`` means it is already set up (another workstation's first
    run made its administrator), so this workstation only connects."""

    has_users: bool


class ConnectionProblem(KoordinatorError):
    """``check_connection`` failed; ``kind`` says how (for the wizard): unreachable, login, missing, foreign."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class EmptyDatabaseError(ConnectionProblem):
    """The database exists and is empty: Koordinator can create its tables (migrate) when the user agrees."""

    can_create = True

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="empty")


def check_connection(url: str, *, timeout: int = CONNECT_TIMEOUT) -> ConnectionStatus:
    """Connect to the PostgreSQL ``url`` and look at what is there, or raise ``ConnectionProblem`` (Danish)."""
    sa_url = make_url(parse_shared_url(url))
    where = f"{sa_url.host}:{sa_url.port or DEFAULT_PORT}/{sa_url.database}"
    engine = create_engine(sa_url, connect_args={"connect_timeout": max(1, timeout)})
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                raise EmptyDatabaseError(
                    f"Forbindelsen virker, men databasen {where} er tom. Koordinator kan oprette sine tabeller i "
                    "den, når guiden afsluttes."
                )
            if "alembic_version" not in tables or "app_meta" not in tables or "users" not in tables:
                raise ConnectionProblem(
                    f"Databasen {where} indeholder andre data og er ikke en Koordinator-database. Vælg en anden "
                    "database, eller bed IT oprette en tom database til Koordinator.",
                    kind="foreign",
                )
            users = conn.execute(text("SELECT count(*) FROM users")).scalar_one()
            return ConnectionStatus(has_users=users > 0)
    except DBAPIError as exc:
        raise _problem(exc, where, sa_url) from None
    finally:
        engine.dispose()


def _problem(exc: DBAPIError, where: str, url: URL) -> ConnectionProblem:
    message = str(exc.orig)
    lowered = message.lower()
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if (
        sqlstate in ("28P01", "28000")
        or "password authentication failed" in lowered
        or ("role" in lowered and ("does not exist" in lowered))
    ):
        return ConnectionProblem(
            f"Serveren {url.host} afviste brugernavnet «{url.username}» eller adgangskoden. Kontrollér dem (store "
            "og små bogstaver tæller med), eller bed IT om adgang.",
            kind="login",
        )
    if "no password supplied" in lowered or "password is required" in lowered:
        return ConnectionProblem(
            f"Serveren {url.host} kræver en adgangskode for «{url.username}». Skriv adgangskoden, og prøv igen.",
            kind="login",
        )
    if "no pg_hba.conf entry" in lowered:
        return ConnectionProblem(
            f"Serveren {url.host} tillader ikke forbindelser fra denne computer som «{url.username}». Bed IT åbne "
            "for adgangen (pg_hba.conf).",
            kind="login",
        )
    if sqlstate == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return ConnectionProblem(
            f"Serveren svarer, men databasen «{url.database}» findes ikke på {url.host}. Kontrollér navnet, eller bed "
            "IT oprette databasen.",
            kind="missing",
        )
    if "translate host name" in lowered or "name or service not known" in lowered or "nodename nor" in lowered:
        return ConnectionProblem(
            f"Serveren «{url.host}» kan ikke findes. Kontrollér navnet og netværksforbindelsen.", kind="unreachable"
        )
    if sqlstate == "42501" or "permission denied" in lowered:
        return ConnectionProblem(
            f"Brugeren «{url.username}» må ikke læse databasen {where}. Bed IT om rettigheder.", kind="login"
        )
    return ConnectionProblem(
        f"Serveren {url.host} på port {url.port or DEFAULT_PORT} svarer ikke. Kontrollér adresse og port, at "
        "computeren er på netværket, og at serveren kører – eller kontakt IT.",
        kind="unreachable",
    )


# -- the system keyring ----------------------------------------------------------------------------------------


def keyring_status() -> tuple[bool, str]:
    """(usable, why not in Danish). A headless Linux has only ``fail.Keyring`` or an empty chainer: no keyring."""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration must not stop the program
        log.warning("Nøgleringen kan ikke bruges: %s", type(exc).__name__)
        return False, "Systemets nøglering kan ikke bruges på denne computer."
    if isinstance(backend, keyring_fail.Keyring) or (
        isinstance(backend, keyring_chainer.ChainerBackend) and not backend.backends
    ):
        return False, (
            "Denne computer har ingen nøglering (fx GNOME-nøglering, KWallet eller Windows' "
            "legitimationsoplysninger), så adgangsfrasen skal skrives ved hver start."
        )
    try:
        usable = float(backend.priority) > 0
    except Exception:
        usable = True
    if not usable:
        return False, "Systemets nøglering er ikke sikker nok til at gemme adgangsfrasen (lav prioritet)."
    return True, ""


def store_secret(account: str, secret: str) -> bool:
    """Keep ``secret`` in the keyring; False (logged without the secret) when the keyring refuses."""
    try:
        keyring.set_password(KEYRING_SERVICE, account, secret)
        return True
    except Exception as exc:
        log.warning("Kunne ikke gemme i nøgleringen: %s", type(exc).__name__)
        return False


def read_secret(account: str) -> str | None:
    if not keyring_status()[0]:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, account)
    except Exception as exc:
        log.warning("Kunne ikke læse nøgleringen: %s", type(exc).__name__)
        return None


def delete_secret(account: str) -> None:
    try:
        with contextlib.suppress(keyring_errors.PasswordDeleteError):
            keyring.delete_password(KEYRING_SERVICE, account)
    except Exception as exc:
        log.warning("Kunne ikke slette fra nøgleringen: %s", type(exc).__name__)
