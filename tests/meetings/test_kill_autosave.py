"""Autosave survives SIGKILL (issue 5): nothing acknowledged is lost and the database stays intact.

A typist subprocess (``typist.py``) types into a live meeting as fast as it can, acknowledging each edit only
after ``save_content`` returned. We SIGKILL it at a random moment (20–400 ms into typing, seeded), reopen
the file with ``open_database`` (WAL recovery), and check: ``PRAGMA integrity_check`` is ``ok``; the stored
meeting holds at least the last acknowledged edit and at most one more (killed between commit and ACK); the
stored content is exactly the content after that many edits (no torn or mixed save). Then the typist resumes
from what was stored. ``KOORDINATOR_KILLS`` sets the number of kills (default 30 in the suite; 200 before a release).
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kill_common import acks as read_acks
from kill_common import integrity, wait_ready
from typist import digest, edits_in, step

from coordinator_app.domain.meetings import MeetingContent, MeetingStatus
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService
from coordinator_app.storage.database import open_database

TYPIST = Path(__file__).with_name("typist.py")
SEED = 20261125


@pytest.mark.slow
def test_sigkill_during_autosave_loses_no_acknowledged_edit(tmp_path: Path, record_property) -> None:
    kills = int(os.environ.get("KOORDINATOR_KILLS", "30"))
    rng = random.Random(SEED)
    db_file = tmp_path / "kill.db"
    open_database(db_file).dispose()  # migrated once, as an installed Koordinator would have it

    which = "new"
    replica, replica_n = MeetingContent(), 0  # what the stored content must be after replica_n edits
    lost_edits = integrity_failures = acknowledged = 0
    problems: list[str] = []
    started = time.monotonic()
    for kill in range(1, kills + 1):
        out, err = tmp_path / f"typist-{kill}.out", tmp_path / f"typist-{kill}.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            proc = subprocess.Popen([sys.executable, str(TYPIST), str(db_file), which], stdout=stdout, stderr=stderr)
        try:
            meeting_id, resumed_at = wait_ready(proc, out)
            time.sleep(rng.uniform(0.020, 0.400))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert proc.returncode == -signal.SIGKILL, err.read_text()  # it was typing, not crashed
        assert resumed_at == replica_n, "the typist did not resume from the stored content"
        which = str(meeting_id)
        acks = read_acks(out)
        acknowledged += len(acks)
        last_ack = acks[-1][0] if acks else resumed_at

        db = open_database(db_file)  # recovers the WAL left by the kill
        try:
            check = integrity(db)
            if check != "ok":
                integrity_failures += 1
                problems.append(f"kill {kill}: integrity_check = {check}")
            stored = MeetingService(ServiceContext(database=db)).get(meeting_id)
        finally:
            db.dispose()
        assert stored.status is MeetingStatus.I_GANG
        if kill == 1:  # scheduling records who called the meeting and the agenda's preparation; the typist keeps them
            scheduled = stored.content
            replica = dataclasses.replace(
                replica, invited_by=scheduled.invited_by, agenda_with_patient=scheduled.agenda_with_patient
            )
        n = edits_in(stored.content)
        if n < last_ack:
            lost_edits += last_ack - n
            problems.append(f"kill {kill}: ACK {last_ack} but only {n} edits stored")
        if n > last_ack + 1:
            problems.append(f"kill {kill}: {n} edits stored, but the typist only got as far as {last_ack} (+1)")
        assert n >= replica_n, f"kill {kill}: stored content went back from {replica_n} to {n} edits"
        for i in range(replica_n + 1, n + 1):
            replica = step(replica, i)
        replica_n = n
        if stored.content != replica:
            problems.append(f"kill {kill}: stored content is not the content after {n} edits (torn save)")
        ack_digests = dict(acks)
        if n in ack_digests and digest(stored.content) != ack_digests[n]:
            problems.append(f"kill {kill}: stored edit {n} differs from what was acknowledged")

    elapsed = time.monotonic() - started
    summary = (
        f"kills={kills} lost_edits={lost_edits} integrity_failures={integrity_failures} "
        f"acknowledged_edits={acknowledged} stored_edits={replica_n} seconds={elapsed:.1f}"
    )
    record_property("kill_summary", summary)
    print(summary)  # with -s; conftest.py also prints it in the terminal summary
    assert not problems, "\n".join(problems)
    assert (lost_edits, integrity_failures) == (0, 0)
