"""Offline laptops (issue 19): check-out of the demo ward's current admissions to a laptop file, and check-in of a
day's offline work. Target: each at most 3 s on a 2-core machine.

Run: ``.venv/bin/python benchmarks/bench_offline.py [--database URL]``. Without ``--database`` the ward is a fresh
SQLite file in a temporary folder; give the URL of an EMPTY PostgreSQL database (``postgresql+psycopg://…``) to
measure a shared ward (the demo ward is loaded into it). Prints figures and never fails a build.

The day's work, done through the services on the laptop file as a koordinator: four notes on each lent admission,
and on five of them a netværksmøde scheduled, started, autosaved three times, closed and its referat issued, and an
udskrivningsaftale drawn from it; and ten Kontaktbog entries edited. The journal's rows are printed with the times
(roughly 200 changed rows).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.discharge_plans import PlanKind
from coordinator_app.domain.meetings import MeetingContent, Occasion
from coordinator_app.domain.model import Contact
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.checkin import check_in
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.plans import PlanService
from coordinator_app.services.setup import ensure_reference_data, load_demo_ward
from coordinator_app.storage.database import open_database
from coordinator_app.storage.journal import JOURNAL

MOMENT = datetime(2026, 11, 23, 9, tzinfo=UTC)
PASSPHRASE = "benchmark-offline-2026"
TARGET_S = 3.0


def offline_day(ctx: ServiceContext, admissions: list[tuple[int, int]]) -> None:
    admissions_service, meetings, plans = AdmissionService(ctx), MeetingService(ctx), PlanService(ctx)
    for admission_id, _patient in admissions:
        for n in range(4):
            admissions_service.add_note(admission_id, f"Offline-notat {n + 1}: talt med netværket.")
    for admission_id, patient_id in admissions[:5]:
        meeting = meetings.schedule(
            ScheduleInput(patient_id, admission_id, Occasion.UNDER_INDLAEGGELSE, ctx.clock.today(), place="Botilbud")
        )
        assert meeting.id is not None
        version = meetings.start(meeting.id, before_planned_day=True).version
        for n in range(3):
            assert version is not None
            content = MeetingContent(texts={"formaal": "Udskrivelse " + "og aftaler " * n})
            version = meetings.save_content(meeting.id, content, expected_version=version).version
        assert version is not None
        meetings.close(meeting.id, expected_version=version)
        meetings.issue_referat(meeting.id)
        plans.create(admission_id, PlanKind.UDSKRIVNINGSAFTALE, from_meeting_id=meeting.id)
    contacts = ContactService(ctx)
    for contact in contacts.contacts()[:10]:
        assert contact.id is not None and contact.version is not None
        edited = dataclasses.replace(_input(contact), note="Ændret offline")
        contacts.update(contact.id, edited, contact.version)


def _input(contact: Contact) -> ContactInput:
    fields = {f.name for f in dataclasses.fields(ContactInput)}
    return ContactInput(**{k: getattr(contact, k) for k in fields})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", metavar="URL", help="an empty PostgreSQL database (default: a SQLite file)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="koordinator-offline-bench-"))
    url = args.database or f"sqlite:///{folder / 'afsnit.db'}"
    ward = open_database(url)
    try:
        ctx = ServiceContext(database=ward, clock=fixed_clock(MOMENT), user="koordinator.bench")
        ensure_reference_data(ctx)
        load_demo_ward(ctx)
        current = [(r.admission_id, r.patient_id) for r in AdmissionService(ctx).list_rows()]
        started = time.perf_counter()
        out = offline.check_out(ctx, [a for a, _ in current], folder / "baerbar.kdb", PASSPHRASE, laptop="Bærbar 1")
        checkout_s = time.perf_counter() - started
        laptop = open_database(out.path, passphrase=PASSPHRASE, must_exist=True)
        try:
            principal = Principal(username="mhansen", role=Role.KOORDINATOR, full_name="Mette Hansen")
            offline_day(ServiceContext(database=laptop, clock=ctx.clock, principal=principal), current)
            with laptop.engine.connect() as conn:
                journaled = len(conn.execute(JOURNAL.select()).all())
        finally:
            laptop.dispose()
        started = time.perf_counter()
        result = check_in(ctx, out.path, PASSPHRASE)
        checkin_s = time.perf_counter() - started
    finally:
        ward.dispose()
    assert result.merged, result.conflicts
    backend = "PostgreSQL" if ward.dialect == "postgresql" else "SQLite"
    rows = sum(out.rows.values())
    changed = sum(result.inserted.values()) + sum(result.updated.values())
    print(f"Offline-kopier på {backend} ({len(current)} indlæggelser, mål ≤ {TARGET_S:.0f} s hver):")
    for label, seconds, what in (
        ("Udlån (checkout)", checkout_s, f"{rows} rækker kopieret"),
        ("Aflevering (checkin)", checkin_s, f"{journaled} journalrækker, {changed} rækker ændret på afsnittet"),
    ):
        verdict = "PASS" if seconds <= TARGET_S else "FAIL"
        print(f"  {label:<22} {seconds:6.2f} s  {verdict}  ({what})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
