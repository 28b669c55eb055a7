"""The first screen read straight from the file (issue 7: cold start) shows exactly what the services show, and
declines every start it cannot take — the usual start handles those."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from db_fixtures import DEMO_MOMENT
from helpers.ward import service_context
from sqlalchemy import text
from sqlalchemy.dialects import sqlite

from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.backups import check_in_background
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.first_screen import plain_file, read_first_screen
from coordinator_app.services.overview import OverviewService
from coordinator_app.services.settings import build_calendar_and_rules
from coordinator_app.services.users import UserService
from coordinator_app.storage import backup as storage_backup
from coordinator_app.storage import repositories, selects, selects_sqlite
from coordinator_app.storage.database import open_database
from coordinator_app.storage.quick_read import QuickRead
from coordinator_app.storage.sqlite_codegen import READS
from coordinator_app.storage.sqlite_rows import ListRow

MOMENT = DEMO_MOMENT  # the demo ward is generated as of this moment
CLOCK = fixed_clock(MOMENT)


def _services(path: Path) -> tuple[ServiceContext, AdmissionService, OverviewService]:
    db = open_database(f"sqlite:///{path}")
    ctx = ServiceContext(database=db, clock=CLOCK)
    build_calendar_and_rules(ctx)
    return ctx, AdmissionService(ctx), OverviewService(ctx)


def test_the_first_screen_equals_the_services_list_and_i_dag(demo_db_path: Path) -> None:
    screen = read_first_screen(demo_db_path, clock=CLOCK, without_users_ok=False)
    assert screen is not None and screen.demo
    ctx, admissions, overview = _services(demo_db_path)
    try:
        rows = admissions.list_rows()
        assert len(rows) > 10
        assert screen.rows == rows
        assert screen.today_items == overview.today_items(MOMENT.date())
        assert len(screen.today_items) > 0
        assert screen.calendar_settings is not None and screen.ctx.calendar.name == ctx.calendar.name
    finally:
        ctx.database.dispose()


def test_the_first_screen_begins_the_start_check_and_the_opening_takes_it_over(demo_db_path: Path) -> None:
    """The start's quick_check runs from the first screen on (while SQLAlchemy loads); the opening's check of the
    same file is that one, once — a later check is a new one."""
    screen = read_first_screen(demo_db_path, clock=CLOCK, without_users_ok=False)
    assert screen is not None
    early, _ = storage_backup._EARLY_CHECKS[demo_db_path]
    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        check = check_in_background(db)
        assert check is early and check.result().ok
        again = check_in_background(db)
        assert again is not early and again.result().ok
    finally:
        db.dispose()


def test_an_early_check_of_another_file_is_not_taken_for_this_one(demo_db_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "anden.db"
    other.write_bytes(demo_db_path.read_bytes())
    assert read_first_screen(other, clock=CLOCK, without_users_ok=False) is not None
    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        check = check_in_background(db)
        assert check is not storage_backup._EARLY_CHECKS[other][0] and check.file.path == demo_db_path
        assert check.result().ok
    finally:
        db.dispose()
        storage_backup._EARLY_CHECKS.pop(other)[0].result()  # its thread ends; the next test starts clean


def test_a_file_changed_since_the_early_check_is_checked_again(demo_db_path: Path) -> None:
    """A file damaged (or written) after the first screen was read is not vouched for by the early check."""
    assert read_first_screen(demo_db_path, clock=CLOCK, without_users_ok=False) is not None
    early, _ = storage_backup._EARLY_CHECKS[demo_db_path]
    early.result()
    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        with open(demo_db_path, "r+b") as f:  # the last page overwritten with garbage
            f.seek(-4096, 2)
            f.write(b"\xff" * 4096)
        check = check_in_background(db)
        assert check is not early
        assert not check.result().ok
    finally:
        db.dispose()


def test_the_first_screens_derivations_serve_the_services_first_refresh(demo_db_path: Path) -> None:
    screen = read_first_screen(demo_db_path, clock=CLOCK, without_users_ok=False)
    assert screen is not None
    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        screen.ctx.database = db
        service = AdmissionService(screen.ctx, cache=screen.cache)
        before = screen.cache.hits
        assert service.list_rows() == screen.rows
        assert screen.cache.hits - before == len(screen.rows)  # nothing derived twice
    finally:
        db.dispose()


def test_a_change_between_the_first_screen_and_the_refresh_is_seen(demo_db_path: Path) -> None:
    """The services' refresh reads the file again: what changed in between shows (the stamp differs)."""
    screen = read_first_screen(demo_db_path, clock=CLOCK, without_users_ok=False)
    assert screen is not None
    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        first = screen.rows[0]
        with db.session() as session:
            session.execute(
                text("UPDATE admissions SET version = version + 1, scenario = 3 WHERE id = :id"),
                {"id": first.admission_id},
            )
        screen.ctx.database = db
        rows = AdmissionService(screen.ctx, cache=screen.cache).list_rows()
        assert next(r for r in rows if r.admission_id == first.admission_id).scenario == 3
    finally:
        db.dispose()


def test_a_database_with_users_waits_for_the_login(demo_db_path: Path, tmp_path: Path) -> None:
    plain = tmp_path / "real.db"
    db = open_database(f"sqlite:///{plain}")
    ctx = service_context(db, now=MOMENT)
    assert read_first_screen(plain, clock=CLOCK, without_users_ok=True) is not None  # no users yet: --smoke opens
    assert read_first_screen(plain, clock=CLOCK, without_users_ok=False) is None  # a real database, no --smoke
    UserService(ctx).create_administrator("admin", "Første Administrator", "korrekt hest batteri 7")
    db.dispose()
    assert read_first_screen(plain, clock=CLOCK, without_users_ok=True) is None


@pytest.mark.parametrize("case", ["missing", "empty", "encrypted", "old schema", "not a database"])
def test_files_the_usual_start_must_handle_are_declined(case: str, tmp_path: Path, encrypted_path: Path) -> None:
    path = tmp_path / "x.db"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "encrypted":
        path = encrypted_path
    elif case == "old schema":
        db = open_database(f"sqlite:///{path}")
        with db.session() as session:
            session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
            session.execute(text("INSERT INTO app_meta (key, value) VALUES ('demo', '1')"))
        db.dispose()
    elif case == "not a database":
        path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = path.read_bytes() if path.exists() else None
    assert read_first_screen(path, clock=CLOCK, without_users_ok=True) is None
    assert (path.read_bytes() if path.exists() else None) == before  # read-only: nothing created or changed


def test_the_direct_reads_use_the_repositories_sql() -> None:
    """The first screen's SQL is the selects' SQLite text; only the id list is marked for the reader to fill."""
    dialect = sqlite.dialect()
    assert READS["CURRENT_LIST"][0] is selects.CURRENT_LIST and "EVENTS_OF_ADMISSIONS" in READS
    for name, (query, _row_class) in READS.items():
        compiled = str(query.compile(dialect=dialect))
        assert getattr(selects_sqlite, name).sql.replace("{ids}", "__[POSTCOMPILE_ids]") == compiled, name


def test_the_direct_reads_decode_every_column_as_the_orm_types_do(demo_db_path: Path) -> None:
    """Each generated read through the plain driver makes the values, of the same types, that SQLAlchemy's result
    makes of the same select through the ORM column types (every row the demo ward has for it)."""
    db = open_database(f"sqlite:///{demo_db_path}")
    with db.session() as session:  # the demo ward has none: one centre with a ward, one without (NULL ward)
        repositories.CentreRepository(session).save("Psykiatrisk Center Test", ["Afsnit T1"])
        repositories.CentreRepository(session).save("Psykiatrisk Center Uden Afsnit", [])
    raw = sqlite3.connect(demo_db_path)
    try:
        with db.session() as session:
            connection = session.connection()
            admission_ids = [row[0] for row in connection.exec_driver_sql("SELECT id FROM admissions")]
            template_ids = [row[0] for row in connection.exec_driver_sql("SELECT id FROM meeting_templates")]
            for name, (query, row_class) in READS.items():
                read = getattr(selects_sqlite, name)
                ids = template_ids if name == "TEMPLATES_BY_ID" else admission_ids
                given = {"ids": ids, "key": "demo"}
                core = connection.execute(query, {k: v for k, v in given.items() if k in read.parameters}).all()
                expected = [ListRow._make(row) if row_class else tuple(row) for row in core]
                direct = read.fetch(raw, ids, key="demo")
                assert direct, name  # nothing compared without rows
                assert direct == expected, name
                assert [tuple(map(type, r)) for r in direct] == [tuple(map(type, r)) for r in expected], name
    finally:
        raw.close()
        db.dispose()


def test_the_direct_admissions_equal_the_repositorys(demo_db_path: Path) -> None:
    quick = QuickRead.open(demo_db_path)
    assert quick is not None
    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        with quick, db.session() as session:
            ids = [r.admission_id for r in quick.ward().rows]
            ids += [1, 2, 3]  # some discharged ones too
            assert quick.admissions(ids) == repositories.AdmissionRepository(session).get_many(ids)
            assert quick.events(ids) == repositories.EventRepository(session).for_admissions(ids)
            assert quick.centres() == repositories.CentreRepository(session).all()
            assert quick.ward().kommune_names == repositories.KommuneRepository(session).names()
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/a/b.db", Path("/tmp/a/b.db")),
        ("/tmp/c.db", Path("/tmp/c.db")),
        ("sqlite+pysqlcipher://:pw@//tmp/d.db", None),
        ("postgresql://x@host/db", None),
        ("sqlite:///:memory:", None),
        ("sqlite:////tmp/e.db?mode=ro", None),
        (None, None),
        ("", None),
    ],
)
def test_which_database_values_name_a_plain_file(url: str | None, expected: Path | None) -> None:
    assert plain_file(url) == expected
