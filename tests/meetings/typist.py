"""A meeting leader who types as fast as the machine allows: the subprocess the kill test SIGKILLs.

    python typist.py DB_FILE new|MEETING_ID

Opens the SQLite file, creates (``new``) or resumes a live meeting through ``MeetingService``, prints
``READY <meeting id> <n>`` and then, for ever: one edit (``step``), ``save_content``, and — only after the
commit returned — ``ACK <n> <digest>``, flushed. The content after edit ``n`` is a pure function of ``n``
(``step`` applied to the stored content), so the test can tell a torn or stale save from a good one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from datetime import date, timedelta

from coordinator_app.domain.meetings import AgreementItem, MeetingContent, Participant
from coordinator_app.domain.model import Sector
from coordinator_app.storage.meeting_codec import content_to_json

TEXT_KEY = "formaal"
#: Older words roll off the agenda text, so thousands of edits keep each save the size of real minutes.
MAX_TEXT = 3000
MAX_PARTICIPANTS = 24
MAX_AGREEMENTS = 30
_SECTORS = (Sector.KOMMUNE, Sector.REGION, Sector.BORGER, Sector.PAAROERENDE, Sector.ALMEN_PRAKSIS)
_LAST_WORD = re.compile(r"ord(\d+) $")


def edits_in(content: MeetingContent) -> int:
    """How many edits ``content`` holds (the number in the last word typed)."""
    found = _LAST_WORD.search(content.texts.get(TEXT_KEY, ""))
    return int(found.group(1)) if found else 0


def digest(content: MeetingContent) -> str:
    canonical = json.dumps(content_to_json(content), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def step(content: MeetingContent, n: int) -> MeetingContent:
    """Edit number ``n``: a word typed; every 5th a participant, every 7th an agreement, every 11th roles."""
    text = content.texts.get(TEXT_KEY, "") + f"ord{n} "
    if len(text) > MAX_TEXT:
        text = text[text.index(" ", len(text) - MAX_TEXT) + 1 :]
    changes: dict[str, object] = {"texts": {**content.texts, TEXT_KEY: text}}
    people = content.participants
    if n % 5 == 0:
        if len(people) < MAX_PARTICIPANTS:
            new = Participant(
                f"p{n}", f"Deltager {n} Æblegård", "Kommune/Region", _SECTORS[n % len(_SECTORS)], "rolle",
                f"{n:08d}", f"d{n}@example.dk",
            )  # fmt: skip
            people = (*people, new)
        else:
            i = (n // 5) % len(people)
            people = (*people[:i], dataclasses.replace(people[i], phone=f"{n:08d}"), *people[i + 1 :])
        changes["participants"] = people
    if n % 7 == 0:
        agreements = content.agreements
        owner = people[-1].key if people else None
        if len(agreements) < MAX_AGREEMENTS:
            item = AgreementItem(f"a{n}", f"Aftale {n}: bostøtte", owner, date(2026, 12, 1) + timedelta(days=n % 60))
            agreements = (*agreements, item)
        else:
            i = (n // 7) % len(agreements)
            changed = dataclasses.replace(agreements[i], what=f"Aftale {n}: ændret", owner_key=owner)
            agreements = (*agreements[:i], changed, *agreements[i + 1 :])
        changes["agreements"] = agreements
    if n % 11 == 0 and people:
        changes["leader_key"] = people[n % len(people)].key
        changes["referent_key"] = people[(n + 1) % len(people)].key
    return dataclasses.replace(content, **changes)  # type: ignore[arg-type]


def main(db_file: str, which: str) -> None:
    from kill_common import schedule_meeting

    from coordinator_app.services.context import ServiceContext
    from coordinator_app.services.meetings import MeetingService
    from coordinator_app.storage.database import open_database

    db = open_database(db_file, migrate=which == "new")
    ctx = ServiceContext(database=db, user="typist")
    service = MeetingService(ctx)
    meeting_id = schedule_meeting(ctx) if which == "new" else int(which)
    # Resumes a running meeting as it was stored; a new one (planned for tomorrow) is started early, confirmed.
    meeting = service.start(meeting_id, before_planned_day=True)
    content, version = meeting.content, meeting.version
    assert version is not None
    n = edits_in(content)
    out = sys.stdout
    out.write(f"READY {meeting_id} {n}\n")
    out.flush()
    while True:
        n += 1
        content = step(content, n)
        saved = service.save_content(meeting_id, content, expected_version=version)
        version = saved.version
        assert version is not None
        out.write(f"ACK {n} {digest(content)}\n")
        out.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
