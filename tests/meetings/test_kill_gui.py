"""Autosave of the real live meeting window survives SIGKILL (issue 5, GUI variant).

``gui_typist.py`` opens the real ``LiveMeetingWindow`` offscreen and types into the agenda with real key
events (adding participants and agreements by their shortcuts now and then); it acknowledges a word only after
the window's autosave committed a save containing it. We SIGKILL it at a random moment (seeded): mostly
0.05–1.6 s after it is typing, sometimes 0.2–1.0 s after it was started (while Qt, the database and the window
come up). Then we reopen the file with ``open_database`` (WAL recovery) and check:

* ``PRAGMA integrity_check`` is ``ok``;
* the stored agenda is the prefilled agenda followed by exactly what was typed so far, cut anywhere (no torn
  or mixed save) — and it never goes back;
* it contains every acknowledged word, and each acknowledgement's digest is that of the expected text;
* the participants and agreements are exactly those added before the last word stored had begun.

Then the typist is restarted and resumes from what was stored. ``KOORDINATOR_GUI_KILLS`` sets the number of
kills (default 25, about 45 s here).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from gui_typist import STREAM, agreement_what, complete_words, digest, participant_name, prefill
from kill_common import acks as read_acks
from kill_common import integrity, schedule_meeting, wait_ready

from coordinator_app.domain.meetings import MeetingStatus, SectionKind
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService
from coordinator_app.storage.database import open_database

TYPIST = Path(__file__).with_name("gui_typist.py")
SEED = 20261126
STARTUP_KILLS = 0.15  # share of kills aimed at the start-up rather than at the typing


def _added_before(typed: int, scheduled: Callable[[int], str | None]) -> tuple[list[str], str | None]:
    """What the typist must have added before the first ``typed`` characters of the stream, and what it may
    have added too (the detour for the next word runs before that word's first character)."""
    done = complete_words(STREAM.prefix(typed))
    begun = typed > STREAM.start(done + 1)
    last = done + 1 if begun else done
    must = [name for n in range(1, last + 1) if (name := scheduled(n)) is not None]
    return must, None if begun else scheduled(done + 1)


@pytest.mark.slow
@pytest.mark.gui  # Qt widgets, in the subprocess
def test_sigkill_of_the_live_window_loses_no_acknowledged_edit(tmp_path: Path, record_property) -> None:
    kills = int(os.environ.get("KOORDINATOR_GUI_KILLS", "15"))
    rng = random.Random(SEED)
    db_file = tmp_path / "gui-kill.db"
    db = open_database(db_file)  # migrated once, as an installed Koordinator would have it
    try:
        meeting_id = schedule_meeting(ServiceContext(database=db))
        template = MeetingService(ServiceContext(database=db)).get(meeting_id).template
    finally:
        db.dispose()
    agenda = next(s for s in template.sections if s.kind is SectionKind.AGENDA)
    head = prefill(agenda.default_items)

    typed = stored_words = people = agreements = 0  # what is stored so far
    lost_edits = integrity_failures = startup_kills = runs_with_acks = ack_lines = highest_ack = 0
    problems: list[str] = []
    started = time.monotonic()
    for kill in range(1, kills + 1):
        out, err = tmp_path / f"gui-typist-{kill}.out", tmp_path / f"gui-typist-{kill}.err"
        at_startup = rng.random() < STARTUP_KILLS
        delay = rng.uniform(0.2, 1.0) if at_startup else rng.uniform(0.05, 1.6)
        with out.open("wb") as stdout, err.open("wb") as stderr:
            proc = subprocess.Popen(
                [sys.executable, str(TYPIST), str(db_file), str(meeting_id)], stdout=stdout, stderr=stderr
            )
        try:
            if not at_startup:
                wait_ready(proc, out)
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        # It was typing (or starting), not crashed or stopped on a check of its own.
        assert proc.returncode == -signal.SIGKILL, f"kill {kill}: {err.read_text()}"
        ready = out.read_bytes().split(b"\n", 1)
        if len(ready) == 2 and ready[0].startswith(b"READY "):
            resumed_at = int(ready[0].split()[2])
            assert resumed_at == typed, f"kill {kill}: the typist resumed at {resumed_at}, not at {typed}"
        else:
            startup_kills += 1
        acks = read_acks(out)
        ack_lines += len(acks)
        runs_with_acks += bool(acks)

        db = open_database(db_file)  # recovers the WAL left by the kill
        try:
            check = integrity(db)
            stored = MeetingService(ServiceContext(database=db)).get(meeting_id)
        finally:
            db.dispose()
        if check != "ok":
            integrity_failures += 1
            problems.append(f"kill {kill}: integrity_check = {check}")
        assert stored.status in (MeetingStatus.PLANLAGT, MeetingStatus.I_GANG)

        text = stored.content.texts.get(agenda.key, "")
        if text or typed:
            body = text.removeprefix(head)
            if not text.startswith(head) or body != STREAM.prefix(len(body)):
                problems.append(f"kill {kill}: the stored agenda is not what was typed (torn save): {text[-60:]!r}")
                break
            if len(body) < typed:
                problems.append(f"kill {kill}: the stored agenda went back from {typed} to {len(body)} characters")
            typed = len(body)
        stored_words = complete_words(head + STREAM.prefix(typed))
        for n, sha in acks:
            if sha != digest(head + STREAM.upto(n)):
                problems.append(f"kill {kill}: ACK {n} was for other text than typed")
        last_ack = acks[-1][0] if acks else 0
        if acks and not text.startswith(head + STREAM.upto(last_ack)):
            lost_edits += last_ack - stored_words
            problems.append(f"kill {kill}: ACK {last_ack}, but only {stored_words} words are stored")
        highest_ack = max(highest_ack, last_ack)

        people, agreements = len(stored.content.participants), len(stored.content.agreements)
        for what, have, scheduled in (
            ("participants", [p.name for p in stored.content.participants], participant_name),
            ("agreements", [a.what for a in stored.content.agreements], agreement_what),
        ):
            must, may = _added_before(typed, scheduled)
            if have != must and have != [*must, may]:
                problems.append(f"kill {kill}: {what} stored {have[-3:]} (…{len(have)}), expected {must[-3:]}")

    elapsed = time.monotonic() - started
    summary = (
        f"kills={kills} lost_edits={lost_edits} integrity_failures={integrity_failures} "
        f"startup_kills={startup_kills} runs_with_acks={runs_with_acks} ack_lines={ack_lines} "
        f"acknowledged_words={highest_ack} stored_words={stored_words} stored_chars={typed} "
        f"participants={people} agreements={agreements} "
        f"seconds={elapsed:.1f}"
    )
    record_property("gui_kill_summary", summary)
    print(summary)  # with -s; conftest.py also prints it in the terminal summary
    assert not problems, "\n".join(problems)
    assert (lost_edits, integrity_failures) == (0, 0)
    assert runs_with_acks > 0 and highest_ack > 0, "no autosave was ever acknowledged: the kills came too early"
