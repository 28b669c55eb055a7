"""A meeting leader typing into the real live meeting window: the subprocess ``test_kill_gui.py`` SIGKILLs.

    python gui_typist.py DB_FILE MEETING_ID

Starts Qt offscreen the way the app does, opens the SQLite file and the real ``LiveMeetingWindow``
(``open_live_meeting``) for the meeting, and types into "Formål og dagsorden" with ``QTest.keyClicks`` /
``keyClick``: real key events into whatever widget has the keyboard focus, ``CHARS_PER_TURN`` characters per
event-loop turn, driven by a ``QTimer``, with a short pause now and then (the debounced autosave fires in
it). Before certain words it adds a participant (Ctrl+Shift+P, name, Enter) or an agreement (Ctrl+Shift+A,
what) and returns to the agenda with Ctrl+PgUp — all by keyboard. Each such detour runs within one event-loop
turn, so no autosave can see it half done; the agenda text is typed across many turns, so autosaves do
catch half-typed words.

The typed text is a pure function of the position (``STREAM``), so the test knows exactly what must be
stored. The service handed to the window is ``MeetingService`` with ``save_content`` observed: after the real
call returned (committed) it prints ``ACK <n> <digest>`` (flushed), where ``n`` is the highest word number
completely contained in the saved agenda text and ``digest`` that of the saved text up to and including word
``n``. Production code is unchanged. On start it prints ``READY <meeting id> <k>``: ``k`` characters of
``STREAM`` were already stored (it resumes from there).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys

#: Word n of what is typed; every 10th word ends the line (Enter), so the paragraphs stay short.
WORD = "ærø{n}"
CHARS_PER_TURN = 3
TICK_MS = 3
#: After word n with n % 100 in PAUSES the typist pauses longer than the autosave debounce (300 ms); the
#: long burst between 30 and 100 outlasts the 800 ms cap, so autosaves also happen in the middle of typing.
PAUSES = frozenset((0, 15, 30))
PAUSE_MS = 400
#: Before word n: a participant "Deltager n" when n % PEOPLE_EVERY == 0; an agreement "Aftale n: bostøtte"
#: when n % AGREEMENTS_EVERY == AGREEMENTS_AT.
PEOPLE_EVERY = 40
AGREEMENTS_EVERY = 60
AGREEMENTS_AT = 30
_LAST_WORD = re.compile(r"ærø(\d+)\Z")


def word(n: int) -> str:
    return WORD.format(n=n) + ("\n" if n % 10 == 0 else " ")


class Stream:
    """The text typed after the agenda's prefilled items: ``word(1) + word(2) + …``, grown on demand."""

    def __init__(self) -> None:
        self._text = ""
        self._ends = [0]  # _ends[n]: length of words 1..n

    def _grow(self, n: int) -> None:
        while len(self._ends) <= n:
            self._text += word(len(self._ends))
            self._ends.append(len(self._text))

    def upto(self, n: int) -> str:
        """Words 1..n, as typed."""
        self._grow(n)
        return self._text[: self._ends[n]]

    def prefix(self, k: int) -> str:
        """The first ``k`` characters typed."""
        while len(self._text) < k:
            self._grow(len(self._ends) * 2)
        return self._text[:k]

    def start(self, n: int) -> int:
        """Characters typed before word n begins."""
        self._grow(n)
        return self._ends[n - 1]


STREAM = Stream()


def prefill(default_items: tuple[str, ...]) -> str:
    """What the live window puts in an empty agenda (``LiveMeetingWindow._load``) before anything is typed."""
    return "".join(f"- {item}\n" for item in default_items)


def complete_words(text: str) -> int:
    """The highest word number completely typed (its space or line break included) at the end of ``text``."""
    cut = max(text.rfind(" "), text.rfind("\n"))
    found = _LAST_WORD.search(text, 0, max(cut, 0))
    return int(found.group(1)) if found else 0


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def participant_name(n: int) -> str | None:
    return f"Deltager {n}" if n % PEOPLE_EVERY == 0 else None


def agreement_what(n: int) -> str | None:
    return f"Aftale {n}: bostøtte" if n % AGREEMENTS_EVERY == AGREEMENTS_AT else None


def main(db_file: str, meeting_id: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from coordinator_app.domain.meetings import Meeting, MeetingContent, SectionKind
    from coordinator_app.services.context import ServiceContext
    from coordinator_app.services.meetings import MeetingService
    from coordinator_app.storage.database import open_database
    from coordinator_app.ui.meetings.live_meeting import open_live_meeting
    from coordinator_app.ui.shell.app import ensure_application, install_danish

    out = sys.stdout
    agenda_key = ""

    class AcknowledgingService(MeetingService):
        """The real service; after a save committed, acknowledge the words it contains."""

        acked = 0

        def save_content(self, meeting_id: int, content: MeetingContent, *, expected_version: int) -> Meeting:
            saved = super().save_content(meeting_id, content, expected_version=expected_version)
            text = content.texts.get(agenda_key, "")
            n = complete_words(text)
            if n > self.acked:
                end = text.rindex(word(n)) + len(word(n))
                out.write(f"ACK {n} {digest(text[:end])}\n")
                out.flush()
                self.acked = n
            return saved

    def fail(why: str) -> None:
        print(f"gui_typist: {why}", file=sys.stderr, flush=True)
        os._exit(3)  # not -SIGKILL: the test reports the typist as crashed

    app = ensure_application([sys.argv[0]])
    install_danish(app)
    db = open_database(db_file, migrate=False)
    ctx = ServiceContext(database=db, user="gui-typist")
    service = AcknowledgingService(ctx)
    # The meeting is planned for tomorrow (kill_common): started early, as after the confirmation (C2–C4).
    window = open_live_meeting(
        None, service, meeting_id, today=ctx.clock.today(), calendar=ctx.calendar, before_planned_day=True
    )
    agenda_section = next(s for s in window.sections if s.kind is SectionKind.AGENDA)
    agenda_key = agenda_section.key
    agenda = window.text_edits[agenda_key]

    waited = QElapsedTimer()
    waited.start()
    while not window.isActiveWindow():  # window shortcuts only reach an active window
        if waited.elapsed() > 10_000:
            fail("the live meeting window never became active")
        app.processEvents()

    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        if widget is None:
            fail("nothing has the keyboard focus")
        assert widget is not None
        return widget

    # Where to continue: the window shows what was stored (or the prefilled agenda if nothing was).
    shown = agenda.toPlainText()
    head = prefill(agenda_section.default_items)
    typed = len(shown) - len(head)
    if not shown.startswith(head) or shown[len(head) :] != STREAM.prefix(typed):
        fail(f"the stored agenda is not what was typed: {shown[-80:]!r}")
    service.acked = complete_words(shown)
    if focused() is not agenda:
        fail(f"the live window did not put the focus in the agenda but in {focused()!r}")

    # ``next``: the word being typed or about to be; ``pending``: what is left of it ("" = not begun yet).
    done = complete_words(shown)
    begun = typed - STREAM.start(done + 1)
    next_word, pending = done + 1, word(done + 1)[begun:] if begun else ""

    def back_to_agenda() -> None:
        for _ in range(len(window.sections)):
            if window.current_section().key == agenda_key:
                break
            QTest.keyClick(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        if focused() is not agenda:
            fail(f"Ctrl+PgUp did not bring the focus back to the agenda but to {focused()!r}")

    def detours(n: int) -> None:
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        name = participant_name(n)
        if name is not None and name not in {p.name for p in window.participants_editor.people()}:
            QTest.keyClick(focused(), Qt.Key.Key_P, ctrl_shift)
            QTest.keyClicks(focused(), name)
            QTest.keyClick(focused(), Qt.Key.Key_Return)
            back_to_agenda()
        what = agreement_what(n)
        if what is not None and what not in {a.what for a in window.agreements_editor.items()}:
            QTest.keyClick(focused(), Qt.Key.Key_A, ctrl_shift)
            QTest.keyClicks(focused(), what)
            back_to_agenda()

    timer = QTimer()
    timer.setSingleShot(True)

    def tick() -> None:
        nonlocal next_word, pending
        if not pending:
            detours(next_word)
            pending = word(next_word)
        chunk, pending = pending[:CHARS_PER_TURN], pending[CHARS_PER_TURN:]
        target = focused()
        if target is not agenda:
            fail(f"typing went to {target!r}, not the agenda")
        for i, part in enumerate(chunk.split("\n")):
            if i:
                QTest.keyClick(target, Qt.Key.Key_Return)
            if part:
                QTest.keyClicks(target, part)
        delay = TICK_MS
        if not pending:
            if next_word % 100 in PAUSES:
                delay = PAUSE_MS
            next_word += 1
        timer.start(delay)

    timer.timeout.connect(tick)
    out.write(f"READY {meeting_id} {typed}\n")
    out.flush()
    timer.start(0)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
