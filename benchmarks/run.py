"""Koordinator's speed at 10,000 admissions (issue 7): one table, median of several runs, target and PASS/FAIL.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/run.py [--runs N] [--only SECTION ...] [--cpu]``).
Prints figures and never fails a build; the tests assert correctness, not speed. Wall time by default; on a busy
machine ``--cpu`` times this process's CPU instead (less disturbed by other processes; start-up stays wall time).

The database is built fresh in a temporary folder (``_common.build_database``): the demo ward with seven years
of history, ~11,000 admissions and ~81,000 events, of which the ~40 current admissions carry the demo's
netværksmøder and plans. Everything runs offscreen.

Sections (``--only``):

* ``list``: list load (service ``list_rows`` + table model fill), filter keystroke, the same keystrokes through a
  ``QSortFilterProxyModel`` over the same rows (ratio, measured in turn within each run), sort.
* ``deadlines``: the full deadline recompute. *Full* means what a refresh of the list (and of anything showing
  deadlines) derives: status and deadlines of every **current** admission — discharged ones show «Udskrevet»
  and no deadline. **The target is judged on the cold recompute** (empty cache: the first refresh of the day, or
  after start — the worst a user waits for), including reading the stamps and loading those admissions'
  events. The cached refresh is what every later refresh costs. All ~11,000 admissions are measured too:
  through the cache (stamps + lookups; within the same target), and cold — engine only with the data in memory,
  and with loading all their events — without a target: nothing in the app derives every admission at once
  (the statistics derive one period's, below).
* ``statistics``: Statistik for one year, XLSX export.
* ``query``: the list query against raw sqlite3 running the same SQL (same columns, same joins) and making the same
  ``ListRow`` values from the rows, in turn; raw fetchall of plain tuples is printed for scale.
* ``autosave``: the live meeting's save (``LiveMeetingWindow.save_now``: one ``MeetingService.save_content``
  transaction) after a typed change, on a running meeting of the benchmark ward. A change is saved at the latest
  ``MAX_DELAY_MS`` after it was typed (the window's timers, tested in ``tests/ui/meetings/test_meetings_ui.py``),
  so typed → durable at the latest is that cap plus the save; the target is the live meeting's promise, within 1 s.
* ``start``: cold start, **judged at the window ready for input: at most 5× a bare PySide6 window**.
  ``koordinator --smoke`` on the benchmark database in a fresh process, against a bare PySide6 ``QApplication`` +
  ``QMainWindow.show()`` process timed the same way, in turn, each from spawning the process. *Ready for input*:
  services loaded, the list refreshed through them, the file's ``quick_check`` passed
  (``ui.shell.start_hooks.on_ready``, a timestamp on the system-wide monotonic clock). Before that the window is
  already on screen with the ward's list and I dag (``on_shown``): the first screen is read before SQLAlchemy loads
  (``services.first_screen``: a plain local file needing no login is read directly) and printed without a target.
  Compiled modules are kept as an installed app has them (written by an untimed first run, even under
  ``PYTHONDONTWRITEBYTECODE``). Both times to process exit are printed, and the bare window plus
  ``import sqlalchemy.orm`` for scale (no target: what any start through the ORM cannot go below).
* ``offline``: check-out of the ward's **current** admissions to a laptop file (issue 19, ``services.offline
  .check_out``: a new SQLCipher file migrated to the schema, the lent patients' rows — all their admissions, events,
  meetings, plans, documents — plus reference data, settings and users copied in, the loan and its audit lines
  recorded), **target ≤ 3 s**, on the benchmark's SQLite file and on the same ward bulk-loaded into a throwaway
  PostgreSQL cluster (started like the tests' ``pg_cluster``, ``tests/db_fixtures.py``; ``initdb`` must be on the
  machine). Each run writes a new file; the loan is revoked, untimed, before the next.
  Then check-in of a day's offline work on those cases (``bench_offline.offline_day``, ~200 journal rows), target
  ≤ 3 s, on both: each run lends and works untimed, then times ``services.checkin.check_in``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    MOMENT,
    YEAR,
    BenchDatabase,
    Line,
    build_database,
    interleaved_ms,
    load_ward,
    median_ms,
    ms_line,
    print_table,
    ratio_line,
    use_cpu_clock,
)

from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.deadline_cache import DeadlineCache, derive
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository

SECTIONS = ("list", "deadlines", "statistics", "query", "autosave", "start", "offline")
WORDS = ("k", "kø", "købe", "københavn", "hansen")  # typed one keystroke at a time: each is one filter


def list_section(bench: BenchDatabase, runs: int) -> list[Line]:
    from PySide6.QtCore import QSortFilterProxyModel, Qt

    from coordinator_app.ui.patients.admission_table import COL_NAME, COL_NEXT, AdmissionTableModel
    from coordinator_app.ui.shell.app import ensure_application

    ensure_application()
    ctx = bench.ctx
    model = AdmissionTableModel()

    def load(include_discharged: bool) -> Callable[[], None]:
        def run() -> None:  # a new service: an empty deadline cache, as at start
            model.set_rows(AdmissionService(ctx).list_rows(include_discharged=include_discharged))

        return run

    warm = AdmissionService(ctx)
    rows = warm.list_rows(include_discharged=True)
    current = sum(1 for r in rows if r.discharged is None)
    lines = [
        ms_line(f"list load, current ({current}): service + model", median_ms(load(False), runs)),
        ms_line(f"list load, all ({len(rows):,}): service + model", median_ms(load(True), runs)),
        ms_line(
            f"list refresh, all ({len(rows):,}), warm cache",
            median_ms(lambda: model.set_rows(warm.list_rows(include_discharged=True)), runs),
        ),
    ]
    model.set_rows(rows)
    # The proxy gets its own source model: a reset of ``model`` (its filter) would make the proxy re-filter too.
    source = AdmissionTableModel()
    source.set_rows(rows)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def type_model() -> None:
        for word in WORDS:
            model.set_filter(word)

    def type_proxy() -> None:
        for word in WORDS:
            proxy.setFilterFixedString(word)

    typed = interleaved_ms({"model": type_model, "proxy": type_proxy}, runs)
    per_key, proxy_key = typed["model"] / len(WORDS), typed["proxy"] / len(WORDS)
    assert proxy.rowCount() == model.rowCount(), "the proxy and the model must show the same rows"
    model.set_filter("")
    lines += [
        ms_line(f"filter keystroke ({len(rows):,} rows)", per_key, 16, f"{len(WORDS)} keystrokes, e.g. «købe»"),
        ms_line("  QSortFilterProxyModel keystroke", proxy_key, note="same rows, all columns, measured in turn"),
        ratio_line("  filter speed-up over the proxy", proxy_key / per_key, at_least=5),
        ms_line(
            "sort by name",
            median_ms(lambda: model.sort(COL_NAME), runs, setup=lambda: model.sort(COL_NEXT)),
            50,
            "Danish collation key",
        ),
        ms_line(
            "sort by next deadline",
            median_ms(
                lambda: model.sort(COL_NEXT, Qt.SortOrder.DescendingOrder), runs, setup=lambda: model.sort(COL_NAME)
            ),
            50,
        ),
    ]
    return lines


def deadline_section(bench: BenchDatabase, runs: int) -> list[Line]:
    ctx, cal, today = bench.ctx, bench.ctx.calendar, MOMENT.date()
    everyone = [a.id for a in bench.ward.admissions if a.id is not None]
    current = [a.id for a in bench.ward.admissions if a.id is not None and a.discharged is None]

    def refresh(cache: DeadlineCache, ids: list[int]) -> None:
        with ctx.database.connect() as connection:  # as the list refresh reads (AdmissionService.list_rows)
            derived = cache.derive_many(connection, ids, cal, today)
        assert len(derived) == len(ids)

    def cold(ids: list[int]) -> Callable[[], None]:
        return lambda: refresh(DeadlineCache(), ids)

    def warm(ids: list[int]) -> Callable[[], None]:
        cache = DeadlineCache()
        refresh(cache, ids)
        return lambda: refresh(cache, ids)

    with ctx.database.session() as session:
        admissions = AdmissionRepository(session).get_many(everyone)
        events = EventRepository(session).for_admissions(everyone)
    pairs = [(admissions[i], events[i]) for i in everyone]

    def engine_all() -> None:
        for admission, history in pairs:
            derive(admission, history, cal, today)

    n, m = len(current), len(everyone)
    engine = median_ms(engine_all, max(3, runs // 2))
    return [
        ms_line(
            f"deadline recompute, list refresh ({n} current), cold",
            median_ms(cold(current), runs),
            100,
            "judged: stamps + their events + engine",
        ),
        ms_line(f"deadline recompute, list refresh ({n} current), cached", median_ms(warm(current), runs)),
        ms_line(f"deadline recompute, all {m:,}, cached", median_ms(warm(everyone), runs), 100, "stamps + lookups"),
        ms_line(
            f"deadline recompute, all {m:,}, cold (engine)",
            engine,
            note=f"{1000 * engine / m:.0f} µs per admission, data in memory; no target (see above)",
        ),
        ms_line(
            f"deadline recompute, all {m:,}, cold (load + engine)",
            median_ms(cold(everyone), max(3, runs // 2)),
            note="no target",
        ),
    ]


def statistics_section(bench: BenchDatabase, runs: int) -> list[Line]:
    from coordinator_app.documents.statistics_export import to_csv, to_xlsx
    from coordinator_app.services.statistics import StatisticsService

    service = StatisticsService(bench.ctx)
    stats = service.compute(*YEAR)
    size = len(to_xlsx(stats)) // 1024
    return [
        ms_line(
            f"statistics, one year ({YEAR[0].year})",
            median_ms(lambda: service.compute(*YEAR), runs),
            500,
            f"{stats.total.admissions:,} admitted in the year",
        ),
        ms_line("  one year, one kommune (101)", median_ms(lambda: service.compute(*YEAR, kommune_code="101"), runs)),
        ms_line("statistics, XLSX export", median_ms(lambda: to_xlsx(stats), runs), note=f"{size} KiB"),
        ms_line("  CSV export", median_ms(lambda: to_csv(stats), runs)),
    ]


def query_section(bench: BenchDatabase, runs: int) -> list[Line]:
    """Like with like: the same SQL, the same rows and the same values made from them (``ListRow``s with dates and
    booleans, by the app's own conversion) — so the ratio is what the app's data access (``Database.connect``'s
    pooled connection and transaction, SQLAlchemy's execution) adds to the driver. Raw fetchall of plain tuples is
    shown for scale."""
    from coordinator_app.storage.reads import list_rows
    from coordinator_app.storage.selects_sqlite import LIST

    sql = LIST.sql  # the very SQL the app sends (selects.LIST as SQLite's text)
    raw = sqlite3.connect(bench.path)

    def app() -> None:
        with bench.db.connect() as connection:
            list_rows(connection, include_discharged=True)

    def same() -> None:
        LIST.convert(raw.execute(sql).fetchall())

    def plain() -> None:
        raw.execute(sql).fetchall()

    with bench.db.connect() as connection:
        rows = list_rows(connection, include_discharged=True)
    assert rows == LIST.convert(raw.execute(sql).fetchall()), "both sides must make the same rows"
    times = interleaved_ms({"app": app, "raw": same, "plain": plain}, max(runs, 9))
    raw.close()
    return [
        ms_line(f"list query, all ({len(rows):,} rows)", times["app"], note="session + Core select → ListRow"),
        ms_line("  raw sqlite3, same SQL and rows", times["raw"], note="fetchall → the same ListRows, in turn"),
        ratio_line("  list query / raw sqlite3", times["app"] / times["raw"], at_most=1.5),
        ms_line("  raw sqlite3 fetchall alone", times["plain"], note="plain tuples, no dates/booleans; no target"),
    ]


def autosave_section(bench: BenchDatabase, runs: int) -> list[Line]:
    from coordinator_app.domain.meetings import MeetingForm, Occasion
    from coordinator_app.services.meetings import MeetingService, ScheduleInput
    from coordinator_app.ui.meetings import live_meeting
    from coordinator_app.ui.shell.app import ensure_application

    ensure_application()
    ctx = bench.ctx
    service = MeetingService(ctx)
    admission = next(a for a in bench.ward.admissions if a.discharged is None and a.id is not None)
    assert admission.id is not None
    meeting = service.schedule(
        ScheduleInput(
            patient_id=admission.patient_id,
            admission_id=admission.id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=MOMENT.date(),
            form=MeetingForm.FYSISK,
            place="Mødelokale 2",
        )
    )
    assert meeting.id is not None
    window = live_meeting.open_live_meeting(None, service, meeting.id, today=MOMENT.date(), calendar=ctx.calendar)
    edit = next(iter(window.text_edits.values()))
    words = iter(range(10**6))

    def type_a_word() -> None:
        edit.insertPlainText(f" ord{next(words)}")

    def save() -> None:
        assert window.save_now()

    save_ms = median_ms(save, max(runs, 15), setup=type_a_word)
    assert len(window.save_times_ms) >= max(runs, 15), "every timed call must have saved"
    window.close()
    return [
        ms_line("autosave: one save after typing", save_ms, note="MeetingService.save_content, one transaction"),
        ms_line(
            "autosave: typed → durable, at the latest",
            live_meeting.MAX_DELAY_MS + save_ms,
            1000,
            f"cap {live_meeting.MAX_DELAY_MS} ms + the save",
        ),
    ]


#: The app as ``koordinator --smoke`` runs it (the window shown offscreen), with a timestamp on the system-wide
#: monotonic clock (``time.monotonic``) when the window is first on screen with the ward's list (``SHOWN``) and when
#: its services are ready and the start's ``quick_check`` has passed (``READY``): ``ui.shell.start_hooks``, which
#: loads nothing — the child imports the app's modules in the order ``koordinator`` does (inside ``main``).
APP_CHILD = """
import sys, time
from coordinator_app.ui.shell import start_hooks
def stamp(what):
    return lambda window: print(f"{what} {time.monotonic()!r} {window.patients_tab.model.rowCount()}", flush=True)
start_hooks.on_shown.append(stamp("SHOWN"))
start_hooks.on_ready.append(stamp("READY"))
from coordinator_app.cli.commands import main
sys.exit(main(sys.argv[1:]))
"""

#: The floor the app's stack sets: the bare window plus importing SQLAlchemy's ORM, which ``storage`` is built on.
FLOOR_CHILD = """
import sqlalchemy.orm
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
app.processEvents()
shown = time.monotonic()
print(f"SHOWN {shown!r} 0", flush=True)
print(f"READY {shown!r} 0", flush=True)
"""

BARE_CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.show()
app.processEvents()
shown = time.monotonic()
print(f"SHOWN {shown!r} 0", flush=True)
print(f"READY {shown!r} 0", flush=True)
"""


def _start(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(ms to SHOWN, ms to READY, ms to exit, rows shown) of one fresh process."""
    start = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    ended = time.monotonic()
    stamps = {}
    for line in done.stdout.splitlines():
        if line.startswith(("SHOWN ", "READY ")):
            what, at, rows = line.split()
            stamps[what] = ((float(at) - start) * 1000, int(rows))
    return stamps["SHOWN"][0], stamps["READY"][0], (ended - start) * 1000, stamps["SHOWN"][1]


def start_section(bench: BenchDatabase, runs: int, folder: Path) -> list[Line]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):  # logs and settings stay in the folder
        env[name] = str(folder / name.lower())
    # Compiled modules as an installed app has them: the untimed first run of each writes them (to the folder, so
    # the checkout is untouched). Without this, PYTHONDONTWRITEBYTECODE makes every start recompile each module
    # edited since its .pyc was last written — time no user's start spends.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    commands = {
        "app": [sys.executable, "-c", APP_CHILD, "--smoke", "--database", bench.url],
        "bare": [sys.executable, "-c", BARE_CHILD],
        "floor": [sys.executable, "-c", FLOOR_CHILD],
    }
    bench.db.dispose()  # the app opens the file itself, as it would at start
    _, _, _, rows = _start(commands["app"], env)  # also warms the OS file cache and the .pyc files
    _start(commands["bare"], env)
    _start(commands["floor"], env)
    assert rows > 0, "the list must be populated"
    shown: dict[str, list[float]] = {name: [] for name in commands}
    ready: dict[str, list[float]] = {name: [] for name in commands}
    ended: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            to_shown, to_ready, to_exit, _ = _start(command, env)
            shown[name].append(to_shown)
            ready[name].append(to_ready)
            ended[name].append(to_exit)
    app, bare = statistics.median(shown["app"]), statistics.median(shown["bare"])
    floor = statistics.median(shown["floor"])
    ready_app = statistics.median(ready["app"])
    return [
        ms_line("cold start to a shown, populated list", app, note=f"koordinator --smoke, window shown: {rows} rows"),
        ms_line("  bare PySide6 window shown", bare, note="QApplication + QMainWindow.show(), in turn"),
        ratio_line("  shown / bare Qt start", app / bare, note="the first screen; no target"),
        ms_line(
            "  window ready for input",
            ready_app,
            note="services loaded, list refreshed through them, quick_check passed",
        ),
        ratio_line("  ready / bare Qt start", ready_app / bare, at_most=5),
        ms_line("  bare window + import sqlalchemy.orm", floor, note=f"{floor / bare:.1f}× bare; no target"),
        ms_line(
            "  both to process exit",
            statistics.median(ended["app"]),
            note=f"bare: {statistics.median(ended['bare']):.0f} ms",
        ),
    ]


def _checkout_lines(ctx: ServiceContext, backend: str, runs: int, folder: Path) -> list[Line]:
    """Check-out of every current admission of the ward in ``ctx`` to a new laptop file, median of ``runs``."""
    from coordinator_app.services import offline
    from coordinator_app.services.admissions import AdmissionService

    current = [row.admission_id for row in AdmissionService(ctx).list_rows(include_discharged=False)]
    numbers = iter(range(10**6))
    made: list[offline.CheckoutResult] = []

    def check_out() -> None:
        path = folder / f"offline-{backend}-{next(numbers)}.db"
        made.append(offline.check_out(ctx, current, path, "Bærbar-benchmark-2026", laptop=f"Bærbar {backend}"))

    def give_back() -> None:  # untimed: the ward may lend the same cases again
        for result in made:
            if result.loan.out:
                offline.revoke(ctx, result.loan.loan_id, "benchmark")
            result.path.unlink(missing_ok=True)
        made.clear()

    ms = median_ms(check_out, runs, setup=give_back)
    last = made[-1]
    size = last.path.stat().st_size // 1024
    patients = len(last.loan.patient_ids)
    give_back()
    return [
        ms_line(
            f"offline check-out, {len(current)} current admissions ({backend})",
            ms,
            3000,
            f"{patients} patients, {last.rows.get('admissions', 0)} admissions, {last.rows.get('events', 0):,} "
            f"events; {sum(last.rows.values()):,} rows, {size:,} KiB file",
        )
    ]


def _checkin_lines(ctx: ServiceContext, backend: str, runs: int, folder: Path) -> list[Line]:
    """Check-in of a day's offline work (``bench_offline.offline_day``: notes, five meetings held with their referat
    and a plan each, ten Kontaktbog edits — about 200 journal rows) on every current admission: each run lends the
    cases and does the day on the laptop file untimed, then times ``check_in``; median of at most 3 runs."""
    from bench_offline import PASSPHRASE, offline_day

    from coordinator_app.domain.access import Principal, Role
    from coordinator_app.services import offline
    from coordinator_app.services.admissions import AdmissionService
    from coordinator_app.services.checkin import check_in
    from coordinator_app.storage.database import open_database
    from coordinator_app.storage.journal import JOURNAL

    current = [(row.admission_id, row.patient_id) for row in AdmissionService(ctx).list_rows(include_discharged=False)]
    numbers = iter(range(10**6))
    files: list[Path] = []
    journaled: list[int] = []
    results: list[object] = []
    koordinator = Principal(username="mhansen", role=Role.KOORDINATOR, full_name="Mette Hansen")

    def lend_and_work() -> None:  # untimed
        for path in files:
            path.unlink(missing_ok=True)
        files.clear()
        out = offline.check_out(
            ctx, [a for a, _ in current], folder / f"checkin-{backend}-{next(numbers)}.db", PASSPHRASE, laptop="Bærbar"
        )
        files.append(out.path)
        laptop = open_database(out.path, passphrase=PASSPHRASE, must_exist=True)
        try:
            offline_day(ServiceContext(database=laptop, clock=ctx.clock, principal=koordinator), current)
            with laptop.engine.connect() as conn:
                journaled.append(len(conn.execute(JOURNAL.select()).all()))
        finally:
            laptop.dispose()

    def hand_in() -> None:
        result = check_in(ctx, files[-1], PASSPHRASE)
        if not result.merged:
            raise RuntimeError(f"check-in did not merge: {result.conflicts}")
        results.append(result)

    ms = median_ms(hand_in, min(runs, 3), setup=lend_and_work, warmup=0)
    for path in files:
        path.unlink(missing_ok=True)
    return [
        ms_line(
            f"offline check-in, a day's work on {len(current)} admissions ({backend})",
            ms,
            3000,
            f"{statistics.median(journaled):.0f} journal rows: notes, 5 meetings + referat + plan, 10 Kontaktbog edits",
        )
    ]


def offline_section(bench: BenchDatabase, runs: int, folder: Path) -> list[Line]:
    lines = _checkout_lines(bench.ctx, "SQLite", runs, folder)
    lines += _checkin_lines(bench.ctx, "SQLite", runs, folder)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from db_fixtures import PgCluster, _free_port, _pg_bin_dir  # the tests' throwaway cluster, started the same way

    from coordinator_app.storage.database import open_database

    base = Path(tempfile.mkdtemp(prefix="koordinator-bench-pg-"))  # not under ``folder``: the server's user reads it
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    cluster = PgCluster(bin_dir=_pg_bin_dir(), base=base, port=_free_port())
    try:
        cluster.start()
        cluster.admin("CREATE DATABASE bench")
        db = open_database(cluster.url("bench"))
        try:
            ctx, _ward = load_ward(db)
            lines += _checkout_lines(ctx, "PostgreSQL", runs, folder)
            lines += _checkin_lines(ctx, "PostgreSQL", runs, folder)
        finally:
            db.dispose()
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (median; default 7, at least 5)")
    parser.add_argument("--only", action="append", choices=SECTIONS, help="run only these sections")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time this process's CPU instead of the wall clock (a busy machine; start-up stays wall time)",
    )
    args = parser.parse_args(argv)
    if args.cpu:
        use_cpu_clock()
    runs = max(5, args.runs)
    sections = args.only or list(SECTIONS)
    import PySide6

    with tempfile.TemporaryDirectory(prefix="koordinator-bench-") as tmp:
        folder = Path(tmp)
        bench = build_database(folder)
        ward = bench.ward
        current = sum(1 for a in ward.admissions if a.discharged is None)
        print(
            f"Database: {len(ward.admissions):,} admissions ({current} current), {len(ward.events):,} events, "
            f"built in {bench.build_ms / 1000:.1f} s (SQLite, {bench.path.stat().st_size // 2**20} MiB)"
        )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, {os.cpu_count()} CPUs, "
            f"load average {load:.2f}; median of {runs} runs, {'CPU' if args.cpu else 'wall'} time"
        )
        lines: list[Line] = []
        if "list" in sections:
            lines += list_section(bench, runs)
        if "deadlines" in sections:
            lines += deadline_section(bench, runs)
        if "statistics" in sections:
            lines += statistics_section(bench, runs)
        if "query" in sections:
            lines += query_section(bench, runs)
        if "autosave" in sections:
            lines += autosave_section(bench, runs)
        if "start" in sections:
            lines += start_section(bench, runs, folder)
        if "offline" in sections:
            lines += offline_section(bench, runs, folder)
        bench.db.dispose()
    print_table(lines, f"Koordinator benchmarks, {MOMENT.date()} as today")
    return 0


if __name__ == "__main__":
    sys.exit(main())
