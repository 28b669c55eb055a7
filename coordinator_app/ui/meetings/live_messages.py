"""What the live meeting asks and tells in message boxes, and how a conflict is resolved without losing text.

The boxes are built here and opened by the window (``live_meeting``), which decides what an answer does:
the conflict question (someone else saved the meeting), "Afslut møde?" with the reminders still open, and the
summary of what ending the meeting created. ``keep_mine_as_note`` is the merge behind "Behold min tekst som note".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from coordinator_app.domain.meetings import MeetingContent, MeetingWarning
from coordinator_app.services.meetings import CloseResult
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.meetings.live_common import COPENHAGEN


def keep_mine_as_note(mine: MeetingContent, theirs: MeetingContent, stamp: str) -> MeetingContent:
    """After a conflict: the saved version wins, and nothing typed here is lost — changed texts are added as a
    note under the saved text, new participants and agreements are added, empty choices filled in."""
    texts = dict(theirs.texts)
    for key, text in mine.texts.items():
        saved = texts.get(key, "")
        if not text.strip() or text.strip() == saved.strip() or text.strip() in saved:
            continue
        texts[key] = (
            f"{saved.rstrip()}\n\n[Note – min tekst, ikke gemt pga. samtidig ændring kl. {stamp}]\n{text}"
            if saved.strip()
            else text
        )
    known_people = {p.key for p in theirs.participants}
    known_agreements = {a.key for a in theirs.agreements}
    return MeetingContent(
        texts=texts,
        participants=theirs.participants + tuple(p for p in mine.participants if p.key not in known_people),
        leader_key=theirs.leader_key or mine.leader_key,
        referent_key=theirs.referent_key or mine.referent_key,
        tovholder_key=theirs.tovholder_key or mine.tovholder_key,
        agreements=theirs.agreements + tuple(a for a in mine.agreements if a.key not in known_agreements),
        follow_up=theirs.follow_up if theirs.follow_up.needed is not None else mine.follow_up,
        invited_by=theirs.invited_by if theirs.invited_by.known else mine.invited_by,
        agenda_with_patient=(
            theirs.agenda_with_patient if theirs.agenda_with_patient is not None else mine.agenda_with_patient
        ),
    )


def conflict_question(parent: QWidget) -> tuple[QMessageBox, QAbstractButton]:
    """The meeting was saved elsewhere: keep my text as a note (the default, also on Escape) or fetch the saved
    version. Returns the box and its «Hent den gemte version» button, the only answer that drops typed text."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Mødet er ændret et andet sted",
        "Mødet er gemt fra et andet vindue eller en anden computer, siden du sidst gemte. Dine seneste "
        "ændringer er ikke gemt endnu.\n\n"
        "• Behold min tekst som note: den gemte version hentes, og det, du har skrevet, sættes ind som note "
        "under den – intet går tabt.\n"
        "• Hent den gemte version: dine ændringer siden sidste gem kasseres.",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    keep = box.addButton("&Behold min tekst som note", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Hent den gemte version", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box, discard


def close_question(parent: QWidget, *, tasks: int, follow_up: bool, warnings: Sequence[MeetingWarning]) -> QMessageBox:
    """ "Afslut mødet?": what ending creates (``tasks`` agreements, a follow-up meeting) and the reminders left.
    Yes is «Afslut mødet» (the default), No «Fortsæt mødet»."""
    text = (
        f"Afslut mødet?\n\n{tasks} aftale{'r' if tasks != 1 else ''} bliver til opgaver med ansvarlig og frist "
        "på indlæggelsens overblik"
    )
    if follow_up:
        text += ", og opfølgningsmødet oprettes som et planlagt møde"
    text += "."
    if warnings:
        text += f"\n\nDer er stadig {len(warnings)} påmindelse{'r' if len(warnings) != 1 else ''}:\n"
        text += "\n".join(f"• {w.text} ({w.rule})" for w in warnings[:6])
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Afslut møde",
        literal(text),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.button(QMessageBox.StandardButton.Yes).setText("&Afslut mødet")
    box.button(QMessageBox.StandardButton.No).setText("&Fortsæt mødet")
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box


def summary_box(parent: QWidget, result: CloseResult) -> tuple[QMessageBox, QAbstractButton]:
    """After ending: the tasks created from the agreements and the follow-up meeting planned; «Luk mødet» (the
    default) or «Udsted referat…» (returned with the box: the referat dialog opens when the window closes)."""
    lines = [f"Mødet {result.meeting.reference} er afsluttet."]
    if result.tasks:
        lines.append(f"\nOpgaver oprettet ({len(result.tasks)}):")
        for t in result.tasks:
            deadline = f"frist {t.deadline:%d-%m-%Y}" if t.deadline else "ingen frist"
            lines.append(f"• {t.what} – {t.owner or 'ingen ansvarlig'} – {deadline}")
    else:
        lines.append("\nDer er ingen aftaler, så der er ikke oprettet opgaver.")
    follow = result.follow_up
    if follow is not None:
        when = f" {follow.planned_at.astimezone(COPENHAGEN):%d-%m-%Y kl. %H:%M}" if follow.planned_at else ""
        lines.append(f"\nOpfølgningsmøde {follow.reference} er planlagt{when}.")
    lines.append("\nUdsted referatet nu, eller senere fra fanen Møder under «Afholdte».")
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Mødet er afsluttet",
        literal("\n".join(lines)),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.button(QMessageBox.StandardButton.Ok).setText("&Luk mødet")
    referat = box.addButton("Udsted &referat…", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    return box, referat
