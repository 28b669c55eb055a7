"""The live meeting's participants and agreements editors on their own (no database): what they add to the shared
list-and-form editor — the picker of known participants, the agreements' numbers, owners and default deadline —
and that removing an item never leaves the form showing another one than the selected."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coordinator_app.domain.meetings import AgreementItem, AgreementStatus, Participant, patient_participant
from coordinator_app.domain.model import Sector
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.meetings.agreements_editor import AgreementsEditor
from coordinator_app.ui.meetings.participants_editor import DIRECTORY_MARK, NO_SECTOR, ParticipantsEditor
from coordinator_app.ui.meetings.roles_follow_up import RolesEditor

DEADLINE = date(2026, 11, 30)
ANNA = Participant(key="a", name="Anna Andersen", organisation="Københavns Kommune", sector=Sector.KOMMUNE)
BO = Participant(key="b", name="Bo Berg", organisation="Psykiatrisk Center Nord", sector=Sector.REGION)
CAI = Participant(key="c", name="Cai Clausen")


def test_removing_the_first_of_three_participants_shows_the_next_and_an_edit_changes_only_it(qtbot) -> None:
    editor = ParticipantsEditor([])
    qtbot.addWidget(editor)
    editor.set_items([ANNA, BO, CAI])
    editor.table.selectRow(0)
    editor.remove_selected()
    assert [p.name for p in editor.people()] == ["Bo Berg", "Cai Clausen"]
    assert editor.current_row() == 0 and editor.name.text() == "Bo Berg"
    assert editor.organisation.text() == "Psykiatrisk Center Nord"
    editor.role.setFocus()
    qtbot.keyClicks(editor.role, "Overlæge")
    assert [(p.key, p.name, p.role) for p in editor.people()] == [
        ("b", "Bo Berg", "Overlæge"),
        ("c", "Cai Clausen", ""),
    ]


def test_a_known_participant_is_added_with_their_details_and_a_new_name_as_typed(qtbot) -> None:
    editor = ParticipantsEditor([ANNA])
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    assert editor.picker.itemText(0) == "Anna Andersen (Københavns Kommune) – Kommune"
    editor.focus_picker()
    qtbot.keyClicks(editor.picker_edit, "Anna")  # completed to the known participant
    assert editor.picker.currentText() == "Anna Andersen (Københavns Kommune) – Kommune"
    qtbot.keyClick(editor.picker_edit, Qt.Key.Key_Return)
    [anna] = editor.people()
    assert (anna.name, anna.organisation, anna.sector, anna.present) == (
        "Anna Andersen",
        "Københavns Kommune",
        Sector.KOMMUNE,
        True,
    )
    assert anna.key != ANNA.key  # a participant of this meeting, not the earlier one
    assert QApplication.focusWidget() is editor.role  # the details are known: the role is what is left
    assert editor.picker.currentText() == ""
    editor.focus_picker()
    qtbot.keyClicks(editor.picker_edit, "Dorte Dam")
    qtbot.keyClick(editor.picker_edit, Qt.Key.Key_Return)
    assert [p.name for p in editor.people()] == ["Anna Andersen", "Dorte Dam"]
    assert editor.current_row() == 1 and editor.name.text() == "Dorte Dam" and editor.organisation.text() == ""


def test_agreements_are_numbered_name_their_owner_and_keep_the_default_deadline(qtbot) -> None:
    editor = AgreementsEditor(DEADLINE)
    qtbot.addWidget(editor)
    editor.set_people([ANNA, BO])
    editor.set_items(
        [
            AgreementItem(key="1", what="Bostøtte", owner_key="a", deadline=date(2026, 12, 4)),
            AgreementItem(key="2", what="Medicin", owner_key=None, deadline=None),
            AgreementItem(key="3", what="Bolig", owner_key="b", deadline=DEADLINE, status=AgreementStatus.UDFOERT),
        ]
    )
    table = editor.table

    def row(r: int) -> list[str]:
        return [cell(table, r, c).text() for c in range(table.columnCount())]

    assert row(0) == ["1", "Bostøtte", "Anna Andersen (Københavns Kommune)", "04-12-2026", "Åben"]
    assert row(1) == ["2", "Medicin", "⚠ mangler", "⚠ mangler", "Åben"]
    table.selectRow(1)
    assert editor.owner.key() is None and editor.deadline.value() == DEADLINE  # none yet: the default is shown
    editor.set_people([ANNA])  # Bo left the meeting: his agreement has no owner shown any more
    assert row(2)[2] == "⚠ mangler"
    table.selectRow(0)
    editor.remove_selected()
    assert [row(r)[:2] for r in range(table.rowCount())] == [["1", "Medicin"], ["2", "Bolig"]]
    assert editor.current_row() == 0 and editor.what.text() == "Medicin"
    editor.add()
    added = editor.items()[-1]
    assert (added.what, added.deadline, added.status) == ("", DEADLINE, AgreementStatus.AABEN)
    assert row(2)[0] == "3" and editor.current_row() == 2


def test_the_picker_offers_the_patient_first_and_marks_the_kontaktbog(qtbot) -> None:
    """C1: the patient is offered as borger, and "Patienten" typed adds them so; the Kontaktbog's people are marked;
    a new person's sector is "Vælg sektor …" until one is chosen."""
    patient = patient_participant("Testa Fiktivsen")
    editor = ParticipantsEditor([ANNA], directory=[BO], patient=patient)
    qtbot.addWidget(editor)
    texts = [editor.picker.itemText(i) for i in range(editor.picker.count())]
    assert [t for t in texts if t] == [
        "Testa Fiktivsen – Borger (patienten)",
        "Anna Andersen (Københavns Kommune) – Kommune",
        "Bo Berg (Psykiatrisk Center Nord) – Region" + DIRECTORY_MARK,
    ]
    assert editor.picker_edit.placeholderText() == (
        "Skriv navn, eller vælg blandt patienten, deltagere fra tidligere møder og Kontaktbogen …"
    )
    for typed in ("patienten", "Cai Clausen"):
        editor.picker.setEditText(typed)
        editor.add_from_picker()
    me, cai = editor.people()
    assert (me.name, me.sector, me.role) == ("Testa Fiktivsen", Sector.BORGER, "patient") and me.key != patient.key
    assert (cai.name, cai.sector) == ("Cai Clausen", None)
    assert editor.sector.currentText() == NO_SECTOR and cell(editor.table, 1, 2).text() == "Ikke valgt"
    editor.sector.setCurrentIndex(editor.sector.findText("Pårørende"))
    assert editor.people()[1].sector is Sector.PAAROERENDE


def test_roles_remind_while_leader_and_referent_are_the_same_person(qtbot) -> None:
    roles = RolesEditor()
    qtbot.addWidget(roles)
    roles.set_people([ANNA, BO])
    roles.leader.set_key("a")
    roles.referent.set_key("b")
    assert roles.same_person.isHidden()
    roles.referent.set_key("a")  # C6: a reminder, never a block
    assert not roles.same_person.isHidden() and "(C6)" in roles.same_person.text()
    roles.set_people([BO])  # Anna left: neither role is hers any more
    assert roles.same_person.isHidden()
